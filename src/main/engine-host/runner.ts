// The engine host's run loop: executes a machine in time slices paced to the wall clock,
// answers commands between slices, and posts console output, screen and status at a bounded rate.

import {
  createPcMachine,
  MACHINE_STATE_VERSIONS_READ,
  type Machine,
  type MachineConfig,
  type MachineState,
  MemoryDisk,
  type RunResult,
  readSnapshot,
} from '../../engine';
import type { ConsolePort, RunState, RunStatus } from '../../shared/api';
import type { HostCommand, HostEvent } from './protocol';
import { ScreenTracker } from './screen-tracker';
import { WallClockPacer } from './wall-clock-pacer';

/** Tuning of the loop; tests shorten the intervals. */
export interface RunnerTiming {
  /** Wall time one slice aims for before yielding to pending commands (ms). */
  sliceMs: number;
  /** Minimum interval between output batches and status posts while running (ms). */
  flushMs: number;
  now: () => number;
  /** Schedules the next slice after pending messages are handled. */
  defer: (fn: () => void) => void;
  /** Schedules the next slice after `ms` of wall time (an idle guest waiting for a timer). */
  later: (fn: () => void, ms: number) => void;
}

export const DEFAULT_TIMING: RunnerTiming = {
  sliceMs: 8,
  flushMs: 50,
  now: () => performance.now(),
  defer: (fn) => setImmediate(fn),
  later: (fn, ms) => setTimeout(fn, ms),
};

/** Longest wait between slices of an idle guest, so status posts keep coming (ms). */
const MAX_IDLE_WAIT_MS = 50;

const PORTS: readonly ConsolePort[] = ['com1', 'debug', 'screen'];
const MAX_BATCH_BYTES = 64 * 1024;

/** Collects console bytes per port and decodes them as UTF-8 in order. */
class OutputBuffer {
  private readonly bytes = new Uint8Array(MAX_BATCH_BYTES);
  private length = 0;
  private readonly decoder = new TextDecoder('utf-8');
  push(byte: number): boolean {
    this.bytes[this.length++] = byte;
    return this.length === MAX_BATCH_BYTES;
  }
  take(): string {
    if (this.length === 0) return '';
    const text = this.decoder.decode(this.bytes.subarray(0, this.length), { stream: true });
    this.length = 0;
    return text;
  }
}

/** One VM's engine host; transport-agnostic (a worker wires `post` to its parent port). */
export class EngineRunner {
  private machine: Machine | undefined;
  /** What the current machine was built with: its memory size and first disk's image. */
  private built: { memoryMiB: number; image: Uint8Array | null } | undefined;
  private vmId = '';
  private state: RunState = 'stopped';
  private message: string | undefined;
  private exitCode: number | undefined;
  private readonly out = new Map<ConsolePort, OutputBuffer>(
    PORTS.map((p) => [p, new OutputBuffer()]),
  );
  private outputPending = false;
  private readonly screen = new ScreenTracker();
  private readonly pacer = new WallClockPacer();
  /** Halted with interrupts enabled and no timer armed: only input can wake the guest. */
  private waitingForInput = false;
  private budget = 10_000;
  private loopScheduled = false;
  private lastFlush = 0;
  private ipsMark = { time: 0, icount: 0 };
  private ips = 0;

  constructor(
    private readonly post: (event: HostEvent) => void,
    private readonly timing: RunnerTiming = DEFAULT_TIMING,
    private readonly createMachine: (config: MachineConfig) => Machine = createPcMachine,
  ) {}

