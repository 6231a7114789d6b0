// A PC wired from the parts: RAM, the board's chips, CPU, built-in BIOS and the run loop on virtual time (DESIGN.md 2.2).

import { EngineError } from '../bus/errors';
import { PhysicalMemory } from '../bus/physical-memory';
import { Cpu } from '../cpu/cpu';
import { runFast } from '../cpu/fast-step';
import { IF } from '../cpu/flags';
import { runSteps } from '../cpu/interpreter';
import { type CpuState, CS, copyCpuState, createCpuState, resetCpuState } from '../cpu/state';
import { textScreenLines, VGA_COLUMNS, VGA_ROWS, VGA_TEXT_BUFFER } from '../devices/vga-text';
import { CowOverlay } from '../disks/cow-overlay';
import { Bios } from '../firmware/bios';
import { loadBootSector } from '../firmware/boot-sector';
import { enterProtectedMode, loadMultibootImage, writeMultibootInfo } from '../firmware/multiboot';
import {
  type BootSpec,
  DEFAULT_MEMORY_MIB,
  type DiskDeltaState,
  MACHINE_STATE_VERSION,
  MACHINE_STATE_VERSIONS_READ,
  MAX_MEMORY_MIB,
  type Machine,
  type MachineConfig,
  type MachineState,
  type MachineStats,
  type RunResult,
  type TextScreen,
} from './machine';
import { PcBoard } from './pc-board';

const MIB = 1024 * 1024;

class PcMachine implements Machine {
  private readonly memoryMiB: number;
  private readonly mem: PhysicalMemory;
  private readonly board: PcBoard;
  private readonly core: Cpu;
  private readonly bios: Bios;
  /** The guest's view of each attached disk: its writes stay here, so a snapshot can carry them. */
  private readonly disks: readonly (CowOverlay | undefined)[];
  private boot: BootSpec | null = null;
  /** Set by port 92h or the 8042: reset the machine after this instruction. */
  private resetRequested = false;
  /** The CPU tier's run loop (reference interpreter or fast tier). */
  private readonly steps: typeof runSteps;
  readonly cpu: { readonly ip: number; readonly cs: number };

  constructor(config: MachineConfig) {
    const mib = config.memoryMiB ?? DEFAULT_MEMORY_MIB;
    if (!Number.isInteger(mib) || mib < 1 || mib > MAX_MEMORY_MIB) {
      throw new EngineError(
        'invalid-config',
        `memory must be a whole number of MiB from 1 to ${MAX_MEMORY_MIB} (got ${mib})`,
      );
    }
    this.memoryMiB = mib;
    this.steps = config.tier === 'reference' ? runSteps : runFast;
    this.mem = new PhysicalMemory(mib * MIB);
    const out = config.console;
    const disks = (config.disks ?? []).map((d) =>
      d ? new CowOverlay(d, { readOnly: d.readOnly }) : undefined,
    );
    this.disks = disks;
    let core: Cpu | undefined;
    this.board = new PcBoard({
      mem: this.mem,
      icount: () => core!.s.icount,
      write: (port, byte) => {
        if (port === 'com2') config.com2?.(byte);
        else out.write(port, byte);
      },
      exit: () => {
        core!.stopRequested = true;
      },
      resetRequest: () => {
        this.resetRequested = true;
        core!.stopRequested = true;
      },
      nmi: () => core!.raiseNmi(),
      instructionsPerSecond: config.instructionsPerSecond,
      rtcEpochMs: config.rtcEpochMs,
      disks,
    });
    core = new Cpu(this.mem, this.board.io);
    this.core = core;
    core.interruptController = this.board.router;
    this.bios = new Bios({
      mem: this.mem,
      cpu: core,
      io: this.board.io,
      vga: this.board.vga,
      screen: (b) => out.write('screen', b),
      disks,
    });
    for (const range of this.bios.portRanges) this.board.io.register(range);
    const s = core.s;
    this.cpu = {
      get ip() {
        return s.eip;
      },
      get cs() {
        return s.seg[CS]!;
      },
    };
    this.powerOn();
  }

  get icount(): number {
    return this.core.s.icount;
  }

  loadBootSector(image: Uint8Array): void {
    this.start({ kind: 'boot-sector', image: image.slice() });
  }

  bootFromDisk(): void {
    this.start({ kind: 'disk' });
  }

  loadKernel(image: Uint8Array, cmdline = ''): void {
    this.start({ kind: 'multiboot', image: image.slice(), cmdline });
  }

  loadFlat(image: Uint8Array, address: number, protectedMode: boolean): void {
    this.start({ kind: 'flat', image: image.slice(), address, protectedMode });
  }

