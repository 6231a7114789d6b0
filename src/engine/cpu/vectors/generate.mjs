#!/usr/bin/env node
// Makes random single-instruction CPU test cases, runs them in harness.asm under Bochs (or QEMU) and writes the vectors as JSON (see README.md).
//
// usage: node generate.mjs [--emulator bochs|qemu] [--seed N] [--per-form N] [--out DIR]

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const EMULATOR = opt('emulator', 'bochs');
const SEED = Number(opt('seed', '486'));
const PER_FORM = Number(opt('per-form', '12'));
const OUT = opt('out', HERE);

const WIN = 0x1000; // memory window (linear), 32 bytes
const SP0 = 0x7000;
/** Segment base by override prefix: FS = 0080h and GS = 0090h, the others 0. */
const segBase = (prefix) => (prefix === 0x64 ? 0x800 : prefix === 0x65 ? 0x900 : 0);
const CF = 0x1,
  PF = 0x4,
  AF = 0x10,
  ZF = 0x40,
  SF = 0x80,
  DF = 0x400,
  OF = 0x800;
const STATUS = CF | PF | AF | ZF | SF | OF;

// mulberry32: a small seeded generator, so that a seed always gives the same cases.
let seed = SEED >>> 0;
function rnd() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rnd() * n);
const pick = (a) => a[int(a.length)];
const EDGES = [
  0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
];
function r32() {
  if (rnd() < 0.3) {
    const e = pick(EDGES);
    return rnd() < 0.5 ? e : (e ^ (int(0x10000) << 16)) >>> 0;
  }
  return (int(0x10000) | (int(0x10000) << 16)) >>> 0;
}
const bytes = (n) => Array.from({ length: n }, () => int(256));
const dword = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** A fresh case: random registers (ESP fixed), random status flags, random windows. */
function baseCase(name) {
  const regs = Array.from({ length: 8 }, r32);
  regs[4] = SP0;
  return {
    name,
    code: [],
    regs,
    eflags: 0x2 | (int(0x10000) & STATUS),
    win: bytes(32),
    stk: bytes(64),
    undef: 0,
  };
}

/**
 * Appends a memory operand for ModRM.reg `reg` aimed at window offset `off`: picks a random
 * 16- or 32-bit addressing form and segment override, then solves a register or the
 * displacement so that the effective address lands there. Returns the prefix and ModRM bytes.
 */
