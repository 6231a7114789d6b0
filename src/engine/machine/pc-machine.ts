// A PC wired from the parts: RAM, port bus, CPU, COM1, debug and exit ports, built-in BIOS (DESIGN.md 2.2).

import { UnconnectedIrqLine } from '../bus/device';
import { EngineError } from '../bus/errors';
import { PC_KNOWN_PORTS } from '../bus/pc-port-map';
import { PhysicalMemory } from '../bus/physical-memory';
import { PortBus } from '../bus/port-bus';
import { Cpu } from '../cpu/cpu';
import { IF } from '../cpu/flags';
import { step } from '../cpu/interpreter';
import { CS, copyCpuState, resetCpuState } from '../cpu/state';
import { DebugPortE9 } from '../devices/debug-port-e9';
import { ExitPortF4 } from '../devices/exit-port-f4';
import { Uart16550 } from '../devices/uart-16550';
import { Bios } from '../firmware/bios';
import { loadBootSector } from '../firmware/boot-sector';
import {
  MACHINE_STATE_VERSION,
  type Machine,
  type MachineConfig,
  type MachineState,
  type RunResult,
} from './machine';

const MIB = 1024 * 1024;
const MAX_MEMORY_MIB = 3072;

class PcMachine implements Machine {
  private readonly memoryMiB: number;
  private readonly mem: PhysicalMemory;
  private readonly bus = new PortBus(PC_KNOWN_PORTS);
  private readonly core: Cpu;
  private readonly com1: Uart16550;
  private readonly debugPort: DebugPortE9;
  private readonly exitPort: ExitPortF4;
  private readonly bios: Bios;
  private bootImage: Uint8Array | null = null;
  readonly cpu: { readonly ip: number; readonly cs: number };

  constructor(config: MachineConfig) {
    const mib = config.memoryMiB;
    if (!Number.isInteger(mib) || mib < 1 || mib > MAX_MEMORY_MIB) {
      throw new EngineError(
        'invalid-config',
        `memoryMiB must be an integer from 1 to ${MAX_MEMORY_MIB}`,
      );
    }
    this.memoryMiB = mib;
    this.mem = new PhysicalMemory(mib * MIB);
    this.core = new Cpu(this.mem, this.bus);
    const out = config.console;
    this.com1 = new Uart16550(0x3f8, (b) => out.write('com1', b), new UnconnectedIrqLine());
    this.debugPort = new DebugPortE9((b) => out.write('debug', b));
    this.exitPort = new ExitPortF4(() => {
      this.core.stopRequested = true;
    });
    this.bios = new Bios(this.mem, this.core.s, (b) => out.write('screen', b));
    for (const device of [this.com1, this.debugPort, this.exitPort, this.bios]) {
      for (const range of device.portRanges) this.bus.register(range);
    }
    const s = this.core.s;
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
    this.powerOn();
    loadBootSector(this.mem, this.core, image);
    this.bootImage = image.slice();
  }

  run(budget: number): RunResult {
    const cpu = this.core;
    const s = cpu.s;
    if (this.exitPort.exited) return { reason: 'exit', status: this.exitPort.status };
    try {
      for (let n = 0; n < budget; n++) {
        if (s.halted) return { reason: 'halted', interruptsEnabled: (s.eflags & IF) !== 0 };
        step(cpu);
        if (cpu.stopRequested) {
          cpu.stopRequested = false;
          if (this.exitPort.exited) return { reason: 'exit', status: this.exitPort.status };
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
    if (s.halted) return { reason: 'halted', interruptsEnabled: (s.eflags & IF) !== 0 };
    return { reason: 'budget' };
  }

  reset(): void {
    this.powerOn();
    if (this.bootImage) loadBootSector(this.mem, this.core, this.bootImage);
  }

  serialInput(bytes: ArrayLike<number>): void {
    this.com1.receive(bytes);
  }

  saveState(): MachineState {
    const cpu = { ...this.core.s };
    const copy = {
      ...cpu,
      regs: cpu.regs.slice(),
      seg: cpu.seg.slice(),
      segBase: cpu.segBase.slice(),
      segLimit: cpu.segLimit.slice(),
      segAttr: cpu.segAttr.slice(),
    };
    return {
      version: MACHINE_STATE_VERSION,
      memoryMiB: this.memoryMiB,
      cpu: copy,
      memory: this.mem.saveState().bytes,
      devices: {
        com1: this.com1.saveState(),
        debug: this.debugPort.saveState(),
        exit: this.exitPort.saveState(),
        bios: this.bios.saveState(),
      },
      bootImage: this.bootImage ? this.bootImage.slice() : null,
    };
  }

  loadState(state: MachineState): void {
    if (state.version !== MACHINE_STATE_VERSION) {
      throw new EngineError(
        'bad-state',
        `machine state version ${state.version} is not ${MACHINE_STATE_VERSION}`,
      );
    }
    if (state.memoryMiB !== this.memoryMiB) {
      throw new EngineError(
        'bad-state',
        `machine state has ${state.memoryMiB} MiB, this machine ${this.memoryMiB} MiB`,
      );
    }
    this.mem.loadState({ size: this.mem.size, bytes: state.memory });
    copyCpuState(state.cpu, this.core.s);
    this.com1.loadState(state.devices.com1);
    this.debugPort.loadState(state.devices.debug);
    this.exitPort.loadState(state.devices.exit);
    this.bios.loadState(state.devices.bios);
    this.bootImage = state.bootImage ? state.bootImage.slice() : null;
    this.core.stopRequested = false;
  }

  /** Power-on: memory cleared, CPU and devices reset, BIOS tables and stubs installed. */
  private powerOn(): void {
    this.mem.reset();
    resetCpuState(this.core.s);
    // The ROM is not mapped at 4 GiB - 16, so start from its alias below 1 MiB (F000:FFF0).
    this.core.s.segBase[CS] = 0xf0000;
    this.core.stopRequested = false;
    for (const device of [this.com1, this.debugPort, this.exitPort, this.bios]) device.reset();
    this.bios.install();
  }
}

/** Builds a PC: RAM, COM1 at 3F8h, debug port E9h, exit port F4h and the built-in BIOS. */
export function createPcMachine(config: MachineConfig): Machine {
  return new PcMachine(config);
}
