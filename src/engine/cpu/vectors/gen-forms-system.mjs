// Protected-mode instruction forms for the vector generator: selector loads, descriptor queries, privileged and IOPL-sensitive instructions, and INT n through the IDT (Intel SDM vol. 3A, 5.5-5.10 and 6.12).

import {
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
  SP0,
  SS,
  STK,
  setReg,
} from './gen-operands.mjs';
import { GDT_LIMIT } from './gen-pm-layout.mjs';
import { dword, int, pick, rnd, word } from './gen-random.mjs';

/** A selector worth loading: any GDT entry, past the GDT limit, or in the (null) LDT. */
function selector() {
  const r = rnd();
  const rpl = rnd() < 0.6 ? ctx.cpl : int(4);
  if (r < 0.08) return rpl; // null
  if (r < 0.14) return pick([GDT_LIMIT + 1, 0x1230, 0xfff8]) | rpl;
  if (r < 0.2) return (int(24) << 3) | 4 | rpl;
  return (int((GDT_LIMIT + 1) >> 3) << 3) | rpl;
}

/** EFLAGS with random status flags, IF and IOPL (TF stays clear: it would trap in the harness). */
const sysFlags = () => (0x2 | (int(0x10000) & 0x0ed5) | (int(4) << 12)) >>> 0;

/** A selector for SS: often one of the stack and data segments, else anything. */
function stackSelector() {
  if (rnd() < 0.5) return selector();
  return pick([0x10, 0x20, 0x28, 0x30, 0x50, 0x58, 0x78, 0x98]) | (rnd() < 0.7 ? ctx.cpl : int(4));
}

// Segment register loads with selectors aimed at the GDT's interesting descriptors. A loaded
// SS is harmless: the harness reloads every register for the next case.
for (const [n, sregs, sel] of [
  ['mov Sw,Ew (sel)', [ES, DS, FS, GS], selector],
  ['mov ss,Ew (sel)', [SS], stackSelector],
]) {
  modrmForm(n, [16], [0x8e], -1, 0, 0, {
    fix: (c, _size, m) => {
      const i = c.code.indexOf(m.body[0], c.code.indexOf(0x8e));
      c.code[i] = (c.code[i] & 0xc7) | (pick(sregs) << 3);
      if (m.body[0] >= 0xc0) setReg(c, 16, m.body[0] & 7, sel());
      else c.win.splice(c.memOff, 2, ...word(sel()));
    },
  });
}
for (const [n, op] of [
  ['pop es (sel)', [0x07]],
  ['pop ds (sel)', [0x1f]],
  ['pop fs (sel)', [0x0f, 0xa1]],
  ['pop gs (sel)', [0x0f, 0xa9]],
  ['pop ss (sel)', [0x17]],
]) {
  form(n, [16, 32], (size) => {
    const c = baseCase(n);
    c.code = [...osz(size), ...op];
    c.stk.splice(SP0 - STK, 2, ...word(n.includes('ss') ? stackSelector() : selector()));
    return c;
  });
}
for (const [n, op] of [
  ['les (sel)', [0xc4]],
  ['lds (sel)', [0xc5]],
  ['lfs (sel)', [0x0f, 0xb4]],
  ['lgs (sel)', [0x0f, 0xb5]],
  ['lss (sel)', [0x0f, 0xb2]],
]) {
  form(n, [16, 32], (size) => {
    const c = baseCase(n);
    c.memOff = int(8);
    const m = memOperand(c, int(8), c.memOff);
    c.code = [...m.prefix, ...osz(size), ...op, ...m.body];
    const sel = n.startsWith('lss') ? stackSelector() : selector();
    c.win.splice(c.memOff + size / 8, 2, ...word(sel));
    return c;
  });
}

// Descriptor queries: ZF reports whether the selector passed the checks.
for (const [n, op, ext] of [
  ['lar Gv,Ew', [0x0f, 0x02], -1],
  ['lsl Gv,Ew', [0x0f, 0x03], -1],
  ['verr Ew', [0x0f, 0x00], 4],
  ['verw Ew', [0x0f, 0x00], 5],
]) {
  form(n, ext >= 0 ? [16] : [16, 32], (size) => {
    const c = baseCase(n);
    c.memOff = int(12);
    const reg = ext >= 0 ? ext : int(8);
    const m = rmOperand(c, reg, 16, false, false, c.memOff);
    c.code = [...m.prefix, ...osz(size), ...op, ...m.body];
    if (m.body[0] >= 0xc0) setReg(c, 16, m.body[0] & 7, selector());
    else c.win.splice(c.memOff, 2, ...word(selector()));
    return c;
  });
}
modrmForm('arpl Ew,Gw', [16], [0x63], -1, 0);

