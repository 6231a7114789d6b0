// Bitwise logic: AND, OR, XOR, TEST, NOT (Intel SDM vol. 2, instruction reference).

import type { Handler } from '../cpu';
import { logic, sizeMask } from '../flags';
import { readOp, writeOp } from '../operands';

// The result is written before the flags are recorded: a faulting write leaves EFLAGS alone.

const AND: Handler = (c, d) => {
  const r = (readOp(c, d, 0) & readOp(c, d, 1)) >>> 0;
  writeOp(c, d, 0, r);
  logic(c.s, d.size[0]!, r);
};

const OR: Handler = (c, d) => {
  const r = (readOp(c, d, 0) | readOp(c, d, 1)) >>> 0;
  writeOp(c, d, 0, r);
  logic(c.s, d.size[0]!, r);
};

const XOR: Handler = (c, d) => {
  const r = (readOp(c, d, 0) ^ readOp(c, d, 1)) >>> 0;
  writeOp(c, d, 0, r);
  logic(c.s, d.size[0]!, r);
};

const TEST: Handler = (c, d) => {
  logic(c.s, d.size[0]!, readOp(c, d, 0) & readOp(c, d, 1));
};

// NOT changes no flags.
const NOT: Handler = (c, d) => {
  writeOp(c, d, 0, ~readOp(c, d, 0) & sizeMask(d.size[0]!));
};

/** Logic handlers by exec name. */
export const logicHandlers: Record<string, Handler> = { AND, OR, XOR, TEST, NOT };
