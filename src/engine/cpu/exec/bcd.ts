// Decimal adjust: DAA, DAS, AAA, AAS, AAM, AAD (Intel SDM vol. 2A, each instruction's pseudo-code).

import type { Handler } from '../cpu';
import { CpuFault, Vector } from '../faults';
import { AF, CF, getAF, getCF, setEflags, setStatus, szp } from '../flags';
import { EAX } from '../state';

// Flags the SDM leaves undefined follow Bochs: OF = 0 after DAA/DAS, OF = AF = CF = 0 after
// AAM/AAD, and AAA/AAS keep OF, SF, ZF and PF.

const DAA: Handler = (c) => {
  const s = c.s;
  const oldAl = s.regs[EAX]! & 0xff;
  const oldCf = getCF(s);
  let al = oldAl;
  let cf = 0;
  let af = 0;
  if ((al & 0x0f) > 9 || getAF(s)) {
    cf = oldCf | (al > 0xf9 ? 1 : 0);
    al = (al + 6) & 0xff;
    af = 1;
  }
  if (oldAl > 0x99 || oldCf) {
    al = (al + 0x60) & 0xff;
    cf = 1;
  }
  s.regs[EAX] = (s.regs[EAX]! & 0xffffff00) | al;
  setStatus(s, szp(8, al) | (cf ? CF : 0) | (af ? AF : 0));
};

const DAS: Handler = (c) => {
  const s = c.s;
  const oldAl = s.regs[EAX]! & 0xff;
  const oldCf = getCF(s);
  let al = oldAl;
  let cf = 0;
  let af = 0;
  if ((al & 0x0f) > 9 || getAF(s)) {
    cf = oldCf | (al < 6 ? 1 : 0);
    al = (al - 6) & 0xff;
    af = 1;
  }
  if (oldAl > 0x99 || oldCf) {
    al = (al - 0x60) & 0xff;
    cf = 1;
  }
  s.regs[EAX] = (s.regs[EAX]! & 0xffffff00) | al;
  setStatus(s, szp(8, al) | (cf ? CF : 0) | (af ? AF : 0));
};

// AAA/AAS adjust the whole of AX by 0x106 (the carry out of AL reaches AH, as on the 486 and
// in Bochs), then keep the low nibble of AL.
const AAA: Handler = (c) => {
  const s = c.s;
  let ax = s.regs[EAX]! & 0xffff;
  const adjust = (ax & 0x0f) > 9 || getAF(s) !== 0;
  if (adjust) ax = (ax + 0x106) & 0xffff;
  s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | (ax & 0xff0f);
  setEflags(s, adjust ? AF | CF : 0, AF | CF);
};

const AAS: Handler = (c) => {
  const s = c.s;
  let ax = s.regs[EAX]! & 0xffff;
  const adjust = (ax & 0x0f) > 9 || getAF(s) !== 0;
  if (adjust) ax = (ax - 0x106) & 0xffff;
  s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | (ax & 0xff0f);
  setEflags(s, adjust ? AF | CF : 0, AF | CF);
};

// AAM imm8: AH = AL / imm8, AL = AL % imm8; #DE when imm8 is 0.
const AAM: Handler = (c, d) => {
  const s = c.s;
  const base = d.imm[0]!;
  if (base === 0) throw new CpuFault(Vector.DE);
  const al = s.regs[EAX]! & 0xff;
  const lo = al % base;
  s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | (Math.floor(al / base) << 8) | lo;
  setStatus(s, szp(8, lo));
};

// AAD imm8: AL = AH * imm8 + AL (low byte), AH = 0.
const AAD: Handler = (c, d) => {
  const s = c.s;
  const ax = s.regs[EAX]!;
  const al = (((ax >>> 8) & 0xff) * d.imm[0]! + (ax & 0xff)) & 0xff;
  s.regs[EAX] = (ax & 0xffff0000) | al;
  setStatus(s, szp(8, al));
};

/** BCD handlers by exec name. */
export const bcdHandlers: Record<string, Handler> = { DAA, DAS, AAA, AAS, AAM, AAD };
