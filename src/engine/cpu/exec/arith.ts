// Integer arithmetic: ADD, ADC, SUB, SBB, CMP, INC, DEC, NEG (Intel SDM vol. 2, instruction reference).

import type { Handler } from '../cpu';
import { add, dec, getCF, inc, sizeMask, sub } from '../flags';
import { readOp, writeOp } from '../operands';

// Each body writes its result before recording the flags, so that a fault on a memory write
// leaves EFLAGS unchanged (the interpreter rolls back only EIP).

const ADD: Handler = (c, d) => {
  const size = d.size[0]!;
  const a = readOp(c, d, 0);
  const b = readOp(c, d, 1);
  writeOp(c, d, 0, ((a + b) & sizeMask(size)) >>> 0);
  add(c.s, size, a, b, 0);
};

const ADC: Handler = (c, d) => {
  const size = d.size[0]!;
  const carry = getCF(c.s);
  const a = readOp(c, d, 0);
  const b = readOp(c, d, 1);
  writeOp(c, d, 0, ((a + b + carry) & sizeMask(size)) >>> 0);
  add(c.s, size, a, b, carry);
};

const SUB: Handler = (c, d) => {
  const size = d.size[0]!;
  const a = readOp(c, d, 0);
  const b = readOp(c, d, 1);
  writeOp(c, d, 0, ((a - b) & sizeMask(size)) >>> 0);
  sub(c.s, size, a, b, 0);
};

const SBB: Handler = (c, d) => {
  const size = d.size[0]!;
  const borrow = getCF(c.s);
  const a = readOp(c, d, 0);
  const b = readOp(c, d, 1);
  writeOp(c, d, 0, ((a - b - borrow) & sizeMask(size)) >>> 0);
  sub(c.s, size, a, b, borrow);
};

const CMP: Handler = (c, d) => {
  sub(c.s, d.size[0]!, readOp(c, d, 0), readOp(c, d, 1), 0);
};

const INC: Handler = (c, d) => {
  const size = d.size[0]!;
  const a = readOp(c, d, 0);
  writeOp(c, d, 0, ((a + 1) & sizeMask(size)) >>> 0);
  inc(c.s, size, a);
};

const DEC: Handler = (c, d) => {
  const size = d.size[0]!;
  const a = readOp(c, d, 0);
  writeOp(c, d, 0, ((a - 1) & sizeMask(size)) >>> 0);
  dec(c.s, size, a);
};

// NEG is 0 - x: CF = (x != 0), OF when x is the most negative value (SDM 2B "NEG").
const NEG: Handler = (c, d) => {
  const size = d.size[0]!;
  const a = readOp(c, d, 0);
  writeOp(c, d, 0, (-a & sizeMask(size)) >>> 0);
  sub(c.s, size, 0, a, 0);
};

/** Arithmetic handlers by exec name. */
export const arithHandlers: Record<string, Handler> = { ADD, ADC, SUB, SBB, CMP, INC, DEC, NEG };
