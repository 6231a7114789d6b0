// Instruction forms that move data (MOV and friends, segment loads, stack, strings) and undefined encodings, for the vector generator.

import {
  asz,
  baseCase,
  ctx,
  DF,
  ES,
  form,
  memOperand,
  modrmForm,
  osz,
  segBase,
  setReg,
  WIN,
  writeWin,
} from './gen-operands.mjs';
import { bytes, dword, int, pick, rnd } from './gen-random.mjs';

form('xlatb', [8], () => {
  const c = baseCase('xlatb');
  const seg = rnd() < 0.3 ? pick([0x26, 0x64, 0x65]) : -1;
  const target = WIN + int(32) - segBase(seg);
  const al = c.regs[0] & 0xff;
  if (rnd() < 0.5) {
    c.regs[3] = ((c.regs[3] & 0xffff0000) | ((target - al) & 0xffff)) >>> 0;
    c.code = [...(seg >= 0 ? [seg] : []), ...asz(16), 0xd7];
  } else {
    c.regs[3] = (target - al) >>> 0;
    c.code = [...(seg >= 0 ? [seg] : []), ...asz(32), 0xd7];
  }
  return c;
});
modrmForm('lea Gv,M', [16, 32], [0x8d], -1, 0, 0, { memOnly: true });
modrmForm('mov Eb,Gb', [8], [0x88], -1, 0);
modrmForm('mov Ev,Gv', [16, 32], [0x89], -1, 0);
modrmForm('mov Gv,Ev', [16, 32], [0x8b], -1, 0);
modrmForm('mov Ev,Iz', [16, 32], [0xc7], 0, 'z');
modrmForm('mov Eb,Ib', [8], [0xc6], 0, 1);
modrmForm('mov Gb,Eb', [8], [0x8a], -1, 0);
form('mov Zb,Ib', [8], () => ({ ...baseCase('mov Zb,Ib'), code: [0xb0 + int(8), int(256)] }));
form('mov Zv,Iv', [16, 32], (size) => ({
  ...baseCase('mov Zv,Iv'),
  code: [...osz(size), 0xb8 + pick([0, 1, 2, 3, 5, 6, 7]), ...bytes(size / 8)],
}));
for (const op of [0xa0, 0xa1, 0xa2, 0xa3]) {
  form(`mov moffs ${op.toString(16)}`, op & 1 ? [16, 32] : [8], (size) => {
    const c = baseCase('mov moffs');
    const off = WIN + int(16) - segBase(-1);
    c.code =
      rnd() < 0.5
        ? [...asz(16), ...osz(size), op, off & 0xff, off >> 8]
        : [...asz(32), ...osz(size), op, ...dword(off)];
    return c;
  });
}
modrmForm('mov Ew,Sw', [16], [0x8c], -1, 0, 0);
modrmForm('mov Sw,Ew', [16], [0x8e], -1, 0, 0, {
  fix: (c) => {
    const sreg = pick([0, 3, 4, 5]);
    const i = c.code.findIndex((_b, k) => k > 0 && c.code[k - 1] === 0x8e);
    c.code[i] = (c.code[i] & 0xc7) | (sreg << 3);
  },
});
for (const [n, op, pre] of [
  ['les', 0xc4, []],
  ['lds', 0xc5, []],
  ['lfs', 0xb4, [0x0f]],
  ['lgs', 0xb5, [0x0f]],
]) {
  modrmForm(`${n} Gv,Mp`, [16, 32], [...pre, op], -1, 0, 0, { memOnly: true });
}
form('bound Gv,M', [16, 32], (size) => {
  const c = baseCase(`bound/${size}`);
  c.memOff = int(8);
  const reg = int(8);
  if (reg === 4) return null;
  const m = memOperand(c, reg, c.memOff, [reg]);
  c.code = [...m.prefix, ...osz(size), 0x62, ...m.body];
  const lo = int(2000) - 1000;
  const hi = lo + int(2000);
  writeWin(c, size, lo >>> 0, c.memOff);
  writeWin(c, size, hi >>> 0, c.memOff + size / 8);
  const v = rnd() < 0.7 ? lo + int(hi - lo + 1) : pick([lo - 1, hi + 1, lo - 500]);
  setReg(c, size, reg, v >>> 0);
  return c;
});

