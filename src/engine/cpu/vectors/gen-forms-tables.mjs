// Protected-mode forms of the system-table suite (generate.mjs --suite sys): port I/O through the TSS I/O permission bitmap, INT n through gates of every kind, the descriptor-table registers and descriptor queries over a loaded LDT (Intel SDM vol. 1, 19.5; vol. 2 "IN", "INS", "INT n", "LGDT", "LLDT", "LTR", "LAR", "LSL"; vol. 3A 6.12).

import {
  asz,
  baseCase,
  ctx,
  DS,
  ES,
  FS,
  form,
  GS,
  memOperand,
  modrmForm,
  osz,
  rmOperand,
  SS,
  segBase,
  setReg,
} from './gen-operands.mjs';
import { LDT, SYS_GDT, SYS_TSS_LIMIT } from './gen-pm-layout.mjs';
import { bytes, dword, int, pick, rnd, word } from './gen-random.mjs';

/** EFLAGS with random status flags, DF, IF and IOPL (TF stays clear: it would trap in the harness). */
const sysFlags = () => (0x2 | (int(0x10000) & 0x0ed5) | (int(4) << 12)) >>> 0;

// ---- port I/O --------------------------------------------------------------------------------

/** Low ports that neither Bochs (with the harness's configuration) nor vmlab's bare port bus
 * decode: reads give all ones, writes go nowhere (as are 100h-16Fh; checked in the recording). */
const LOW_PORTS = [
  0x10, 0x11, 0x1e, 0x1f, 0x24, 0x2c, 0x2f, 0x30, 0x3c, 0x50, 0x58, 0x5f, 0x68, 0x6f,
];
const portIn = (lo, hi) => lo + int(hi - lo);
/** The TSS's I/O map base of a case: mostly right after the TSS, else shifted or past the limit. */
function mapBase() {
  const r = rnd();
  if (r < 0.7) return 0x68;
  if (r < 0.85) return 0x68 + int(0x30);
  return pick([SYS_TSS_LIMIT - 1, SYS_TSS_LIMIT, SYS_TSS_LIMIT + 1, 0xdfff, 0xffff]);
}
/**
 * Sets up the I/O permission bitmap of case `c` for an access of `n` bytes at `port`: the map
 * base, random bytes with the port's bits mostly all clear or all set. Returns whether the
 * access is allowed (CPL <= IOPL, or every bit clear and both bitmap bytes within the limit).
 */
function ioSetup(c, port, n) {
  c.ioBase = mapBase();
  c.tssMap = bytes(48).map((b) => (rnd() < 0.5 ? 0xff : b));
  const mode = rnd();
  for (let p = port; p < port + n; p++) {
    const at = c.ioBase - 0x68 + (p >> 3);
    if (at < 0 || at >= 48) continue;
    const bit = 1 << (p & 7);
    if (mode < 0.55) c.tssMap[at] &= ~bit;
    else if (mode < 0.75) c.tssMap[at] |= bit;
  }
  if (ctx.cpl <= ((c.eflags >>> 12) & 3)) return true;
  const at = c.ioBase + (port >> 3);
  if (at + 1 > SYS_TSS_LIMIT) return false;
  for (let p = port; p < port + n; p++) {
    const i = c.ioBase - 0x68 + (p >> 3);
    if ((c.tssMap[i] >> (p & 7)) & 1) return false;
  }
  return true;
}
/** A case with flags whose IOPL is below 3 three times in four (at CPL 3 the bitmap decides). */
function ioCase(name) {
  const c = baseCase(name);
  c.eflags = (sysFlags() & ~0x3000) | (rnd() < 0.25 ? 0x3000 : int(3) << 12);
  return c;
}
/** A port for DX: past the bitmap or anywhere only where the access is sure to fault. */
function dxPort(c, n) {
  for (;;) {
    const r = rnd();
    const port =
      r < 0.6
        ? portIn(0x100, 0x180)
        : r < 0.75
          ? pick(LOW_PORTS)
          : pick([0x180, 0x3f8, 0xfffe, 0xffff]);
    // Bochs decodes 170h-177h (the second ATA channel): those only where the access faults.
    const safe = (port >= 0x100 && port < 0x170) || LOW_PORTS.includes(port);
    const allowed = ioSetup(c, port, n);
    if (safe || !allowed) return port;
  }
}