// Stores of system registers: not privileged without UMIP.
modrmForm('sldt Ew', [16, 32], [0x0f, 0x00], 0, 0);
modrmForm('str Ew', [16, 32], [0x0f, 0x00], 1, 0);
modrmForm('smsw Ew', [16, 32], [0x0f, 0x01], 4, 0);
modrmForm('sgdt M', [16, 32], [0x0f, 0x01], 0, 0, 0, { memOnly: true });
modrmForm('sidt M', [16, 32], [0x0f, 0x01], 1, 0, 0, { memOnly: true });

// Privileged instructions: #GP(0) at CPL 3; at CPL 0 only those that leave the harness intact.
const cpl3Only = (make) => (size) => (ctx.cpl === 3 ? make(size) : null);
for (const [n, code] of [
  ['hlt', [0xf4]],
  ['lgdt', [0x0f, 0x01, 0x17]],
  ['lidt', [0x0f, 0x01, 0x1f]],
  ['lmsw', [0x0f, 0x01, 0xf0]],
  ['mov cr0,eax', [0x0f, 0x22, 0xc0]],
  ['mov dr7,eax', [0x0f, 0x23, 0xf8]],
]) {
  form(
    n,
    [16],
    cpl3Only(() => ({ ...baseCase(n), code })),
  );
}
for (const [n, code] of [
  ['clts', [0x0f, 0x06]],
  ['invd', [0x0f, 0x08]],
  ['wbinvd', [0x0f, 0x09]],
  ['mov eax,cr0', [0x0f, 0x20, 0xc0]],
  ['mov eax,cr2', [0x0f, 0x20, 0xd0]],
  ['mov eax,cr3', [0x0f, 0x20, 0xd8]],
  ['mov eax,cr4', [0x0f, 0x20, 0xe0]],
  ['mov eax,dr7', [0x0f, 0x21, 0xf8]],
  ['lldt Ew (null)', [0x0f, 0x00, 0xd0]],
  ['ltr Ew', [0x0f, 0x00, 0xd8]],
]) {
  form(n, [16], () => {
    const c = baseCase(n);
    c.code = code;
    // A successful LTR would change the harness's task register: keep it away from the TSSs.
    let sel = selector();
    while ((sel & 0xfffc) === 0xb0 || (sel & 0xfffc) === 0x70) sel = selector();
    if (n.startsWith('ltr')) setReg(c, 16, 0, sel);
    if (n.startsWith('lldt')) setReg(c, 16, 2, ctx.cpl);
    return c;
  });
}
modrmForm('invlpg M', [16], [0x0f, 0x01], 7, 0, 0, { memOnly: true });

// IOPL-sensitive instructions (SDM 3A 2.7, vol. 1 19.5): at CPL 3 they depend on IOPL.
for (const [n, op] of [
  ['cli', 0xfa],
  ['sti', 0xfb],
]) {
  form(n, [16], () => ({ ...baseCase(n), code: [op], eflags: sysFlags() }));
}
form('pushf', [16, 32], (size) => ({
  ...baseCase('pushf'),
  code: [...osz(size), 0x9c],
  eflags: sysFlags(),
}));
form('popf', [16, 32], (size) => {
  const c = { ...baseCase('popf'), code: [...osz(size), 0x9d], eflags: sysFlags() };
  // Any value but TF: IF, IOPL, NT, AC and ID change only where the privilege allows.
  const v = (int(0x10000) | (int(0x40) << 16)) & ~0x100;
  c.stk.splice(SP0 - STK, 4, ...dword(v));
  return c;
});
// Port I/O at CPL 3 with IOPL < 3 must fault (the TSS has no I/O bitmap); CPL 0 would do I/O.
for (const [n, code] of [
  ['in al,Ib', [0xe4, 0x80]],
  ['in eAX,dx', [0xed]],
  ['out Ib,al', [0xe6, 0x80]],
  ['out dx,eAX', [0xef]],
]) {
  form(
    n,
    [16],
    cpl3Only(() => {
      const c = { ...baseCase(n), code, eflags: sysFlags() & ~0x3000 };
      c.eflags |= int(3) << 12;
      return c;
    }),
  );
}

// Software interrupts through the IDT: gate DPL, not-present gates and the IDT limit.
form('int Ib', [16], () => {
  // Vectors whose handler would expect an error code are delivered only at CPL 3 (as #GP).
  const withError = [8, 10, 11, 12, 13, 14, 17];
  let v = pick([0, 1, 2, 3, 4, 5, 6, 7, 9, 15, 16, 18, 31, 0x20, 0x2f, 0x31, 0x80, 0xff]);
  if (ctx.cpl === 3 && rnd() < 0.3) v = pick(withError);
  return { ...baseCase('int Ib'), code: [0xcd, v] };
});
form('int3', [16], () => ({ ...baseCase('int3'), code: [0xcc] }));
form('into', [16], () => ({ ...baseCase('into'), code: [0xce] }));
