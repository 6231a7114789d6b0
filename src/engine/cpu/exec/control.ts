// Near control transfer: JMP, Jcc, LOOPcc, JCXZ, CALL, RET (Intel SDM vol. 2); far transfers are in far-control.ts.

import type { Cpu, Handler } from '../cpu';
import type { DecodedInstruction } from '../decoded-instruction';
import { CpuFault, Vector } from '../faults';
import { condition } from '../flags';
import { readOp } from '../operands';
import { adjustSp, pop, push } from '../stack';
import { CS, ECX } from '../state';

/** Sets EIP to `target`, truncated to the operand size and checked against the CS limit. */
function jumpTo(c: Cpu, d: DecodedInstruction, target: number): void {
  const eip = d.opSize === 16 ? target & 0xffff : target >>> 0;
  if (eip > c.s.segLimit[CS]!) throw new CpuFault(Vector.GP, 0);
  c.s.eip = eip;
}

const JMP_REL: Handler = (c, d) => jumpTo(c, d, c.s.eip + d.imm[0]!);

const JMP_INDIRECT: Handler = (c, d) => jumpTo(c, d, readOp(c, d, 0));

const JCC: Handler = (c, d) => {
  if (condition(c.s, d.opcode & 0xf)) jumpTo(c, d, c.s.eip + d.imm[0]!);
};

/** Decrements CX (or ECX with a 32-bit address size) and returns the new count. */
function decrementCount(c: Cpu, d: DecodedInstruction): number {
  const s = c.s;
  if (d.adSize === 16) {
    const cx = (s.regs[ECX]! - 1) & 0xffff;
    s.regs[ECX] = (s.regs[ECX]! & 0xffff0000) | cx;
    return cx;
  }
  s.regs[ECX] = s.regs[ECX]! - 1;
  return s.regs[ECX]!;
}

// E2 LOOP, E1 LOOPZ (ZF = 1), E0 LOOPNZ (ZF = 0); the count is decremented first, flags untouched.
const LOOP: Handler = (c, d) => {
  const count = decrementCount(c, d);
  let taken = count !== 0;
  if (d.opcode === 0xe1) taken &&= condition(c.s, 0x4);
  else if (d.opcode === 0xe0) taken &&= condition(c.s, 0x5);
  if (taken) jumpTo(c, d, c.s.eip + d.imm[0]!);
};

const JCXZ: Handler = (c, d) => {
  const count = d.adSize === 16 ? c.s.regs[ECX]! & 0xffff : c.s.regs[ECX]!;
  if (count === 0) jumpTo(c, d, c.s.eip + d.imm[0]!);
};

const CALL_REL: Handler = (c, d) => {
  const target = c.s.eip + d.imm[0]!;
  push(c, d.opSize, c.s.eip);
  jumpTo(c, d, target);
};

const CALL_INDIRECT: Handler = (c, d) => {
  const target = readOp(c, d, 0);
  push(c, d.opSize, c.s.eip);
  jumpTo(c, d, target);
};

// C3 RET and C2 RET imm16: the immediate releases parameters after the return address.
const RET: Handler = (c, d) => {
  const target = pop(c, d.opSize);
  jumpTo(c, d, target);
  if (d.count === 1) adjustSp(c, d.imm[0]!);
};

/** Control-transfer handlers by exec name. */
export const controlHandlers: Record<string, Handler> = {
  JMP_REL,
  JMP_INDIRECT,
  JCC,
  LOOP,
  JCXZ,
  CALL_REL,
  CALL_INDIRECT,
  RET,
};
