// The CPU object: state, decoded-instruction scratch, and the memory path: segment checks, paging, TLB (Intel SDM vol. 3A, 3.1, 4 and 5.3).

import type { PhysicalMemory } from '../bus/physical-memory';
import type { PortBus } from '../bus/port-bus';
import type { BlockCache } from './block-cache';
import { checkDataBreakpoints, dataBreakpointsArmed } from './debug';
import { DecodeCache } from './decode-cache';
import { type CodeSource, DecodedInstruction } from './decoded-instruction';
import { CpuFault, Vector } from './faults';
import type { FetchWindow } from './fetch';
import { ACCESS_FETCH, ACCESS_USER, ACCESS_WRITE, type PageTableAccess, walk } from './paging';
import { ram32, ramAddress, setRam32 } from './ram-access';
import { type CpuState, CS, copyCpuState, createCpuState, SS } from './state';
import { Tlb } from './tlb';

/** An instruction body: runs the decoded instruction `d` on `cpu` (cpu/exec). */
export type Handler = (cpu: Cpu, d: DecodedInstruction) => void;

/** Kinds of event passed to an EventHook (interrupts.ts EVENT_*). */
export type EventKind = number;

/**
 * A host callback that sees every exception and interrupt before architectural delivery
 * (the hypervisor's monitor, tests). It returns true when it handled the event, in which
 * case the guest's IDT/IVT is not used. `errorCode` is -1 when the event has none.
 */
export type EventHook = (vector: number, kind: EventKind, errorCode: number) => boolean;

/** An interrupt controller as the CPU sees it: the INTR line and the acknowledge cycle. */
export interface InterruptController {
  hasInterrupt(): boolean;
  /** Acknowledges the highest-priority request and returns its vector. */
  acknowledge(): number;
}

const CR0_PE = 0x1;
const CR0_PG = 0x80000000;
const CR0_AM = 0x40000;
const EFLAGS_AC = 0x40000;
const PAGE_MASK = 0xfffff000;

/**
 * A CPU: its architectural state plus the buses it reaches. Every memory access goes
 * segment (limit, type) -> linear -> paging (software TLB, walk on a miss) -> physical.
 */
export class Cpu implements CodeSource {
  /** The architectural state, one plain object. */
  readonly s: CpuState = createCpuState();
  /** The general registers as int32 (the same buffer as s.regs), for the lean path's locals. */
  readonly regs32 = new Int32Array(this.s.regs.buffer, this.s.regs.byteOffset, 8);
  /** Scratch decoded instruction, reused for every instruction. */
  readonly d = new DecodedInstruction();
  /** Effective address (segment offset) of the current instruction's memory operand. */
  ea = 0;
  /** EIP of the instruction being executed. */
  instructionStart = 0;
  /** Set by a REP string instruction that stopped early to be resumed; it did not retire. */
  repPending = false;
  /** Set by a device or firmware to end the current run after this instruction. */
  stopRequested = false;
  /** DR7 arms a data breakpoint: memory accesses are checked (debug.ts); kept in sync by MOV DR7. */
  dataWatch = false;
  /** B0-B3 of data breakpoints hit by the current instruction; its #DB trap follows it. */
  debugTrapHits = 0;
  /** The instruction running now loaded SS: its #DB traps wait for the next (debug.ts). */
  stackLoaded = false;
  /** The translation cache; never saved (see restoreState). */
  readonly tlb = new Tlb();
  /** The fast tier's decoded instructions (fast-step.ts); never saved. */
  readonly decodeCache: DecodeCache;
  /** The fast tier's basic blocks (block-cache.ts), created by its first run; never saved. */
  blocks: BlockCache | null = null;
  /** The decoder's window on the current instruction's bytes (fetch.ts), made on first use. */
  fetchWindow: FetchWindow | null = null;
  /** EIP of the instruction a block faulted on (block-chain.ts, block-compiler.ts). */
  blockFault = 0;
  /** Instructions a translated block retired before the one that faulted. */
  blockRetired = 0;
  /** The INTR line's source (PIC or APIC), wired by the machine; null = no external interrupts. */
  interruptController: InterruptController | null = null;
  /** Host callback consulted first for every exception and interrupt (interrupts.ts). */
  eventHook: EventHook | null = null;
  /**
   * How the page walker reaches paging-structure entries: guest-physical memory for a plain
   * CPU. A second translation stage (nested paging) replaces this with a wrapper that maps
   * guest-physical to host-physical addresses, and overrides finalFrame likewise.
   */
  pageTables: PageTableAccess;

