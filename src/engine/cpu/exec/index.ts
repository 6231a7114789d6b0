// Registry of instruction bodies by exec name, gathered from the families in this folder.

import type { Handler } from '../cpu';
import { arithHandlers } from './arith';
import { bcdHandlers } from './bcd';
import { bitHandlers } from './bit';
import { controlHandlers } from './control';
import { dataHandlers } from './data';
import { eflagsHandlers } from './eflags';
import { exchangeHandlers } from './exchange';
import { farControlHandlers } from './far-control';
import { ioHandlers } from './io';
import { logicHandlers } from './logic';
import { multiplyHandlers } from './multiply';
import { processorHandlers } from './processor';
import { shiftHandlers } from './shift';
import { stackHandlers } from './stack';
import { stringHandlers } from './string';
import { systemHandlers } from './system';

/** Every implemented instruction body, keyed by the opcode table's exec name. */
export const HANDLERS: Readonly<Record<string, Handler>> = {
  ...arithHandlers,
  ...logicHandlers,
  ...multiplyHandlers,
  ...shiftHandlers,
  ...bitHandlers,
  ...bcdHandlers,
  ...exchangeHandlers,
  ...processorHandlers,
  ...dataHandlers,
  ...controlHandlers,
  ...farControlHandlers,
  ...stackHandlers,
  ...stringHandlers,
  ...ioHandlers,
  ...systemHandlers,
  ...eflagsHandlers,
};