  run(budget: number): RunResult {
    const cpu = this.core;
    const s = cpu.s;
    const time = this.board.time;
    const router = this.board.router;
    const exitPort = this.board.exitPort;
    const steps = this.steps;
    if (exitPort.exited) return { reason: 'exit', status: exitPort.status };
    try {
      let n = 0;
      while (n < budget) {
        if (s.icount >= time.nextIcount) time.service();
        if (s.halted) {
          const wake = s.nmiPending || ((s.eflags & IF) !== 0 && router.hasInterrupt());
          if (!wake) {
            if ((s.eflags & IF) === 0) return { reason: 'halted', interruptsEnabled: false };
            // Every CPU idles: jump to the next timer deadline, or stop if there is none.
            if (!time.skipToNextDeadline()) return { reason: 'halted', interruptsEnabled: true };
            n++;
            continue;
          }
        }
        n += steps(cpu, budget - n, time);
        if (cpu.stopRequested) {
          cpu.stopRequested = false;
          if (exitPort.exited) return { reason: 'exit', status: exitPort.status };
          if (this.resetRequested) this.warmReset();
        }
      }
    } catch (e) {
      if (e instanceof EngineError) return { reason: 'error', error: e };
      const message = e instanceof Error ? e.message : String(e);
      return {
        reason: 'error',
        error: new EngineError('internal-error', `internal error: ${message}`),
      };
    }
    if (s.halted && (s.eflags & IF) === 0) return { reason: 'halted', interruptsEnabled: false };
    return { reason: 'budget' };
  }

  reset(): void {
    if (this.boot) this.start(this.boot);
    else this.powerOn(true);
  }

  /** A reset the guest asked for (port 92h, 8042): CPU and chips reset, RAM kept, boot again. */
  private warmReset(): void {
    if (this.boot) this.start(this.boot, false);
    else this.powerOn(false);
  }

  serialInput(bytes: ArrayLike<number>): void {
    this.board.com1.receive(bytes);
  }

  keyEvent(code: string, down: boolean): boolean {
    return this.board.kbc.key(code, down);
  }

  typeText(bytes: ArrayLike<number>): void {
    this.board.kbc.type(bytes);
  }

  get virtualTimeNs(): number {
    return this.board.time.now();
  }

  nextTimerNs(): number {
    return this.board.time.nextDeadline();
  }

  setIdleHorizon(ns: number): void {
    this.board.time.idleHorizonNs = ns;
  }

  screen(): TextScreen {
    const cells = new Uint16Array(VGA_COLUMNS * VGA_ROWS);
    for (let i = 0; i < cells.length; i++) cells[i] = this.mem.read16(VGA_TEXT_BUFFER + i * 2);
    const c = this.board.vga.cursor();
    return {
      lines: textScreenLines(this.mem.bytes),
      cells,
      cursor: {
        row: Math.floor(c.offset / VGA_COLUMNS),
        column: c.offset % VGA_COLUMNS,
        visible: c.visible,
      },
    };
  }

  stats(): MachineStats {
    const b = this.board;
    const irqs: Record<string, number> = {};
    b.pic.delivered.forEach((n, irq) => {
      if (n > 0) irqs[`irq${irq}`] = n;
    });
    b.ioapic.delivered.forEach((n, pin) => {
      if (n > 0) irqs[`ioapic-pin${pin}`] = n;
    });
    return {
      icount: this.core.s.icount,
      virtualTimeNs: Math.round(b.time.now()),
      devices: {
        interrupts: irqs,
        pit: { irq0Edges: b.pit.interrupts },
        rtc: { interrupts: b.rtc.interrupts },
        kbc: { scancodes: b.kbc.keys },
        com1: { ...b.com1.counters },
        com2: { ...b.com2.counters },
        ide0: { ...b.ide0.counters },
        ide1: { ...b.ide1.counters },
        lapic: { timerInterrupts: b.lapic.timerInterrupts, ...b.ipis },
      },
    };
  }

  saveState(): MachineState {
    return {
      version: MACHINE_STATE_VERSION,
      memoryMiB: this.memoryMiB,
      cpu: cloneCpu(this.core.s),
      memory: this.mem.saveState().bytes,
      a20: this.mem.a20Enabled,
      devices: { ...this.board.saveState(), debug: {}, bios: this.bios.saveState() },
      bootImage: this.boot?.kind === 'boot-sector' ? this.boot.image.slice() : null,
      boot: this.boot ? cloneBoot(this.boot) : null,
      disks: this.disks.map((d) => (d ? { identity: d.baseIdentity(), ...d.saveState() } : null)),
    };
  }