  /** RAM as dwords (the same buffer as mem.bytes), for aligned accesses on the fast path. */
  readonly ram32: Int32Array;

  constructor(
    readonly mem: PhysicalMemory,
    readonly io: PortBus,
  ) {
    this.ram32 = new Int32Array(mem.bytes.buffer, mem.bytes.byteOffset, mem.size >>> 2);
    this.decodeCache = new DecodeCache(mem);
    this.pageTables = {
      read32: (a) => mem.read32(a),
      write32: (a, v) => mem.write32(a, v),
    };
  }

  /** Maps the frame a guest walk produced to the frame accessed; the nested-paging hook. */
  finalFrame(frame: number): number {
    return frame;
  }

  /** Latches a non-maskable interrupt; it is taken at the next instruction boundary. */
  raiseNmi(): void {
    this.s.nmiPending = true;
  }

  /** Loads a saved state and drops every cached translation (the TLB is never saved). */
  restoreState(state: CpuState): void {
    copyCpuState(state, this.s);
    this.tlb.flush(false);
    this.dataWatch = dataBreakpointsArmed(this.s);
  }

  /** Default operand and address size of the code segment (CS.D). */
  get codeSize(): 16 | 32 {
    return (this.s.segAttr[CS]! & 0x4000) !== 0 ? 32 : 16;
  }

  /** ACCESS_USER when the CPU runs at CPL 3, else 0: the U/S of an ordinary access. */
  get userAccess(): number {
    return this.s.cpl === 3 ? ACCESS_USER : 0;
  }

  /** Fetches instruction byte `offset` after the current EIP (decoder's code source). */
  codeByte(offset: number): number {
    const s = this.s;
    const ip = s.eip + offset;
    if (ip > s.segLimit[CS]!) throw new CpuFault(Vector.GP, 0);
    const lin = (s.segBase[CS]! + ip) >>> 0;
    return this.mem.read8(this.translate(lin, ACCESS_FETCH | this.userAccess));
  }

  /**
   * Physical address of `linear` for `access` (paging.ts ACCESS_*). With paging off it is
   * the identity; with paging on the fast path is one TLB load and one bit test.
   */
  translate(linear: number, access: number): number {
    if ((this.s.cr0 & CR0_PG) === 0) return linear;
    const e = this.tlb.entries[linear >>> 12]!;
    if ((e & (1 << ((access >> 1) & 3))) !== 0) return ((e & PAGE_MASK) | (linear & 0xfff)) >>> 0;
    return walk(this, linear, access);
  }

  /**
   * Linear address of `size` bytes at `seg`:`offset` after the limit check and, in protected
   * mode, the type check (write to a read-only or code segment, read of an execute-only one,
   * use of a null selector): #SS(0) for SS, #GP(0) otherwise (SDM 3A 5.3 and 5.4).
   */
  linear(seg: number, offset: number, size: number, write = false): number {
    const s = this.s;
    const attr = s.segAttr[seg]!;
    if ((s.cr0 & CR0_PE) !== 0) {
      const bad = write ? (attr & 0x8a) !== 0x82 : (attr & 0x80) === 0 || (attr & 0x8a) === 0x88;
      if (bad) throw new CpuFault(seg === SS ? Vector.SS : Vector.GP, 0);
    }
    const limit = s.segLimit[seg]!;
    if ((attr & 0x1c) === 0x14) {
      // Expand-down data: valid offsets run from limit + 1 to 0xFFFF or 0xFFFFFFFF (B bit).
      const top = (attr & 0x4000) !== 0 ? 0xffffffff : 0xffff;
      if (offset <= limit || offset + size - 1 > top) {
        throw new CpuFault(seg === SS ? Vector.SS : Vector.GP, 0);
      }
    } else if (offset + size - 1 > limit) {
      throw new CpuFault(seg === SS ? Vector.SS : Vector.GP, 0);
    }
    return (s.segBase[seg]! + offset) >>> 0;
  }

