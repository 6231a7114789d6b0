// The Machine contract that faces (CLI, worker, UI) drive: config, console sink, run results, state.

import type { EngineError } from '../bus/errors';
import type { CpuState } from '../cpu/state';
import type { DebugPortState } from '../devices/debug-port-e9';
import type { BlockDevice } from '../disks/block-device';
import type { BiosState } from '../firmware/bios';
import type { BoardState } from './pc-board';

/** Where a machine's console bytes go: COM1 transmit, debug port 0xE9, BIOS teletype text. */
export interface ConsoleSink {
  write(port: 'com1' | 'debug' | 'screen', byte: number): void;
}

/** Default RAM size in MiB. */
export const DEFAULT_MEMORY_MIB = 256;
/** Largest RAM size in MiB; the APIC and BIOS pages stay above RAM near 4 GiB. */
export const MAX_MEMORY_MIB = 2048;

/** What a PC machine is built from. */
export interface MachineConfig {
  /** RAM size in MiB, 1..2048; 256 when absent. */
  memoryMiB?: number;
  console: ConsoleSink;
  /** Disks on IDE primary master, primary slave, secondary master, secondary slave. */
  disks?: readonly (BlockDevice | undefined)[];
  /** Receives COM2's transmitted bytes; dropped when absent. */
  com2?: (byte: number) => void;
  /** Nominal rate that turns icount into virtual time (default 100,000,000 a second). */
  instructionsPerSecond?: number;
  /** Wall-clock time (ms since 1970) the RTC shows at power-on; a fixed date by default. */
  rtcEpochMs?: number;
  /** CPU tier: 'fast' (decoded-instruction cache, the default) or 'reference' (decode every time). */
  tier?: CpuTier;
}

/** The CPU tiers; both give the same results (DESIGN.md 2.1 "Speed"). */
export type CpuTier = 'fast' | 'reference';

/** Why run() returned. */
export type RunResult =
  | { reason: 'budget' }
  | { reason: 'halted'; interruptsEnabled: boolean }
  | { reason: 'exit'; status: number }
  | { reason: 'error'; error: EngineError };

/** Version of MachineState; bumped on every change of its shape (3: disk contents). */
export const MACHINE_STATE_VERSION = 3;
/** Older versions loadState still accepts: 2 had no disk contents (disks read as their base). */
export const MACHINE_STATE_VERSIONS_READ = [2, 3];

/**
 * What the guest wrote to one disk since the machine was made: the written sectors, ascending,
 * and their contents, over the base disk that `identity` (disks/disk-identity.ts) names.
 */
export interface DiskDeltaState {
  identity: string;
  sectors: number[];
  data: Uint8Array;
}

/** How the machine starts after a reset. */
export type BootSpec =
  | { kind: 'boot-sector'; image: Uint8Array }
  | { kind: 'disk' }
  | { kind: 'multiboot'; image: Uint8Array; cmdline: string }
  | { kind: 'flat'; image: Uint8Array; address: number; protectedMode: boolean };

/** A whole machine's state: plain objects and typed arrays, structured-clone-able. */
export interface MachineState {
  version: number;
  memoryMiB: number;
  cpu: CpuState;
  memory: Uint8Array;
  /** The A20 gate. */
  a20: boolean;
  devices: BoardState & { debug: DebugPortState; bios: BiosState };
  /** The boot image that reset() reloads, if any (boot-sector boots). */
  bootImage: Uint8Array | null;
  /** How reset() starts the machine again. */
  boot: BootSpec | null;
  /** Per IDE position, the guest's writes to that disk; null where no disk is attached. */
  disks?: (DiskDeltaState | null)[];
}

/** The 80x25 text screen: lines without trailing blanks, raw cells and the cursor. */
export interface TextScreen {
  lines: string[];
  /** 80 * 25 character/attribute words, as in video memory. */
  cells: Uint16Array;
  cursor: { row: number; column: number; visible: boolean };
}

/** Counters for `vmlab run --stats`. */
export interface MachineStats {
  icount: number;
  virtualTimeNs: number;
  devices: Record<string, Record<string, number>>;
}

/** A running PC. */
export interface Machine {
  /** Loads a boot image at 0x7C00 and sets the CPU as a BIOS does; reset() reloads it. */
  loadBootSector(image: Uint8Array): void;
  /** Powers on with the firmware booting the first disk's MBR (the reset vector's int 19h). */
  bootFromDisk(): void;
  /** Loads a Multiboot (v1) kernel, ELF32 or a.out kludge, and enters it in protected mode. */
  loadKernel(image: Uint8Array, cmdline?: string): void;
  /** Loads a flat binary at `address` and starts it there, in real mode (CS:IP = addr>>4:addr&F) or flat protected mode. */
  loadFlat(image: Uint8Array, address: number, protectedMode: boolean): void;
  /** Executes up to `budget` instructions; never throws for guest-caused problems. */
  run(budget: number): RunResult;
  /** Resets CPU, devices and memory, then boots again the same way. */
  reset(): void;
  /** Host input (keyboard, pipe) for the COM1 receiver. */
  serialInput(bytes: ArrayLike<number>): void;
  /** A key press or release by KeyboardEvent.code for the 8042; false for unknown keys. */
  keyEvent(code: string, down: boolean): boolean;
  /** Types ASCII text on the PS/2 keyboard (make and break codes). */
  typeText(bytes: ArrayLike<number>): void;
  /** The VGA text screen. */
  screen(): TextScreen;
  /** Virtual time since power-on (ns). */
  readonly virtualTimeNs: number;
  /** When the next armed timer falls due (virtual ns); Infinity when none is armed. */
  nextTimerNs(): number;
  /**
   * Bounds idle skips for hosts that pace virtual time to the wall clock: while every CPU is
   * halted, time does not jump past `ns` and run() returns halted instead. Infinity (the
   * default) skips freely, as headless runs do.
   */
  setIdleHorizon(ns: number): void;
  /** Counters: icount, virtual time, per-device activity. */
  stats(): MachineStats;
  /** Instructions retired since reset. */
  readonly icount: number;
  /** A read-only view of CS:IP for a status line. */
  readonly cpu: { readonly ip: number; readonly cs: number };
  saveState(): MachineState;
  /**
   * Guest RAM itself (not a copy), for a restore that decodes a snapshot straight into it
   * and then passes loadState a state whose memory is this very buffer.
   */
  memoryView(): Uint8Array;
  /**
   * Writes the guest's disk writes, kept in copy-on-write overlays until now, through to the
   * disks the machine was given (CLI runs on image files), and empties the overlays.
   */
  commitDisks(): void;
  loadState(state: MachineState): void;
}
