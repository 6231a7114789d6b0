// Registry of instruction bodies by exec name, gathered from the families in this folder.

import type { Handler } from '../cpu';
import { arithHandlers } from './arith';
import { controlHandlers } from './control';
import { dataHandlers } from './data';
import { ioHandlers } from './io';
import { logicHandlers } from './logic';
import { stackHandlers } from './stack';
import { stringHandlers } from './string';
import { systemHandlers } from './system';

/** Every implemented instruction body, keyed by the opcode table's exec name. */
export const HANDLERS: Readonly<Record<string, Handler>> = {
  ...arithHandlers,
  ...logicHandlers,
  ...dataHandlers,
  ...controlHandlers,
  ...stackHandlers,
  ...stringHandlers,
  ...ioHandlers,
  ...systemHandlers,
};