  handle(command: HostCommand): void {
    let error: string | undefined;
    let state: MachineState | undefined;
    try {
      state = this.apply(command);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    this.flush();
    this.post({
      type: 'ack',
      command: command.type,
      status: this.status(),
      ...(error ? { error } : {}),
      ...(state ? { state } : {}),
    });
  }

  private apply(command: HostCommand): MachineState | undefined {
    switch (command.type) {
      case 'save-state':
        return this.requireMachine().saveState();
      case 'load-snapshot': {
        const files = new Map(command.files.map((f) => [f.id, f.bytes]));
        const first = command.files[0];
        if (!first) throw new Error('no snapshot file was given');
        // Everything is verified before the callback; only then is the RAM written.
        const { state } = readSnapshot<MachineState>(
          first.bytes,
          (id) => files.get(id),
          (decoded) => this.prepareRestore(decoded).memoryView(),
        );
        this.restored(command.vmId, state);
        return undefined;
      }
      case 'load':
        this.vmId = command.vmId;
        this.machine = this.newMachine(command.memoryMiB, command.image);
        this.machine.loadBootSector(command.image);
        // Loaded but not yet running: a guest at its first instruction is 'paused'.
        this.setState('paused');
        return undefined;
      case 'start':
      case 'resume':
        this.requireMachine();
        if (this.state === 'exited' || this.state === 'error') {
          throw new Error(`cannot resume a VM that has ${this.state}; reset it first`);
        }
        this.setState('running');
        this.ipsMark = { time: this.timing.now(), icount: this.machine!.icount };
        this.anchor();
        this.schedule();
        return undefined;
      case 'pause':
        if (this.state === 'running') this.setState('paused');
        return undefined;
      case 'stop':
        this.setState('stopped');
        return undefined;
      case 'reset': {
        const machine = this.requireMachine();
        const wasRunning = this.state === 'running';
        machine.reset();
        this.message = undefined;
        this.exitCode = undefined;
        this.ips = 0;
        this.setState(wasRunning ? 'running' : 'paused');
        this.anchor();
        if (wasRunning) this.schedule();
        return undefined;
      }
      case 'step': {
        const machine = this.requireMachine();
        if (this.state === 'running') throw new Error('pause the VM before stepping');
        if (this.state === 'exited' || this.state === 'error') {
          throw new Error(`cannot step a VM that has ${this.state}; reset it first`);
        }
        this.setState('paused');
        // Stepping is not paced: an idle guest's next tick is one step away.
        machine.setIdleHorizon(Number.POSITIVE_INFINITY);
        this.settle(machine.run(command.count));
        return undefined;
      }
      case 'input':
        this.requireMachine().serialInput(command.data);
        this.wake();
        return undefined;
      case 'keys': {
        const machine = this.requireMachine();
        for (const key of command.keys) machine.keyEvent(key.code, key.down);
        this.wake();
        return undefined;
      }
      case 'status':
        return undefined;
    }
  }

  status(): RunStatus {
    const status: RunStatus = {
      vmId: this.vmId,
      state: this.state,
      icount: this.machine?.icount ?? 0,
      ips: this.state === 'running' ? this.ips : 0,
    };
    if (this.exitCode !== undefined) status.exitCode = this.exitCode;
    if (this.message !== undefined) status.message = this.message;
    return status;
  }

  /** A machine whose first IDE disk holds `image`, so a boot sector can read the rest of it. */
  private newMachine(memoryMiB: number, image: Uint8Array | null): Machine {
    this.screen.forget();
    this.waitingForInput = false;
    this.built = { memoryMiB, image: image ? image.slice() : null };
    return this.createMachine({
      memoryMiB,
      console: { write: (port, byte) => this.output(port, byte) },
      disks: image && image.length > 0 ? [new MemoryDisk(image)] : [],
    });
  }

  /**
   * The machine a saved state goes into. Its disk must be the state's boot image rather than
   * today's source: the machine there already is reused when it has that disk and memory size
   * (its RAM is warm, no fresh pages to fault in), else a new one is made. A state this
   * machine cannot load is refused here, before anything changes.
   */
  private prepareRestore(state: Omit<MachineState, 'memory'>): Machine {
    if (!MACHINE_STATE_VERSIONS_READ.includes(state.version)) {
      throw new Error(`machine state version ${state.version} is not one this vmlab reads`);
    }
    const image = state.boot?.kind === 'boot-sector' ? state.boot.image : null;
    if (!this.machine || !this.fits(state.memoryMiB, image)) {
      this.machine = this.newMachine(state.memoryMiB, image);
    } else {
      this.screen.forget();
      this.waitingForInput = false;
    }
    return this.machine;
  }

  /** After a restore: the machine's state loaded, a VM that had ended paused at that moment. */
  private restored(vmId: string, state: MachineState): void {
    const machine = this.requireMachine();
    this.vmId = vmId;
    machine.loadState(state);
    this.message = undefined;
    this.exitCode = undefined;
    if (this.state !== 'running') this.setState('paused');
    this.ipsMark = { time: this.timing.now(), icount: machine.icount };
    this.anchor();
  }

  /** True when the current machine was built with this memory size and disk image. */
  private fits(memoryMiB: number, image: Uint8Array | null): boolean {
    const built = this.built;
    if (!built || built.memoryMiB !== memoryMiB) return false;
    if (!built.image || !image) return built.image === image;
    return built.image.length === image.length && built.image.every((b, i) => b === image[i]);
  }

  /** Virtual time starts keeping pace with the wall clock from here (start, resume, revert). */
  private anchor(): void {
    if (this.machine) this.pacer.anchor(this.timing.now(), this.machine.virtualTimeNs);
  }

  /** Input reached a guest halted waiting for an interrupt: it runs again to take it. */
  private wake(): void {
    if (this.state !== 'halted' || !this.waitingForInput) return;
    this.waitingForInput = false;
    this.setState('running');
    this.anchor();
    this.schedule();
  }

  private requireMachine(): Machine {
    if (!this.machine) throw new Error('no guest is loaded');
    return this.machine;
  }

  private schedule(): void {
    if (this.loopScheduled) return;
    this.loopScheduled = true;
    this.timing.defer(() => {
      this.loopScheduled = false;
      this.slice();
    });
  }

  /** Waits `ms` of wall time before the next slice (an idle guest). */
  private scheduleLater(ms: number): void {
    if (this.loopScheduled) return;
    this.loopScheduled = true;
    this.timing.later(
      () => {
        this.loopScheduled = false;
        this.slice();
      },
      Math.max(1, Math.min(Math.ceil(ms), MAX_IDLE_WAIT_MS)),
    );
  }

  /**
   * Runs instructions for about sliceMs, then yields so commands are answered promptly. A guest
   * that idles until a timer beyond the wall clock's pace ends the slice early and waits.
   */
  private slice(): void {
    const machine = this.machine;
    if (!machine || this.state !== 'running') return;
    const start = this.timing.now();
    const deadline = start + this.timing.sliceMs;
    let now = start;
    let idleMs: number | undefined;
    while (this.state === 'running' && now < deadline) {
      const before = machine.icount;
      const t0 = now;
      machine.setIdleHorizon(this.pacer.horizon(now, machine.virtualTimeNs));
      const result = machine.run(this.budget);
      now = this.timing.now();
      this.adaptBudget(machine.icount - before, now - t0);
      if (result.reason === 'halted' && result.interruptsEnabled) {
        const next = machine.nextTimerNs();
        if (next !== Number.POSITIVE_INFINITY) {
          idleMs = this.pacer.waitMs(now, next);
          break;
        }
      }
      if (result.reason !== 'budget') this.settle(result);
    }
    if (now - this.lastFlush >= this.timing.flushMs || this.state !== 'running') {
      this.measureIps(now);
      this.flush();
      this.post({ type: 'status', status: this.status() });
      this.lastFlush = now;
    }
    if (this.state !== 'running') return;
    if (idleMs === undefined) this.schedule();
    else this.scheduleLater(idleMs);
  }

  /** Sizes the instruction budget so one machine.run takes about a quarter of a slice. */
  private adaptBudget(executed: number, elapsedMs: number): void {
    if (executed < this.budget) return;
    const target = this.timing.sliceMs / 4;
    if (elapsedMs < target / 2) this.budget = Math.min(this.budget * 2, 1 << 24);
    else if (elapsedMs > target * 2) this.budget = Math.max(this.budget >> 1, 1000);
  }

  private measureIps(now: number): void {
    const machine = this.machine;
    if (!machine) return;
    const dt = now - this.ipsMark.time;
    if (dt >= 200) {
      this.ips = Math.round(((machine.icount - this.ipsMark.icount) * 1000) / dt);
      this.ipsMark = { time: now, icount: machine.icount };
    }
  }

  private settle(result: RunResult): void {
    switch (result.reason) {
      case 'budget':
        return;
      case 'halted':
        this.message = result.interruptsEnabled
          ? 'guest halted waiting for an interrupt'
          : 'guest halted with interrupts disabled';
        this.waitingForInput = result.interruptsEnabled;
        this.setState('halted');
        return;
      case 'exit':
        this.exitCode = result.status;
        this.message = `guest wrote to the exit port: status ${result.status}`;
        this.setState('exited');
        return;
      case 'error':
        this.message = result.error.message;
        this.setState('error');
        return;
    }
  }

  private setState(state: RunState): void {
    if (state === 'running' && this.state !== 'running') this.message = undefined;
    this.state = state;
  }

  private output(port: ConsolePort, byte: number): void {
    this.outputPending = true;
    if (this.out.get(port)!.push(byte)) this.flushOutput();
  }

  /** Posts pending console output, then the screen if it changed. */
  private flush(): void {
    this.flushOutput();
    const frame = this.machine ? this.screen.poll(this.machine) : null;
    if (frame) this.post({ type: 'screen', frame });
  }

  private flushOutput(): void {
    if (!this.outputPending) return;
    this.outputPending = false;
    for (const [port, buffer] of this.out) {
      const data = buffer.take();
      if (data) this.post({ type: 'output', port, data });
    }
  }
}
