// Instruction forms of the integer unit (ALU, multiply and divide, shifts, bit operations, conditional moves, BCD, flag moves) for the vector generator.

import {
  AF,
  baseCase,
  CF,
  form,
  getReg,
  memOperand,
  modrmForm,
  OF,
  osz,
  PF,
  rmOperand,
  SF,
  STATUS,
  setReg,
  writeWin,
  ZF,
} from './gen-operands.mjs';
import { bytes, int, pick, rnd } from './gen-random.mjs';

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
ALU.forEach((m, i) => {
  const u = m === 'and' || m === 'or' || m === 'xor' ? AF : 0;
  modrmForm(`${m} Eb,Gb`, [8], [i * 8], -1, 0, u);
  modrmForm(`${m} Ev,Gv`, [16, 32], [i * 8 + 1], -1, 0, u);
  modrmForm(`${m} Gb,Eb`, [8], [i * 8 + 2], -1, 0, u);
  modrmForm(`${m} Gv,Ev`, [16, 32], [i * 8 + 3], -1, 0, u);
  modrmForm(`${m} Eb,Ib`, [8], [0x80], i, 1, u);
  modrmForm(`${m} Ev,Iz`, [16, 32], [0x81], i, 'z', u);
  modrmForm(`${m} Ev,Ibs`, [16, 32], [0x83], i, 1, u);
  form(`${m} AL,Ib`, [8], () => ({
    ...baseCase(`${m} AL,Ib`),
    code: [i * 8 + 4, int(256)],
    undef: u,
  }));
  form(`${m} eAX,Iz`, [16, 32], (size) => {
    const c = baseCase(`${m} eAX,Iz/${size}`);
    c.code = [...osz(size), i * 8 + 5, ...bytes(size / 8)];
    c.undef = u;
    return c;
  });
});
modrmForm('test Eb,Gb', [8], [0x84], -1, 0, AF);
modrmForm('test Ev,Gv', [16, 32], [0x85], -1, 0, AF);
modrmForm('test Eb,Ib', [8], [0xf6], 0, 1, AF);
modrmForm('test Ev,Iz', [16, 32], [0xf7], 0, 'z', AF);
modrmForm('test Eb,Ib (F6 /1)', [8], [0xf6], 1, 1, AF);
for (const [n, ext] of [
  ['inc', 0],
  ['dec', 1],
]) {
  modrmForm(`${n} Eb`, [8], [0xfe], ext, 0);
  modrmForm(`${n} Ev`, [16, 32], [0xff], ext, 0);
  form(`${n} Zv`, [16, 32], (size) => {
    const c = baseCase(`${n} Zv/${size}`);
    c.code = [...osz(size), 0x40 + ext * 8 + int(8)];
    return c;
  });
}
for (const [n, ext] of [
  ['not', 2],
  ['neg', 3],
]) {
  modrmForm(`${n} Eb`, [8], [0xf6], ext, 0);
  modrmForm(`${n} Ev`, [16, 32], [0xf7], ext, 0);
}
const MULU = SF | ZF | AF | PF;
modrmForm('mul Eb', [8], [0xf6], 4, 0, MULU);
modrmForm('mul Ev', [16, 32], [0xf7], 4, 0, MULU);
modrmForm('imul Eb', [8], [0xf6], 5, 0, MULU);
modrmForm('imul Ev', [16, 32], [0xf7], 5, 0, MULU);
modrmForm('imul Gv,Ev', [16, 32], [0x0f, 0xaf], -1, 0, MULU);
modrmForm('imul Gv,Ev,Ibs', [16, 32], [0x6b], -1, 1, MULU);
modrmForm('imul Gv,Ev,Iz', [16, 32], [0x69], -1, 'z', MULU);