  /** Reads a byte at linear `lin` with access bits `access` (ACCESS_USER or 0). */
  readLinear8(lin: number, access: number): number {
    return this.mem.read8(this.translate(lin, access));
  }

  /** Reads a word at linear `lin`; an access crossing a page translates both pages. */
  readLinear16(lin: number, access: number): number {
    if ((lin & 0xfff) === 0xfff) {
      return this.readLinear8(lin, access) | (this.readLinear8((lin + 1) >>> 0, access) << 8);
    }
    return this.mem.read16(this.translate(lin, access));
  }

  /** Reads a dword at linear `lin`. */
  readLinear32(lin: number, access: number): number {
    if ((lin & 0xfff) > 0xffc) {
      return (
        (this.readLinear16(lin, access) | (this.readLinear16((lin + 2) >>> 0, access) << 16)) >>> 0
      );
    }
    return this.mem.read32(this.translate(lin, access));
  }

  /** Writes a byte at linear `lin`. */
  writeLinear8(lin: number, value: number, access: number): void {
    this.mem.write8(this.translate(lin, access | ACCESS_WRITE), value);
  }

  /** Writes a word at linear `lin`; both pages are checked before either is written. */
  writeLinear16(lin: number, value: number, access: number): void {
    if ((lin & 0xfff) === 0xfff) {
      this.writeSplit(lin, value, 2, access);
      return;
    }
    this.mem.write16(this.translate(lin, access | ACCESS_WRITE), value);
  }

  /** Writes a dword at linear `lin`. */
  writeLinear32(lin: number, value: number, access: number): void {
    if ((lin & 0xfff) > 0xffc) {
      this.writeSplit(lin, value, 4, access);
      return;
    }
    this.mem.write32(this.translate(lin, access | ACCESS_WRITE), value);
  }

  private writeSplit(lin: number, value: number, bytes: number, access: number): void {
    const next = ((lin | 0xfff) + 1) >>> 0;
    const first = this.translate(lin, access | ACCESS_WRITE);
    const second = this.translate(next, access | ACCESS_WRITE);
    for (let i = 0; i < bytes; i++) {
      const a = (lin + i) >>> 0;
      const p = a < next || next === 0 ? first + i : second + (a - next);
      this.mem.write8(p, value >>> (8 * i));
    }
  }

  /** #AC(0) for a misaligned access at CPL 3 with CR0.AM and EFLAGS.AC set (SDM 3A 6.15). */
  private alignmentCheck(): void {
    const s = this.s;
    if ((s.cr0 & CR0_AM) !== 0 && (s.eflags & EFLAGS_AC) !== 0 && s.cpl === 3) {
      throw new CpuFault(Vector.AC, 0);
    }
  }

  /** Reads a byte at `seg`:`offset`. */
  read8(seg: number, offset: number): number {
    const p = ramAddress(this, seg, offset, 1, false);
    if (p >= 0) return this.mem.bytes[p]!;
    const lin = this.linear(seg, offset, 1);
    if (this.dataWatch) checkDataBreakpoints(this, lin, 1, false);
    return this.readLinear8(lin, this.userAccess);
  }

