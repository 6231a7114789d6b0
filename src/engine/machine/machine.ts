// The Machine contract that faces (CLI, worker, UI) drive: config, console sink, run results, state.

import type { EngineError } from '../bus/errors';
import type { CpuState } from '../cpu/state';
import type { DebugPortState } from '../devices/debug-port-e9';
import type { ExitPortState } from '../devices/exit-port-f4';
import type { Uart16550State } from '../devices/uart-16550';
import type { BiosState } from '../firmware/bios';

/** Where a machine's console bytes go: COM1 transmit, debug port 0xE9, BIOS teletype text. */
export interface ConsoleSink {
  write(port: 'com1' | 'debug' | 'screen', byte: number): void;
}

/** What a PC machine is built from. */
export interface MachineConfig {
  /** RAM size in MiB, 1..3072. */
  memoryMiB: number;
  console: ConsoleSink;
}

/** Why run() returned. */
export type RunResult =
  | { reason: 'budget' }
  | { reason: 'halted'; interruptsEnabled: boolean }
  | { reason: 'exit'; status: number }
  | { reason: 'error'; error: EngineError };

/** Version of MachineState; bumped on every change of its shape. */
export const MACHINE_STATE_VERSION = 1;

/** A whole machine's state: plain objects and typed arrays, structured-clone-able. */
export interface MachineState {
  version: number;
  memoryMiB: number;
  cpu: CpuState;
  memory: Uint8Array;
  devices: {
    com1: Uart16550State;
    debug: DebugPortState;
    exit: ExitPortState;
    bios: BiosState;
  };
  /** The boot image that reset() reloads, if any. */
  bootImage: Uint8Array | null;
}

/** A running PC. */
export interface Machine {
  /** Loads a boot image at 0x7C00 and sets the CPU as a BIOS does; reset() reloads it. */
  loadBootSector(image: Uint8Array): void;
  /** Executes up to `budget` instructions; never throws for guest-caused problems. */
  run(budget: number): RunResult;
  /** Resets CPU, devices and memory, then reloads the remembered boot image. */
  reset(): void;
  /** Host input (keyboard, pipe) for the COM1 receiver. */
  serialInput(bytes: ArrayLike<number>): void;
  /** Instructions retired since reset. */
  readonly icount: number;
  /** A read-only view of CS:IP for a status line. */
  readonly cpu: { readonly ip: number; readonly cs: number };
  saveState(): MachineState;
  loadState(state: MachineState): void;
}