// Stack instructions.
form('push Zv', [16, 32], (size) => ({ ...baseCase('push'), code: [...osz(size), 0x50 + int(8)] }));
form('pop Zv', [16, 32], (size) => ({
  ...baseCase('pop'),
  code: [...osz(size), 0x58 + pick([0, 1, 2, 3, 5, 6, 7])],
}));
form('push Iz', [16, 32], (size) => ({
  ...baseCase('push Iz'),
  code: [...osz(size), 0x68, ...bytes(size / 8)],
}));
form('push Ibs', [16, 32], (size) => ({
  ...baseCase('push Ibs'),
  code: [...osz(size), 0x6a, int(256)],
}));
modrmForm('push Ev', [16, 32], [0xff], 6, 0, 0, { memOnly: true });
modrmForm('pop Ev', [16, 32], [0x8f], 0, 0, 0, { avoid: [4] });
for (const [n, op] of [
  ['push es', [0x06]],
  ['push cs', [0x0e]],
  ['push ds', [0x1e]],
  ['push fs', [0x0f, 0xa0]],
  ['push gs', [0x0f, 0xa8]],
]) {
  form(n, [16], () => ({ ...baseCase(n), code: op }));
}
for (const [n, op] of [
  ['pop es', [0x07]],
  ['pop ds', [0x1f]],
  ['pop fs', [0x0f, 0xa1]],
  ['pop gs', [0x0f, 0xa9]],
]) {
  form(n, [16, 32], (size) => ({ ...baseCase(n), code: [...osz(size), ...op] }));
}
form('pusha', [16, 32], (size) => ({ ...baseCase('pusha'), code: [...osz(size), 0x60] }));
form('popa', [16, 32], (size) => ({ ...baseCase('popa'), code: [...osz(size), 0x61] }));
form('enter Iw,Ib', [16, 32], (size) => {
  const c = baseCase(`enter/${size}`);
  c.regs[5] = ctx.ssBig ? WIN + 16 : ((c.regs[5] & 0xffff0000) | (WIN + 16)) >>> 0;
  c.code = [...osz(size), 0xc8, ...bytes(2), pick([0, 1, 2, 3, 0x21])];
  return c;
});
form('leave', [16, 32], (size) => {
  const c = baseCase(`leave/${size}`);
  const bp = WIN + int(24);
  c.regs[5] = ctx.ssBig ? bp : ((c.regs[5] & 0xffff0000) | bp) >>> 0;
  c.code = [...osz(size), 0xc9];
  return c;
});

// String instructions, with and without REP, both directions, 16- and 32-bit addresses.
for (const [n, op] of [
  ['movs', 0xa4],
  ['cmps', 0xa6],
  ['stos', 0xaa],
  ['lods', 0xac],
  ['scas', 0xae],
]) {
  for (const size of [8, 16, 32]) {
    form(`${n}/${size}`, [size], () => {
      const c = baseCase(`${n}/${size}`);
      const down = rnd() < 0.5;
      if (down) c.eflags |= DF;
      const a32 = rnd() < 0.4;
      const rep = pick([0, 0xf3, 0xf2]);
      const seg = rnd() < 0.3 ? pick([0x26, 0x2e, 0x64, 0x65]) : -1;
      const start = down ? 16 : 0;
      let si = WIN + start + int(4) - segBase(seg);
      let di = WIN + start + int(4) - ctx.base[ES];
      const cnt = int(5);
      if (ctx.pm && !ctx.noLimits && !down && rnd() < 0.25) {
        // Run into the end of the segments (the window is the last 32 bytes of DS, ES, FS and
        // GS): a REP faults part way, with ECX, ESI and EDI telling how far it got.
        const end = () => WIN + 32 - (size / 8) * (1 + int(3)) + int(2);
        si = end() - segBase(seg);
        di = end() - ctx.base[ES];
      }
      if (a32) {
        c.regs[6] = si >>> 0;
        c.regs[7] = di >>> 0;
        c.regs[1] = cnt;
      } else {
        c.regs[6] = ((c.regs[6] & 0xffff0000) | si) >>> 0;
        c.regs[7] = ((c.regs[7] & 0xffff0000) | di) >>> 0;
        c.regs[1] = ((c.regs[1] & 0xffff0000) | cnt) >>> 0;
      }
      if (rnd() < 0.3) c.win = c.win.map((b, i) => (i < 16 ? c.win[i + 16] : b)); // equal halves for REPE
      c.code = [
        ...(rep ? [rep] : []),
        ...(seg >= 0 ? [seg] : []),
        ...asz(a32 ? 32 : 16),
        ...osz(size),
        size === 8 ? op : op + 1,
      ];
      return c;
    });
  }
}

// Undefined encodings: #UD.
for (const [n, code] of [
  ['ud2', [0x0f, 0x0b]],
  ['FE /7', [0xfe, 0xf8]],
  ['FF /7', [0xff, 0xf8]],
  ['lea reg', [0x8d, 0xc0]],
  ['mov cs', [0x8e, 0xc8]],
  ['8F /1', [0x8f, 0xc8]],
  ['C6 /1', [0xc6, 0xc8, 0]],
  ['les reg', [0xc4, 0xc0]],
]) {
  form(n, [16], () => ({ ...baseCase(n), code }));
}
