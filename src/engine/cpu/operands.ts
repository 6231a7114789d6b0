// Operand access for decoded instructions: registers, memory through effective addresses, immediates (SDM 2A 2.1.5).

import type { Cpu } from './cpu';
import {
  type DecodedInstruction,
  OPK_IMM,
  OPK_MEM,
  OPK_REG,
  OPK_SREG,
} from './decoded-instruction';
import { type CpuState, getReg, setReg } from './state';

/** Computes the effective address (segment offset) of `d`'s memory operand. */
export function effectiveAddress(s: CpuState, d: DecodedInstruction): number {
  let ea = d.disp;
  if (d.memBase >= 0) ea += s.regs[d.memBase]!;
  if (d.memBase2 >= 0) ea += s.regs[d.memBase2]!;
  if (d.memIndex >= 0) ea += s.regs[d.memIndex]! * (1 << d.memScale);
  return d.adSize === 16 ? ea & 0xffff : ea >>> 0;
}

/** Reads operand `i` of `d`. */
export function readOp(cpu: Cpu, d: DecodedInstruction, i: number): number {
  switch (d.kind[i]) {
    case OPK_REG:
      return getReg(cpu.s, d.size[i]!, d.reg[i]!);
    case OPK_MEM:
      // A destination that is read, modified and written is read as a write (see readRmw).
      if (i === 0 && d.entry?.rmw) return cpu.readRmw(d.memSeg, cpu.ea, d.size[i]!);
      return cpu.readMem(d.memSeg, cpu.ea, d.size[i]!);
    case OPK_IMM:
      return d.imm[i]!;
    case OPK_SREG:
      return cpu.s.seg[d.reg[i]!]!;
    default:
      return 0;
  }
}

/** Writes operand `i` of `d` (a register or memory; segment registers go through loadSegment). */
export function writeOp(cpu: Cpu, d: DecodedInstruction, i: number, value: number): void {
  if (d.kind[i] === OPK_REG) setReg(cpu.s, d.size[i]!, d.reg[i]!, value);
  else if (d.kind[i] === OPK_MEM) cpu.writeMem(d.memSeg, cpu.ea, d.size[i]!, value);
}
