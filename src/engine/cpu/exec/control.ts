// Control transfer: JMP, Jcc, LOOPcc, JCXZ, CALL, RET, INT, INTO, IRET (Intel SDM vol. 2, instruction reference).

import type { Cpu, Handler } from '../cpu';
import { type DecodedInstruction, OPK_FAR } from '../decoded-instruction';
import { CpuFault, Vector } from '../faults';
import { condition, getOF, setEflags } from '../flags';
import { deliverEvent, EVENT_SOFTWARE } from '../interrupts';
import { readOp } from '../operands';
import { loadCodeSegment } from '../segmentation';
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

const INT: Handler = (c, d) => deliverEvent(c, d.imm[0]!, EVENT_SOFTWARE, c.s.eip);

const INT3: Handler = (c) => deliverEvent(c, Vector.BP, EVENT_SOFTWARE, c.s.eip);

const INTO: Handler = (c) => {
  if (getOF(c.s)) deliverEvent(c, Vector.OF, EVENT_SOFTWARE, c.s.eip);
};

// Far JMP/CALL (EA/9A ptr16:16, FF /5 and FF /3 m16:16) and RETF, in real mode for now.
function farTarget(c: Cpu, d: DecodedInstruction): [number, number] {
  if (d.kind[0] === OPK_FAR) return [d.farSeg, d.imm[0]!];
  const offset = c.readMem(d.memSeg, c.ea, d.opSize);
  const selector = c.read16(
    d.memSeg,
    (c.ea + d.opSize / 8) & (d.adSize === 16 ? 0xffff : 0xffffffff),
  );
  return [selector, offset];
}

const JMP_FAR: Handler = (c, d) => {
  const [selector, offset] = farTarget(c, d);
  loadCodeSegment(c, selector, offset);
};

const CALL_FAR: Handler = (c, d) => {
  const [selector, offset] = farTarget(c, d);
  push(c, d.opSize, c.s.seg[CS]!);
  push(c, d.opSize, c.s.eip);
  loadCodeSegment(c, selector, offset);
};

const RETF: Handler = (c, d) => {
  const ip = pop(c, d.opSize);
  const cs = pop(c, d.opSize) & 0xffff;
  loadCodeSegment(c, cs, ip);
  if (d.count === 1) adjustSp(c, d.imm[0]!);
};

// Real-mode IRET: pops IP, CS, FLAGS. A 16-bit pop leaves EFLAGS bits 16-31 alone.
const IRET: Handler = (c, d) => {
  const size = d.opSize;
  const ip = pop(c, size);
  const cs = pop(c, size) & 0xffff;
  const flags = pop(c, size);
  loadCodeSegment(c, cs, ip);
  setEflags(c.s, flags, size === 16 ? 0x7fd5 : 0x257fd5);
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
  JMP_FAR,
  CALL_FAR,
  RETF,
  INT,
  INT3,
  INTO,
  IRET,
};
