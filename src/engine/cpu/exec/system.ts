// Flag control and processor control: CLC, STC, CMC, CLI, STI, CLD, STD, HLT, NOP (Intel SDM vol. 2).

import type { Handler } from '../cpu';
import { CF, DF, getCF, IF, setFlag } from '../flags';

// STI delays interrupt recognition until after the next instruction (SDM 2B "STI"), so
// "sti; hlt" cannot miss an interrupt between the two. CLI/STI IOPL checks come with
// protected mode.
const STI: Handler = (c) => {
  if ((c.s.eflags & IF) === 0) c.s.interruptShadow = true;
  setFlag(c.s, IF, true);
};

const HLT: Handler = (c) => {
  c.s.halted = true;
};

/** System handlers by exec name. */
export const systemHandlers: Record<string, Handler> = {
  CLC: (c) => setFlag(c.s, CF, false),
  STC: (c) => setFlag(c.s, CF, true),
  CMC: (c) => setFlag(c.s, CF, getCF(c.s) === 0),
  CLI: (c) => setFlag(c.s, IF, false),
  STI,
  CLD: (c) => setFlag(c.s, DF, false),
  STD: (c) => setFlag(c.s, DF, true),
  HLT,
  NOP: () => {},
};