  memoryView(): Uint8Array {
    return this.mem.bytes;
  }

  commitDisks(): void {
    for (const d of this.disks) d?.commit();
  }

  loadState(state: MachineState): void {
    if (!MACHINE_STATE_VERSIONS_READ.includes(state.version)) {
      throw new EngineError(
        'bad-state',
        `machine state version ${state.version} is not one of ${MACHINE_STATE_VERSIONS_READ.join(', ')}`,
      );
    }
    if (state.memoryMiB !== this.memoryMiB) {
      throw new EngineError(
        'bad-state',
        `machine state has ${state.memoryMiB} MiB, this machine ${this.memoryMiB} MiB`,
      );
    }
    checkDisks(this.disks, state.disks ?? []);
    this.disks.forEach((d, i) => {
      d?.loadState(state.disks?.[i] ?? { sectors: [], data: new Uint8Array(0) });
    });
    this.mem.loadState({ size: this.mem.size, bytes: state.memory, a20: state.a20 });
    this.core.restoreState(state.cpu);
    this.board.loadState(state.devices);
    this.bios.loadState(state.devices.bios);
    this.boot = state.boot ? cloneBoot(state.boot) : null;
    this.core.stopRequested = false;
    this.resetRequested = false;
  }

  /** Power-on, then the boot `spec` describes; remembered for reset(). */
  private start(spec: BootSpec, clearMemory = true): void {
    this.powerOn(clearMemory);
    const s = this.core.s;
    switch (spec.kind) {
      case 'boot-sector':
        loadBootSector(this.mem, this.core, spec.image);
        break;
      case 'disk':
        break; // the reset vector's int 19h loads the MBR
      case 'multiboot': {
        const k = loadMultibootImage(this.mem, spec.image);
        enterProtectedMode(this.mem, s, k.entry, writeMultibootInfo(this.mem, spec.cmdline));
        break;
      }
      case 'flat':
        if (spec.address + spec.image.length > this.mem.size) {
          throw new EngineError('image-too-large', 'flat binary does not fit in memory');
        }
        this.mem.load(spec.address, spec.image);
        if (spec.protectedMode) {
          enterProtectedMode(this.mem, s, spec.address, writeMultibootInfo(this.mem, ''));
        } else {
          loadBootSector(this.mem, this.core, new Uint8Array(0));
          s.seg[CS] = spec.address >>> 4;
          s.segBase[CS] = spec.address & ~0xf;
          s.eip = spec.address & 0xf;
        }
        break;
    }
    this.boot = spec;
  }

  /** Power-on: memory cleared (unless a warm reset), CPU and devices reset, BIOS POST. */
  private powerOn(clearMemory = true): void {
    if (clearMemory) this.mem.reset();
    else this.mem.setA20(true);
    const s = this.core.s;
    resetCpuState(s);
    this.core.tlb.flush(false);
    // The ROM is not mapped at 4 GiB - 16, so start from its alias below 1 MiB (F000:FFF0).
    s.segBase[CS] = 0xf0000;
    this.core.stopRequested = false;
    this.resetRequested = false;
    this.board.reset();
    this.bios.install();
  }
}

/**
 * Refuses, changing nothing, a state whose disk deltas were taken over other disks than these:
 * another disk in some position, or the same position with other contents.
 */
function checkDisks(
  disks: readonly (CowOverlay | undefined)[],
  saved: readonly (DiskDeltaState | null)[],
): void {
  for (let i = 0; i < Math.max(disks.length, saved.length); i++) {
    const d = disks[i];
    const delta = saved[i];
    if (!delta) continue;
    if (!d) {
      throw new EngineError(
        'bad-state',
        `the saved state has writes to disk ${i}, and this machine has no disk ${i}`,
      );
    }
    if (d.baseIdentity() !== delta.identity) {
      throw new EngineError(
        'bad-state',
        `disk ${i} is not the disk the state was saved with (its contents or size differ): the saved writes cannot be applied to it`,
      );
    }
  }
}

/** A deep copy of a CPU state. */
function cloneCpu(s: CpuState): CpuState {
  const copy = createCpuState();
  copyCpuState(s, copy);
  return copy;
}

/** A copy of a boot spec that shares no buffer. */
function cloneBoot(b: BootSpec): BootSpec {
  return b.kind === 'disk' ? { kind: 'disk' } : { ...b, image: b.image.slice() };
}

/** Builds a PC: RAM, the 8259/8254/RTC/8042/VGA/UARTs/IDE/APICs, ports E9h/F4h/92h and the BIOS. */
export function createPcMachine(config: MachineConfig): Machine {
  return new PcMachine(config);
}