/** Sets EDX:EAX (or AX) and the divisor so that most divisions succeed. */
function divFix(signed) {
  return (c, size, m) => {
    const modrm = m.body[0];
    const isReg = modrm >= 0xc0;
    const rmReg = modrm & 7;
    const big = (v, bits) => BigInt.asUintN(bits, v);
    const dmax = (signed ? 2 ** (size - 1) : 2 ** size) - 1;
    let divisor = BigInt(1 + int(dmax));
    if (rnd() < 0.1) divisor = 0n;
    if (signed && rnd() < 0.5) divisor = -divisor;
    const half = BigInt(size);
    const qmax = 1n << (half - (signed ? 1n : 0n));
    let q = BigInt(Math.floor(rnd() * Number(qmax)));
    if (signed && rnd() < 0.5) q = -q;
    if (rnd() < 0.1) q = qmax; // overflow
    const ad = divisor < 0n ? -divisor : divisor;
    let r = ad === 0n ? 0n : BigInt(Math.floor(rnd() * Number(ad)));
    let dividend = q * divisor;
    if (signed && dividend < 0n) r = -r;
    dividend += r;
    const dv = big(dividend, Number(half) * 2);
    const dsv = Number(big(divisor, size));
    if (isReg) {
      // The divisor register may be AX/DX; write it last so it wins over the dividend.
      setDividend(c, size, dv);
      setReg(c, size, rmReg, dsv);
    } else {
      setDividend(c, size, dv);
      writeWin(c, size, dsv);
    }
  };
}
function setDividend(c, size, v) {
  if (size === 8) c.regs[0] = ((c.regs[0] & 0xffff0000) | Number(v & 0xffffn)) >>> 0;
  else if (size === 16) {
    c.regs[0] = ((c.regs[0] & 0xffff0000) | Number(v & 0xffffn)) >>> 0;
    c.regs[2] = ((c.regs[2] & 0xffff0000) | Number((v >> 16n) & 0xffffn)) >>> 0;
  } else {
    c.regs[0] = Number(v & 0xffffffffn);
    c.regs[2] = Number((v >> 32n) & 0xffffffffn);
  }
}
const DIVU = STATUS;
for (const [n, ext, signed] of [
  ['div', 6, false],
  ['idiv', 7, true],
]) {
  for (const size of [8, 16, 32]) {
    form(`${n} E/${size}`, [size], () => {
      const c = baseCase(`${n} E/${size}`);
      c.memOff = int(12);
      const m = rmOperand(c, ext, size, false, false, c.memOff, [0, 2]);
      c.code = [...m.prefix, ...osz(size), size === 8 ? 0xf6 : 0xf7, ...m.body];
      c.undef = DIVU;
      divFix(signed)(c, size, m);
      return c;
    });
  }
}

