// The engine host's run loop: executes a machine in time slices, answers commands
// between slices, and posts console output and status at a bounded rate.

import {
  createPcMachine,
  type Machine,
  type MachineConfig,
  type MachineState,
  type RunResult,
} from '../../engine';
import type { ConsolePort, RunState, RunStatus } from '../../shared/api';
import type { HostCommand, HostEvent } from './protocol';

/** Tuning of the loop; tests shorten the intervals. */
export interface RunnerTiming {
  /** Wall time one slice aims for before yielding to pending commands (ms). */
  sliceMs: number;
  /** Minimum interval between output batches and status posts while running (ms). */
  flushMs: number;
  now: () => number;
  /** Schedules the next slice after pending messages are handled. */
  defer: (fn: () => void) => void;
}

export const DEFAULT_TIMING: RunnerTiming = {
  sliceMs: 8,
  flushMs: 50,
  now: () => performance.now(),
  defer: (fn) => setImmediate(fn),
};

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
  private vmId = '';
  private state: RunState = 'stopped';
  private message: string | undefined;
  private exitCode: number | undefined;
  private readonly out = new Map<ConsolePort, OutputBuffer>(
    PORTS.map((p) => [p, new OutputBuffer()]),
  );
  private outputPending = false;
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
    this.flushOutput();
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
      case 'load-state': {
        const { state } = command;
        this.vmId = command.vmId;
        if (!this.machine) {
          this.machine = this.createMachine({
            memoryMiB: state.memoryMiB,
            console: { write: (port, byte) => this.output(port, byte) },
          });
        }
        this.machine.loadState(state);
        this.message = undefined;
        this.exitCode = undefined;
        // A VM that had ended runs again from the snapshot's moment, paused there.
        if (this.state !== 'running') this.setState('paused');
        this.ipsMark = { time: this.timing.now(), icount: this.machine.icount };
        return undefined;
      }
      case 'load':
        this.vmId = command.vmId;
        this.machine = this.createMachine({
          memoryMiB: command.memoryMiB,
          console: { write: (port, byte) => this.output(port, byte) },
        });
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
        this.settle(machine.run(command.count));
        return undefined;
      }
      case 'input':
        this.requireMachine().serialInput(command.data);
        return undefined;
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

  /** Runs instructions for about sliceMs, then yields so commands are answered promptly. */
  private slice(): void {
    const machine = this.machine;
    if (!machine || this.state !== 'running') return;
    const start = this.timing.now();
    const deadline = start + this.timing.sliceMs;
    let now = start;
    while (this.state === 'running' && now < deadline) {
      const before = machine.icount;
      const t0 = now;
      const result = machine.run(this.budget);
      now = this.timing.now();
      this.adaptBudget(machine.icount - before, now - t0);
      if (result.reason !== 'budget') this.settle(result);
    }
    if (now - this.lastFlush >= this.timing.flushMs || this.state !== 'running') {
      this.measureIps(now);
      this.flushOutput();
      this.post({ type: 'status', status: this.status() });
      this.lastFlush = now;
    }
    if (this.state === 'running') this.schedule();
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

  private flushOutput(): void {
    if (!this.outputPending) return;
    this.outputPending = false;
    for (const [port, buffer] of this.out) {
      const data = buffer.take();
      if (data) this.post({ type: 'output', port, data });
    }
  }
}
