// Data movement: MOV (incl. segment registers and moffs), XCHG, LEA (Intel SDM vol. 2, instruction reference).

import { UnimplementedError } from '../../bus/errors';
import type { Handler } from '../cpu';
import { OPK_SREG } from '../decoded-instruction';
import { readOp, writeOp } from '../operands';
import { loadSegment } from '../segmentation';
import { CS } from '../state';

const MOV: Handler = (c, d) => {
  writeOp(c, d, 0, readOp(c, d, 1));
};

// 8C stores a selector (a 16-bit store to memory); 8E loads one. MOV CS is #UD since the 386.
const MOV_SREG: Handler = (c, d) => {
  if (d.kind[0] === OPK_SREG) {
    if (d.reg[0] === CS) {
      throw new UnimplementedError(
        'unimplemented-instruction',
        'mov cs, r/m16 is an invalid opcode',
      );
    }
    loadSegment(c, d.reg[0]!, readOp(c, d, 1));
  } else {
    writeOp(c, d, 0, readOp(c, d, 1));
  }
};

const XCHG: Handler = (c, d) => {
  const a = readOp(c, d, 0);
  const b = readOp(c, d, 1);
  writeOp(c, d, 0, b);
  writeOp(c, d, 1, a);
};

const LEA: Handler = (c, d) => {
  writeOp(c, d, 0, c.ea);
};

/** Data-movement handlers by exec name. */
export const dataHandlers: Record<string, Handler> = { MOV, MOV_SREG, XCHG, LEA };