function memOperand(c, reg, off, avoid = []) {
  for (;;) {
    const seg = rnd() < 0.3 ? pick([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) : -1;
    const target = (WIN + off - (seg >= 0 ? segBase(seg) : 0)) >>> 0;
    const prefix = seg >= 0 ? [seg] : [];
    if (rnd() < 0.5) {
      const mod = int(3);
      const rm = int(8);
      const regsOf = [[3, 6], [3, 7], [5, 6], [5, 7], [6], [7], [5], [3]][rm];
      if (mod === 0 && rm === 6) {
        const disp = target & 0xffff;
        return { prefix, body: [(reg << 3) | 6, disp & 0xff, disp >> 8] };
      }
      if (regsOf.some((r) => avoid.includes(r))) continue;
      const disp = mod === 0 ? 0 : mod === 1 ? int(256) : int(0x10000);
      const sdisp = mod === 1 ? (disp << 24) >> 24 : disp;
      let sum = sdisp;
      for (let i = 1; i < regsOf.length; i++) sum += c.regs[regsOf[i]] & 0xffff;
      const r0 = regsOf[0];
      c.regs[r0] = ((c.regs[r0] & 0xffff0000) | ((target - sum) & 0xffff)) >>> 0;
      const body = [(mod << 6) | (reg << 3) | rm];
      if (mod === 1) body.push(disp);
      if (mod === 2) body.push(disp & 0xff, disp >> 8);
      return { prefix, body };
    }
    const mod = int(3);
    const rm = int(8);
    let base = rm;
    let index = -1;
    let scale = 0;
    const body = [(mod << 6) | (reg << 3) | rm];
    if (rm === 4) {
      scale = int(4);
      const idx = int(8);
      base = int(8);
      index = idx === 4 ? -1 : idx;
      body.push((scale << 6) | (idx << 3) | base);
    }
    const noBase = mod === 0 && base === 5;
    const terms = [];
    if (!noBase) terms.push(base);
    if (index >= 0) terms.push(index);
    if (terms.some((r) => avoid.includes(r))) continue;
    if (index >= 0 && index === base && !noBase) continue;
    const dispSize = noBase || mod === 2 ? 4 : mod === 1 ? 1 : 0;
    // Small index values keep the arithmetic readable; the solved term absorbs the rest.
    if (index >= 0) c.regs[index] = int(64);
    let rest = index >= 0 ? c.regs[index] * (1 << scale) : 0;
    let disp;
    if (dispSize === 4) {
      if (!noBase && base !== 4) c.regs[base] = r32();
      rest += noBase ? 0 : c.regs[base];
      disp = (target - rest) >>> 0;
    } else {
      disp = dispSize === 1 ? int(256) : 0;
      const sdisp = (disp << 24) >> 24;
      if (base === 4) continue; // ESP is fixed: only a 32-bit displacement can reach the target
      c.regs[base] = (target - rest - sdisp) >>> 0;
    }
    for (let i = 0; i < dispSize; i++) body.push((disp >>> (8 * i)) & 0xff);
    return { prefix: [...prefix, 0x67], body };
  }
}

// ---- instruction forms ------------------------------------------------------------------

const cases = [];
const forms = [];
/** Declares a form: `make(size)` returns a case (or null); run PER_FORM times per size. */
function form(name, sizes, make) {
  forms.push({ name, sizes, make });
}
const osz = (size) => (size === 32 ? [0x66] : []);

/** An r/m operand: register (0..7) or memory; fills c and returns { prefix, body }. */
function rmOperand(c, reg, _size, memOnly, regOnly, off = int(12), avoid = []) {
  if (!memOnly && (regOnly || rnd() < 0.4))
    return { prefix: [], body: [0xc0 | (reg << 3) | int(8)] };
  return memOperand(c, reg, off, avoid);
}

/** Generic ModRM form: opcode bytes, ext (or -1 for a random G register), immediate bytes. */
function modrmForm(name, sizes, op, ext, immSize, undef = 0, o = {}) {
  form(name, sizes, (size) => {
    const c = baseCase(`${name}/${size}`);
    const reg = ext >= 0 ? ext : int(8);
    c.memOff = o.off?.() ?? int(12);
    const m = rmOperand(c, reg, size, o.memOnly, o.regOnly, c.memOff, o.avoid ?? []);
    const isz = immSize === 'z' ? (size === 32 ? 4 : 2) : immSize;
    const imm = o.imm ? o.imm(size) : bytes(isz);
    c.code = [...(o.lock ? [0xf0] : []), ...m.prefix, ...osz(size), ...op, ...m.body, ...imm];
    c.undef = typeof undef === 'function' ? undef(c, size, imm) : undef;
    o.fix?.(c, size, m, imm);
    return c;
  });
}

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
      writeWin(c, m, size, dsv);
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
function setReg(c, size, r, v) {
  if (size === 8) {
    const full = r & 3;
    const sh = r >= 4 ? 8 : 0;
    c.regs[full] = ((c.regs[full] & ~(0xff << sh)) | ((v & 0xff) << sh)) >>> 0;
  } else if (size === 16) c.regs[r] = ((c.regs[r] & 0xffff0000) | (v & 0xffff)) >>> 0;
  else c.regs[r] = v >>> 0;
}
/** Writes `size` bits of v at the memory operand's window offset (recomputed from c.off). */
function writeWin(c, _m, size, v, at = c.memOff) {
  for (let i = 0; i < size / 8; i++) c.win[at + i] = (v >>> (8 * i)) & 0xff;
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
function getReg(c, size, r) {
  if (size === 8) return (c.regs[r & 3] >>> (r >= 4 ? 8 : 0)) & 0xff;
  return size === 16 ? c.regs[r] & 0xffff : c.regs[r];
}
modrmForm('cmpxchg Eb,Gb', [8], [0x0f, 0xb0], -1, 0, 0, { fix: accEqual, avoid: [0] });
modrmForm('cmpxchg Ev,Gv', [16, 32], [0x0f, 0xb1], -1, 0, 0, { fix: accEqual, avoid: [0] });
form('cmpxchg8b Mq', [32], () => {
  const c = baseCase('cmpxchg8b');
  c.memOff = int(8);
  const m = memOperand(c, 1, c.memOff, [0, 1, 2, 3]);
  c.code = [...m.prefix, 0x0f, 0xc7, ...m.body];
  if (rnd() < 0.5) {
    writeWin(c, m, 32, c.regs[0], c.memOff);
    writeWin(c, m, 32, c.regs[2], c.memOff + 4);
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
form('xlatb', [8], () => {
  const c = baseCase('xlatb');
  const seg = rnd() < 0.3 ? pick([0x26, 0x64, 0x65]) : -1;
  const target = WIN + int(32) - (seg >= 0 ? segBase(seg) : 0);
  const al = c.regs[0] & 0xff;
  if (rnd() < 0.5) {
    c.regs[3] = ((c.regs[3] & 0xffff0000) | ((target - al) & 0xffff)) >>> 0;
    c.code = [...(seg >= 0 ? [seg] : []), 0xd7];
  } else {
    c.regs[3] = (target - al) >>> 0;
    c.code = [...(seg >= 0 ? [seg] : []), 0x67, 0xd7];
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
    const off = WIN + int(16);
    c.code =
      rnd() < 0.5
        ? [...osz(size), op, off & 0xff, off >> 8]
        : [0x67, ...osz(size), op, ...dword(off)];
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
  writeWin(c, m, size, lo >>> 0, c.memOff);
  writeWin(c, m, size, hi >>> 0, c.memOff + size / 8);
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
  c.regs[5] = ((c.regs[5] & 0xffff0000) | (WIN + 16)) >>> 0;
  c.code = [...osz(size), 0xc8, ...bytes(2), pick([0, 1, 2, 3, 0x21])];
  return c;
});
form('leave', [16, 32], (size) => {
  const c = baseCase(`leave/${size}`);
  c.regs[5] = ((c.regs[5] & 0xffff0000) | (WIN + int(24))) >>> 0;
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
      const si = WIN + start + int(4) - (seg >= 0 ? segBase(seg) : 0);
      const di = WIN + start + int(4);
      const cnt = int(5);
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
        ...(a32 ? [0x67] : []),
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

// ---- post-processing of cases that need values tied to memory -----------------------------

function finish(c) {
  if (c.zeroMem) c.win.fill(0, 0, 16);
  return c;
}

for (const f of forms) {
  for (const size of f.sizes) {
    let made = 0;
    for (let tries = 0; made < PER_FORM && tries < PER_FORM * 4; tries++) {
      const c = f.make(size);
      if (!c) continue;
      if (c.code.length > 15) continue;
      c.form = f.name + (f.sizes.length > 1 ? `/${size}` : '');
      cases.push(finish(c));
      made++;
    }
  }
}

// ---- ROM building and the emulator run ------------------------------------------------------

const CASES_PER_ROM = 400;
function record(c) {
  const code = [...c.code, ...Array(15 - c.code.length).fill(0x90)];
  return [c.code.length, ...code, ...c.regs.flatMap(dword), ...dword(c.eflags), ...c.win, ...c.stk];
}

function runRom(dir, batch) {
  const lines = ['cases:'];
  for (const c of batch) lines.push(`    db ${record(c).join(',')}`);
  writeFileSync(join(dir, 'cases.inc'), `${lines.join('\n')}\n`);
  const rom = join(dir, 'rom.bin');
  execFileSync('nasm', ['-f', 'bin', '-I', `${dir}/`, join(HERE, 'harness.asm'), '-o', rom]);
  let out;
  if (EMULATOR === 'bochs') {
    const rc = join(dir, 'bochsrc');
    writeFileSync(
      rc,
      [
        'megs: 4',
        `romimage: file=${rom}`,
        'vgaromimage: file=/usr/share/vgabios/vgabios.bin',
        'display_library: rfb, options="timeout=0"',
        'port_e9_hack: enabled=1',
        `log: ${join(dir, 'bochs.log')}`,
        'panic: action=report',
        'error: action=report',
        'sound: driver=dummy',
        'plugin_ctrl: speaker=0',
        '',
      ].join('\n'),
    );
    // Through files: with pipes Bochs stalls once 64 KiB of output is pending.
    const o = join(dir, 'out.txt');
    spawnSync('sh', ['-c', `echo c | bochs -q -f '${rc}' > '${o}' 2> /dev/null`], {
      timeout: 120000,
    });
    out = readFileSync(o, 'latin1');
  } else {
    out = spawnSync(
      'qemu-system-i386',
      [
        '-nographic',
        '-no-reboot',
        '-monitor',
        'none',
        '-serial',
        'none',
        '-debugcon',
        'stdio',
        '-device',
        'isa-debug-exit,iobase=0xf4,iosize=0x04',
        '-bios',
        rom,
      ],
      { encoding: 'latin1', timeout: 120000 },
    ).stdout;
  }
  const results = out.split('\n').filter((l) => l.startsWith('V '));
  if (results.length !== batch.length || !out.includes('END')) {
    throw new Error(`emulator returned ${results.length} of ${batch.length} results`);
  }
  return results;
}

const hex = (a) => a.map((b) => b.toString(16).padStart(2, '0')).join('');
function parse(line) {
  const p = line.trim().split(/\s+/);
  const regs = p.slice(1, 9).map((h) => Number.parseInt(h, 16));
  const eflags = Number.parseInt(p[9], 16);
  const tail = p[10];
  const sregs = [0, 1, 2, 3, 4].map((i) => Number.parseInt(tail.slice(i * 4, i * 4 + 4), 16));
  const vec = Number.parseInt(tail.slice(20, 22), 16);
  const win = p[11].toLowerCase();
  const stk = p[12].toLowerCase();
  return { regs, eflags, sregs, vector: vec === 0xff ? -1 : vec, win, stk };
}

const dir = mkdtempSync(join(tmpdir(), 'vmlab-vectors-'));
const out = [];
for (let i = 0; i < cases.length; i += CASES_PER_ROM) {
  const batch = cases.slice(i, i + CASES_PER_ROM);
  const results = runRom(dir, batch);
  batch.forEach((c, k) => {
    const r = parse(results[k]);
    const v = {
      form: c.form,
      code: hex(c.code),
      regs: c.regs,
      eflags: c.eflags,
      win: hex(c.win),
      stk: hex(c.stk),
      undef: c.undef,
      out: { regs: r.regs, eflags: r.eflags, sregs: r.sregs, vector: r.vector },
    };
    if (r.win !== v.win) v.out.win = r.win;
    if (r.stk !== v.stk) v.out.stk = r.stk;
    out.push(v);
  });
  process.stderr.write(`${Math.min(i + CASES_PER_ROM, cases.length)} / ${cases.length}\n`);
}
mkdirSync(OUT, { recursive: true });
const version =
  EMULATOR === 'bochs' ? 'Bochs 2.7 (Debian bochs 2.7)' : 'QEMU (Debian qemu-system-x86)';
const head = JSON.stringify({ emulator: version, seed: SEED, perForm: PER_FORM });
// Files of at most 1,500 cases stay under the 1 MiB that Biome checks.
const PER_FILE = 1500;
for (let part = 0; part * PER_FILE < out.length; part++) {
  const slice = out.slice(part * PER_FILE, (part + 1) * PER_FILE);
  const file = join(OUT, `integer-${EMULATOR}-${part + 1}.json`);
  const body = slice.map((c) => JSON.stringify(c)).join(',\n');
  writeFileSync(file, `${head.slice(0, -1)},"cases":[\n${body}\n]}\n`);
  process.stderr.write(`wrote ${slice.length} vectors to ${file}\n`);
}
