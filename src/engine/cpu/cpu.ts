// The CPU object: state, decoded-instruction scratch and segmented memory access (Intel SDM vol. 3A, 3.1 and 5.3).

import type { PhysicalMemory } from '../bus/physical-memory';
import type { PortBus } from '../bus/port-bus';
import { type CodeSource, DecodedInstruction } from './decoded-instruction';
import { CpuFault, Vector } from './faults';
import { type CpuState, CS, createCpuState, SS } from './state';

/** An instruction body: runs the decoded instruction `d` on `cpu` (cpu/exec). */
export type Handler = (cpu: Cpu, d: DecodedInstruction) => void;

/**
 * A CPU: its architectural state plus the buses it reaches. Memory goes through segment
 * checks here; paging will slot in between the linear and physical address.
 */
export class Cpu implements CodeSource {
  /** The architectural state, one plain object. */
  readonly s: CpuState = createCpuState();
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

  constructor(
    readonly mem: PhysicalMemory,
    readonly io: PortBus,
  ) {}

  /** Default operand and address size of the code segment (CS.D). */
  get codeSize(): 16 | 32 {
    return (this.s.segAttr[CS]! & 0x4000) !== 0 ? 32 : 16;
  }

  /** Fetches instruction byte `offset` after the current EIP (decoder's code source). */
  codeByte(offset: number): number {
    const s = this.s;
    const ip = s.eip + offset;
    if (ip > s.segLimit[CS]!) throw new CpuFault(Vector.GP, 0);
    return this.mem.read8((s.segBase[CS]! + ip) >>> 0);
  }

  /** Linear address of `size` bytes at `seg`:`offset`, after the segment limit check. */
  linear(seg: number, offset: number, size: number): number {
    const s = this.s;
    if (offset + size - 1 > s.segLimit[seg]!) {
      throw new CpuFault(seg === SS ? Vector.SS : Vector.GP, 0);
    }
    return (s.segBase[seg]! + offset) >>> 0;
  }

  /** Reads a byte at `seg`:`offset`. */
  read8(seg: number, offset: number): number {
    return this.mem.read8(this.linear(seg, offset, 1));
  }

  /** Reads a word at `seg`:`offset`. */
  read16(seg: number, offset: number): number {
    return this.mem.read16(this.linear(seg, offset, 2));
  }

  /** Reads a dword at `seg`:`offset`. */
  read32(seg: number, offset: number): number {
    return this.mem.read32(this.linear(seg, offset, 4));
  }

  /** Reads `size` bits at `seg`:`offset`. */
  readMem(seg: number, offset: number, size: number): number {
    if (size === 8) return this.read8(seg, offset);
    if (size === 16) return this.read16(seg, offset);
    return this.read32(seg, offset);
  }

  /** Writes a byte at `seg`:`offset`. */
  write8(seg: number, offset: number, value: number): void {
    this.mem.write8(this.linear(seg, offset, 1), value);
  }

  /** Writes a word at `seg`:`offset`. */
  write16(seg: number, offset: number, value: number): void {
    this.mem.write16(this.linear(seg, offset, 2), value);
  }

  /** Writes a dword at `seg`:`offset`. */
  write32(seg: number, offset: number, value: number): void {
    this.mem.write32(this.linear(seg, offset, 4), value);
  }

  /** Writes `size` bits at `seg`:`offset`. */
  writeMem(seg: number, offset: number, size: number, value: number): void {
    if (size === 8) this.write8(seg, offset, value);
    else if (size === 16) this.write16(seg, offset, value);
    else this.write32(seg, offset, value);
  }
}