for (const [n, op, sizes] of [
  ['in al,Ib', [0xe4], [8]],
  ['in eAX,Ib', [0xe5], [16, 32]],
  ['out Ib,al', [0xe6], [8]],
  ['out Ib,eAX', [0xe7], [16, 32]],
]) {
  form(n, sizes, (size) => {
    const c = ioCase(n);
    const port = pick(LOW_PORTS);
    ioSetup(c, port, size / 8);
    c.code = [...osz(size), ...op, port];
    return c;
  });
}
for (const [n, op, sizes] of [
  ['in al,dx', [0xec], [8]],
  ['in eAX,dx', [0xed], [16, 32]],
  ['out dx,al', [0xee], [8]],
  ['out dx,eAX', [0xef], [16, 32]],
]) {
  form(n, sizes, (size) => {
    const c = ioCase(n);
    setReg(c, 16, 2, dxPort(c, size / 8));
    c.code = [...osz(size), ...op];
    return c;
  });
}
// INS and OUTS (sometimes with REP): ES:eDI and DS:eSI point into the window.
for (const [n, op, sizes] of [
  ['insb', [0x6c], [8]],
  ['insw/d', [0x6d], [16, 32]],
  ['outsb', [0x6e], [8]],
  ['outsw/d', [0x6f], [16, 32]],
]) {
  form(n, sizes, (size) => {
    const c = ioCase(n);
    setReg(c, 16, 2, dxPort(c, size / 8));
    const a32 = rnd() < 0.5;
    const reg = (r, v) => setReg(c, a32 ? 32 : 16, r, v);
    const seg = n.startsWith('outs') && rnd() < 0.3 ? [pick([0x26, 0x64, 0x65])] : [];
    reg(7, 0x1000 - ctx.base[ES] + 8 + int(12));
    reg(6, 0x1000 - segBase(seg[0] ?? -1) + 8 + int(12));
    const rep = rnd() < 0.4;
    if (rep) reg(1, int(4));
    c.code = [...seg, ...(rep ? [0xf3] : []), ...asz(a32 ? 32 : 16), ...osz(size), ...op];
    return c;
  });
}

// ---- INT n through the gates of harness-pm.asm and gen-pm-layout.mjs SYS_GATES ----------------

// Gates 20h-2Fh and 31h: DPL 3 and DPL 0, 32- and 16-bit, into 32- and 16-bit code, and ones
// that fault (not present, null, data, not-present code, past the GDT, DPL > CPL, LDT code, a
// call gate). 2Dh and 2Eh lead to code that would run at CPL 3 from CPL 3, which the harness
// cannot follow: CPL 0 only. Vectors 0-1Fh from CPL 0 go to the exception stubs, and those
// whose exceptions push an error code get none from INT n.
for (const [n, vectors] of [
  ['int Ib (32-bit gates)', [0x20, 0x21, 0x22, 0x23, 0x2f]],
  ['int Ib (16-bit gates, 16-bit code)', [0x24, 0x25, 0x26, 0x27]],
  ['int Ib (faulting gates)', [0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x31, 0x32, 0xff]],
  ['int Ib (exception vectors)', [0, 1, 2, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 31]],
]) {
  form(n, [16], () => {
    const c = baseCase(n);
    c.eflags = sysFlags() | (rnd() < 0.2 ? 0x4000 : 0); // NT too: the gate clears it
    let v = pick(vectors);
    while (ctx.cpl === 3 && (v === 0x2d || v === 0x2e)) v = pick(vectors);
    c.code = [0xcd, v];
    return c;
  });
}

// ---- descriptor-table registers ------------------------------------------------------------