// Shifts and rotates with interesting counts.
const COUNTS = [0, 1, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 0x41, 0xff];
const count = () => (rnd() < 0.6 ? pick(COUNTS) : int(256));
['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal6', 'sar'].forEach((n, ext) => {
  const undef = (cnt, size) => {
    const k = cnt & 31;
    if (k === 0) return 0;
    if (ext < 4)
      return (ext >= 2 ? (size === 8 ? k % 9 : size === 16 ? k % 17 : k) : k) === 1 ? 0 : OF;
    return AF | (k === 1 ? 0 : OF);
  };
  for (const [suffix, b8, bv, kind] of [
    ['1', 0xd0, 0xd1, 1],
    ['Ib', 0xc0, 0xc1, 2],
    ['CL', 0xd2, 0xd3, 3],
  ]) {
    for (const size of [8, 16, 32]) {
      form(`${n} E,${suffix}/${size}`, [size], () => {
        const c = baseCase(`${n} E,${suffix}/${size}`);
        const m = rmOperand(c, ext, size, false, false, int(12), kind === 3 ? [1] : []);
        const cnt = kind === 1 ? 1 : count();
        const imm = kind === 2 ? [cnt] : [];
        if (kind === 3) {
          c.regs[1] = ((c.regs[1] & 0xffffff00) | cnt) >>> 0;
          if (m.body[0] >= 0xc0 && (m.body[0] & 7) === 1 && size !== 8) return null;
          if (m.body[0] >= 0xc0 && (m.body[0] & 7) === 1 && size === 8) return null;
        }
        c.code = [...m.prefix, ...osz(size), size === 8 ? b8 : bv, ...m.body, ...imm];
        c.undef = undef(cnt, size);
        return c;
      });
    }
  }
});
for (const [n, opI, opC] of [
  ['shld', 0xa4, 0xa5],
  ['shrd', 0xac, 0xad],
]) {
  for (const size of [16, 32]) {
    for (const cl of [false, true]) {
      form(`${n} Ev,Gv,${cl ? 'CL' : 'Ib'}/${size}`, [size], () => {
        const c = baseCase(`${n}/${size}`);
        let cnt = count();
        if (size === 16 && (cnt & 31) > 16) cnt = int(17);
        const reg = cl ? pick([0, 2, 3, 5, 6, 7]) : int(8);
        const m = rmOperand(c, reg, size, false, false, int(12), cl ? [1] : []);
        if (cl && m.body[0] >= 0xc0 && (m.body[0] & 7) === 1) return null;
        if (cl) c.regs[1] = ((c.regs[1] & 0xffffff00) | cnt) >>> 0;
        c.code = [...m.prefix, ...osz(size), 0x0f, cl ? opC : opI, ...m.body, ...(cl ? [] : [cnt])];
        const k = cnt & 31;
        c.undef = k === 0 ? 0 : AF | (k === 1 ? 0 : OF);
        return c;
      });
    }
  }
}