  /** Reads a word at `seg`:`offset`. */
  read16(seg: number, offset: number): number {
    const p = ramAddress(this, seg, offset, 2, false);
    if (p >= 0) return this.mem.bytes[p]! | (this.mem.bytes[p + 1]! << 8);
    const lin = this.linear(seg, offset, 2);
    if ((lin & 1) !== 0) this.alignmentCheck();
    if (this.dataWatch) checkDataBreakpoints(this, lin, 2, false);
    return this.readLinear16(lin, this.userAccess);
  }

  /** Reads a dword at `seg`:`offset`. */
  read32(seg: number, offset: number): number {
    const p = ramAddress(this, seg, offset, 4, false);
    if (p >= 0) return ram32(this, p);
    const lin = this.linear(seg, offset, 4);
    if ((lin & 3) !== 0) this.alignmentCheck();
    if (this.dataWatch) checkDataBreakpoints(this, lin, 4, false);
    return this.readLinear32(lin, this.userAccess);
  }

  /** Reads `size` bits at `seg`:`offset`. */
  readMem(seg: number, offset: number, size: number): number {
    if (size === 8) return this.read8(seg, offset);
    if (size === 16) return this.read16(seg, offset);
    return this.read32(seg, offset);
  }

  /**
   * Reads `size` bits at `seg`:`offset` for a read-modify-write: the segment must be
   * writable and the page is translated as for a write (A and D set, W/R = 1 in a #PF error
   * code), so the read faults as the write would.
   */
  readRmw(seg: number, offset: number, size: number): number {
    const bytes = size >> 3;
    const p = ramAddress(this, seg, offset, bytes, true);
    if (p >= 0) {
      if (size === 8) return this.mem.bytes[p]!;
      if (size === 16) return this.mem.bytes[p]! | (this.mem.bytes[p + 1]! << 8);
      return ram32(this, p);
    }
    const lin = this.linear(seg, offset, bytes, true);
    if (size !== 8 && (lin & (bytes - 1)) !== 0) this.alignmentCheck();
    if (this.dataWatch) checkDataBreakpoints(this, lin, bytes, false);
    const access = this.userAccess | ACCESS_WRITE;
    if (size === 8) return this.readLinear8(lin, access);
    if (size === 16) return this.readLinear16(lin, access);
    return this.readLinear32(lin, access);
  }

  /** Writes a byte at `seg`:`offset`. */
  write8(seg: number, offset: number, value: number): void {
    const p = ramAddress(this, seg, offset, 1, true);
    if (p >= 0) {
      this.mem.bytes[p] = value;
      return;
    }
    const lin = this.linear(seg, offset, 1, true);
    if (this.dataWatch) checkDataBreakpoints(this, lin, 1, true);
    this.writeLinear8(lin, value, this.userAccess);
  }

  /** Writes a word at `seg`:`offset`. */
  write16(seg: number, offset: number, value: number): void {
    const p = ramAddress(this, seg, offset, 2, true);
    if (p >= 0) {
      this.mem.bytes[p] = value;
      this.mem.bytes[p + 1] = value >>> 8;
      return;
    }
    const lin = this.linear(seg, offset, 2, true);
    if ((lin & 1) !== 0) this.alignmentCheck();
    if (this.dataWatch) checkDataBreakpoints(this, lin, 2, true);
    this.writeLinear16(lin, value, this.userAccess);
  }

  /** Writes a dword at `seg`:`offset`. */
  write32(seg: number, offset: number, value: number): void {
    const p = ramAddress(this, seg, offset, 4, true);
    if (p >= 0) {
      setRam32(this, p, value);
      return;
    }
    const lin = this.linear(seg, offset, 4, true);
    if ((lin & 3) !== 0) this.alignmentCheck();
    if (this.dataWatch) checkDataBreakpoints(this, lin, 4, true);
    this.writeLinear32(lin, value, this.userAccess);
  }

  /** Writes `size` bits at `seg`:`offset`. */
  writeMem(seg: number, offset: number, size: number, value: number): void {
    if (size === 8) this.write8(seg, offset, value);
    else if (size === 16) this.write16(seg, offset, value);
    else this.write32(seg, offset, value);
  }
}
