// Stack instructions: PUSH, POP (register, segment, immediate, r/m), PUSHF, POPF (Intel SDM vol. 2).

import type { Handler } from '../cpu';
import { OPK_MEM } from '../decoded-instruction';
import { getEflags, RF, setEflags, VM } from '../flags';
import { effectiveAddress, readOp, writeOp } from '../operands';
import { loadSegment } from '../segmentation';
import { pop, push } from '../stack';
import { ESP } from '../state';

// PUSH SP pushes the value SP had before the push (286 and later).
const PUSH: Handler = (c, d) => push(c, d.opSize, readOp(c, d, 0));

// POP r/m with ESP as a base computes the address after the increment (SDM 2B "POP").
const POP: Handler = (c, d) => {
  const value = pop(c, d.opSize);
  if (d.kind[0] === OPK_MEM && (d.memBase === ESP || d.memIndex === ESP)) {
    c.ea = effectiveAddress(c.s, d);
  }
  writeOp(c, d, 0, value);
};

// Segment pushes move a 16-bit selector; with a 32-bit operand size the slot is 4 bytes.
const PUSH_SREG: Handler = (c, d) => push(c, d.opSize, c.s.seg[d.reg[0]!]!);

const POP_SREG: Handler = (c, d) => {
  const selector = pop(c, d.opSize) & 0xffff;
  loadSegment(c, d.reg[0]!, selector);
};

// PUSHFD clears VM and RF in the pushed image (SDM 2B "PUSHF").
const PUSHF: Handler = (c, d) => push(c, d.opSize, getEflags(c.s) & ~(VM | RF));

/**
 * POPF in real mode (CPL 0) may change IOPL, NT, IF, TF, DF and the status flags; VM and RF
 * never change. The protected-mode rules (IF kept when CPL > IOPL, IOPL kept at CPL > 0) come
 * with protected mode: they are what makes POPF hard to virtualize.
 */
const POPF: Handler = (c, d) => {
  const value = pop(c, d.opSize);
  setEflags(c.s, value, d.opSize === 16 ? 0x7fd5 : 0x247fd5);
};

/** Stack handlers by exec name. */
export const stackHandlers: Record<string, Handler> = {
  PUSH,
  POP,
  PUSH_SREG,
  POP_SREG,
  PUSHF,
  POPF,
};