// Bit tests: register offsets reach outside the operand in memory (bit strings).
['bt', 'bts', 'btr', 'btc'].forEach((n, i) => {
  const u = OF | SF | AF | PF;
  form(`${n} Ev,Gv`, [16, 32], (size) => {
    const c = baseCase(`${n} Ev,Gv/${size}`);
    const reg = int(8);
    const m = rmOperand(c, reg, size, false, false, 12, [reg]);
    c.code = [...m.prefix, ...osz(size), 0x0f, 0xa3 + i * 8, ...m.body];
    if (m.body[0] < 0xc0)
      c.regs[reg] = ((int(192) - 64) & (size === 16 ? 0xffff : 0xffffffff)) >>> 0;
    if (m.body[0] < 0xc0 && size === 16)
      c.regs[reg] = ((c.regs[reg] & 0xffff) | (int(0x10000) << 16)) >>> 0;
    c.undef = u;
    return c;
  });
  modrmForm(`${n} Ev,Ib`, [16, 32], [0x0f, 0xba], i + 4, 1, u);
});
for (const [n, op] of [
  ['bsf', 0xbc],
  ['bsr', 0xbd],
]) {
  modrmForm(`${n} Gv,Ev`, [16, 32], [0x0f, op], -1, 0, CF | OF | SF | AF | PF, {
    fix: (c, size, m) => {
      if (rnd() < 0.25) {
        if (m.body[0] >= 0xc0) setReg(c, size, m.body[0] & 7, 0);
        else c.zeroMem = true;
      }
    },
  });
}
for (let cc = 0; cc < 16; cc++) {
  modrmForm(`set${cc} Eb`, [8], [0x0f, 0x90 + cc], 0, 0);
  modrmForm(`cmov${cc} Gv,Ev`, [16, 32], [0x0f, 0x40 + cc], -1, 0);
}
modrmForm('movzx Gv,Eb', [16, 32], [0x0f, 0xb6], -1, 0);
modrmForm('movzx Gv,Ew', [16, 32], [0x0f, 0xb7], -1, 0);
modrmForm('movsx Gv,Eb', [16, 32], [0x0f, 0xbe], -1, 0);
modrmForm('movsx Gv,Ew', [16, 32], [0x0f, 0xbf], -1, 0);
form('bswap Zd', [32], () => {
  const c = baseCase('bswap');
  const r = pick([0, 1, 2, 3, 5, 6, 7]);
  c.code = [0x66, 0x0f, 0xc8 + r];
  return c;
});
modrmForm('xadd Eb,Gb', [8], [0x0f, 0xc0], -1, 0);
modrmForm('xadd Ev,Gv', [16, 32], [0x0f, 0xc1], -1, 0);
/** Makes the accumulator equal to the destination half of the time (CMPXCHG's store path). */
function accEqual(c, size, m) {
  if (rnd() < 0.5) return;
  let v = 0;
  if (m.body[0] >= 0xc0) v = getReg(c, size, m.body[0] & 7);
  else for (let i = size / 8 - 1; i >= 0; i--) v = (v * 256 + c.win[c.memOff + i]) >>> 0;
  setReg(c, size, 0, v);
}
modrmForm('cmpxchg Eb,Gb', [8], [0x0f, 0xb0], -1, 0, 0, { fix: accEqual, avoid: [0] });
modrmForm('cmpxchg Ev,Gv', [16, 32], [0x0f, 0xb1], -1, 0, 0, { fix: accEqual, avoid: [0] });
form('cmpxchg8b Mq', [32], () => {
  const c = baseCase('cmpxchg8b');
  c.memOff = int(8);
  const m = memOperand(c, 1, c.memOff, [0, 1, 2, 3]);
  c.code = [...m.prefix, 0x0f, 0xc7, ...m.body];
  if (rnd() < 0.5) {
    writeWin(c, 32, c.regs[0], c.memOff);
    writeWin(c, 32, c.regs[2], c.memOff + 4);
  }
  return c;
});
modrmForm('lock add Ev,Gv', [16, 32], [0x01], -1, 0, 0, { memOnly: true, lock: true });
modrmForm('lock xchg Ev,Gv', [16, 32], [0x87], -1, 0, 0, { memOnly: true, lock: true });
modrmForm('lock add Gv,Ev (#UD)', [16, 32], [0x03], -1, 0, 0, { lock: true });
modrmForm('lock mov Ev,Gv (#UD)', [16, 32], [0x89], -1, 0, 0, { lock: true });
modrmForm('xchg Eb,Gb', [8], [0x86], -1, 0);
modrmForm('xchg Ev,Gv', [16, 32], [0x87], -1, 0);
form('xchg eAX,Zv', [16, 32], (size) => {
  const c = baseCase(`xchg eAX/${size}`);
  c.code = [...osz(size), 0x90 + pick([1, 2, 3, 5, 6, 7])];
  return c;
});
for (const [n, op] of [
  ['daa', 0x27],
  ['das', 0x2f],
]) {
  form(n, [8], () => ({ ...baseCase(n), code: [op], undef: OF }));
}
for (const [n, op] of [
  ['aaa', 0x37],
  ['aas', 0x3f],
]) {
  form(n, [8], () => ({ ...baseCase(n), code: [op], undef: OF | SF | ZF | PF }));
}
form('aam Ib', [8], () => ({
  ...baseCase('aam'),
  code: [0xd4, rnd() < 0.1 ? 0 : pick([10, int(256)])],
  undef: OF | AF | CF,
}));
form('aad Ib', [8], () => ({
  ...baseCase('aad'),
  code: [0xd5, pick([10, int(256)])],
  undef: OF | AF | CF,
}));
for (const [n, op] of [
  ['cbw', 0x98],
  ['cwd', 0x99],
]) {
  form(n, [16, 32], (size) => ({ ...baseCase(`${n}/${size}`), code: [...osz(size), op] }));
}
for (const [n, op] of [
  ['lahf', 0x9f],
  ['sahf', 0x9e],
  ['salc', 0xd6],
  ['clc', 0xf8],
  ['stc', 0xf9],
  ['cmc', 0xf5],
  ['nop', 0x90],
]) {
  form(n, [8], () => ({ ...baseCase(n), code: [op] }));
}
