// Port I/O: IN and OUT with an imm8 or DX port (Intel SDM vol. 2, "IN", "OUT").

import type { AccessSize } from '../../bus/device';
import type { Handler } from '../cpu';
import { readOp, writeOp } from '../operands';
import { checkIoPermission } from '../tss';

// Operand 0 of IN is AL/eAX and operand 1 the port; OUT is the other way round. In protected
// mode at CPL > IOPL the TSS permission bitmap decides (tss.ts).
const IN: Handler = (c, d) => {
  const port = readOp(c, d, 1) & 0xffff;
  checkIoPermission(c, port, d.size[0]! >> 3);
  writeOp(c, d, 0, c.io.read(port, (d.size[0]! >> 3) as AccessSize));
};

const OUT: Handler = (c, d) => {
  const port = readOp(c, d, 0) & 0xffff;
  checkIoPermission(c, port, d.size[1]! >> 3);
  c.io.write(port, (d.size[1]! >> 3) as AccessSize, readOp(c, d, 1));
};

/** I/O handlers by exec name. */
export const ioHandlers: Record<string, Handler> = { IN, OUT };