/** A selector over the suite's GDT and loaded LDT: most entries, some past either limit. */
function selector() {
  const rpl = rnd() < 0.6 ? ctx.cpl : int(4);
  const r = rnd();
  if (r < 0.05) return rpl;
  if (r < 0.1) return (pick([SYS_GDT.length, 0x40, 0x1ff]) << 3) | rpl;
  if (r < 0.45) return (int(LDT.length + 2) << 3) | 4 | rpl;
  return (int(SYS_GDT.length) << 3) | rpl;
}
/** 6 bytes of table register at window offset off: limit, base. */
function tableOperand(c, size, name) {
  c.memOff = int(26);
  // A probe crosses the limit (an expand-down DS would let one fit and load garbage).
  const probe = !ctx.noLimits && !ctx.expandDown && rnd() < 0.08;
  const m = memOperand(c, name.endsWith('gdt') ? 2 : 3, probe ? -1 - int(5) : c.memOff);
  c.code = [...m.prefix, ...osz(size), 0x0f, 0x01, ...m.body];
  let limit;
  let base;
  if (name === 'lgdt') {
    // The harness's way back needs selectors 08h and 10h of this GDT.
    limit = pick([0x17, 0xf7, SYS_GDT.length * 8 - 1, 0xffff, 0x17 + int(0x100)]);
    base = size === 16 ? (0x600 | (int(256) << 24)) >>> 0 : 0x600;
  } else {
    limit = rnd() < 0.5 ? int(0x10000) : pick([0, 0x7ff, 0x18f]);
    base = rnd() < 0.5 ? 0x800 : (int(0x10000) | (int(0x10000) << 16)) >>> 0;
  }
  c.win.splice(c.memOff, 6, ...word(limit), ...dword(base));
  return c;
}
// The loads run at CPL 0 only (at CPL 3 they are #GP(0), as the base suite records).
const cpl0Only = (make) => (size) => (ctx.cpl === 0 ? make(size) : null);
for (const name of ['lgdt', 'lidt']) {
  form(
    `${name} M`,
    [16, 32],
    cpl0Only((size) => tableOperand(baseCase(name), size, name)),
  );
}
modrmForm('sgdt M', [16, 32], [0x0f, 0x01], 0, 0, 0, { memOnly: true });
modrmForm('sidt M', [16, 32], [0x0f, 0x01], 1, 0, 0, { memOnly: true });
modrmForm('sldt Ew', [16, 32], [0x0f, 0x00], 0, 0);
modrmForm('str Ew', [16, 32], [0x0f, 0x00], 1, 0);

/** LLDT and LTR: an r/m16 selector aimed at the LDT and TSS descriptors, or anything. */
for (const [n, ext, good] of [
  ['lldt Ew', 2, [0, 0xb8, 0xc0, 0x70, 0x44, 0xa0]],
  ['ltr Ew', 3, [0xc8, 0xb0, 0xd0, 0xd8, 0x70, 0xb8, 0x4c, 0]],
]) {
  form(
    n,
    [16, 32],
    cpl0Only((size) => {
      const c = baseCase(n);
      c.memOff = int(12);
      const m = rmOperand(c, ext, 16, false, false, c.memOff);
      c.code = [...m.prefix, ...osz(size), 0x0f, 0x00, ...m.body];
      const sel = rnd() < 0.7 ? pick(good) | (rnd() < 0.8 ? 0 : int(4)) : selector();
      if (m.body[0] >= 0xc0) setReg(c, 16, m.body[0] & 7, sel);
      else c.win.splice(c.memOff, 2, ...word(sel));
      return c;
    }),
  );
}

// ---- descriptor queries and segment loads over the GDT and the loaded LDT ----------------------

for (const [n, op, ext] of [
  ['lar Gv,Ew (ldt)', [0x0f, 0x02], -1],
  ['lsl Gv,Ew (ldt)', [0x0f, 0x03], -1],
  ['verr Ew (ldt)', [0x0f, 0x00], 4],
  ['verw Ew (ldt)', [0x0f, 0x00], 5],
]) {
  form(n, ext >= 0 ? [16] : [16, 32], (size) => {
    const c = baseCase(n);
    c.memOff = int(12);
    const reg = ext >= 0 ? ext : int(8);
    const m = rmOperand(c, reg, 16, false, false, c.memOff);
    if (m.body[0] >= 0xc0 && (m.body[0] & 7) === 4) return null;
    c.code = [...m.prefix, ...osz(size), ...op, ...m.body];
    if (m.body[0] >= 0xc0) setReg(c, 16, m.body[0] & 7, selector());
    else c.win.splice(c.memOff, 2, ...word(selector()));
    return c;
  });
}
for (const [n, sregs] of [
  ['mov Sw,Ew (ldt)', [ES, DS, FS, GS]],
  ['mov ss,Ew (ldt)', [SS]],
]) {
  form(n, [16], () => {
    const c = baseCase(n);
    const sreg = pick(sregs);
    const body = [0xc0 | (sreg << 3) | pick([0, 1, 2, 3, 5, 6, 7])];
    c.code = [0x8e, ...body];
    setReg(c, 16, body[0] & 7, selector());
    return c;
  });
}
