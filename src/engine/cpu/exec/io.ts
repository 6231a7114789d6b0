// Port I/O: IN and OUT with an imm8 or DX port (Intel SDM vol. 2, "IN", "OUT").

import type { AccessSize } from '../../bus/device';
import type { Handler } from '../cpu';
import { readOp, writeOp } from '../operands';

// Operand 0 of IN is AL/eAX and operand 1 the port; OUT is the other way round. In real mode
// every port is accessible; IOPL and the TSS permission bitmap come with protected mode.
const IN: Handler = (c, d) => {
  const port = readOp(c, d, 1) & 0xffff;
  writeOp(c, d, 0, c.io.read(port, (d.size[0]! >> 3) as AccessSize));
};

const OUT: Handler = (c, d) => {
  const port = readOp(c, d, 0) & 0xffff;
  c.io.write(port, (d.size[1]! >> 3) as AccessSize, readOp(c, d, 1));
};

/** I/O handlers by exec name. */
export const ioHandlers: Record<string, Handler> = { IN, OUT };
