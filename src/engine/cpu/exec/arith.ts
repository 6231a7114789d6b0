// Integer arithmetic: ADD, ADC, SUB, SBB, CMP, INC, DEC, NEG (Intel SDM vol. 2, instruction reference).

import type { Handler } from '../cpu';
import { add, dec, getCF, inc, sub } from '../flags';
import { readOp, writeOp } from '../operands';

const ADD: Handler = (c, d) => {
  writeOp(c, d, 0, add(c.s, d.size[0]!, readOp(c, d, 0), readOp(c, d, 1), 0));
};

const ADC: Handler = (c, d) => {
  const carry = getCF(c.s);
  writeOp(c, d, 0, add(c.s, d.size[0]!, readOp(c, d, 0), readOp(c, d, 1), carry));
};

const SUB: Handler = (c, d) => {
  writeOp(c, d, 0, sub(c.s, d.size[0]!, readOp(c, d, 0), readOp(c, d, 1), 0));
};

const SBB: Handler = (c, d) => {
  const borrow = getCF(c.s);
  writeOp(c, d, 0, sub(c.s, d.size[0]!, readOp(c, d, 0), readOp(c, d, 1), borrow));
};

const CMP: Handler = (c, d) => {
  sub(c.s, d.size[0]!, readOp(c, d, 0), readOp(c, d, 1), 0);
};

const INC: Handler = (c, d) => {
  writeOp(c, d, 0, inc(c.s, d.size[0]!, readOp(c, d, 0)));
};

const DEC: Handler = (c, d) => {
  writeOp(c, d, 0, dec(c.s, d.size[0]!, readOp(c, d, 0)));
};

// NEG is 0 - x: CF = (x != 0), OF when x is the most negative value (SDM 2B "NEG").
const NEG: Handler = (c, d) => {
  writeOp(c, d, 0, sub(c.s, d.size[0]!, 0, readOp(c, d, 0), 0));
};

/** Arithmetic handlers by exec name. */
export const arithHandlers: Record<string, Handler> = { ADD, ADC, SUB, SBB, CMP, INC, DEC, NEG };
