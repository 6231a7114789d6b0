// Protected-mode control transfers for the vector generator: near and far JMP, CALL, RET, Jcc, LOOP, JCXZ and IRET, run in harness-pm.asm's landing page (Intel SDM vol. 2A "JMP", "CALL", vol. 2B "RET", "IRET"; vol. 3A 5.8 "Privilege level checking when transferring program control").

import {
  asz,
  baseCase,
  ctx,
  form,
  memOperand,
  osz,
  rmOperand,
  SP0,
  STK,
  setReg,
} from './gen-operands.mjs';
import { dword, int, pick, rnd, word } from './gen-random.mjs';

/** The landing page (all INT3) and where the instruction sits in it (harness-pm.asm LAND). */
const PAGE = 0x2000;
const LAND = 0x2800;

/** A target in the landing page outside the instruction's own `len` bytes. */
function target(len) {
  for (;;) {
    const t = PAGE + int(0x1000);
    if (t < LAND || t >= LAND + len) return t;
  }
}
/** A relative displacement of `bytes` to a random target for an instruction of `len` bytes. */
function rel(len, bytes) {
  const end = LAND + len;
  if (bytes === 1) {
    for (;;) {
      const d = int(256) - 128;
      if (end + d < LAND || end + d >= end) return [d & 0xff];
    }
  }
  const d = target(len) - end;
  return bytes === 2 ? word(d) : dword(d);
}
/** Value bytes of `size` bits. */
const val = (size, v) => (size === 16 ? word(v) : dword(v));
/** A case that runs in the landing page. */
function landing(name) {
  const c = baseCase(name);
  c.landing = true;
  return c;
}

// Near relative jumps and calls.
form('jmp Jb', [16], () => ({ ...landing('jmp Jb'), code: [0xeb, ...rel(2, 1)] }));
form('jmp Jz', [16, 32], (size) => {
  const pre = osz(size);
  const len = pre.length + 1 + size / 8;
  return { ...landing('jmp Jz'), code: [...pre, 0xe9, ...rel(len, size / 8)] };
});
form('call Jz', [16, 32], (size) => {
  const pre = osz(size);
  const len = pre.length + 1 + size / 8;
  return { ...landing('call Jz'), code: [...pre, 0xe8, ...rel(len, size / 8)] };
});
form('jcc Jb', [16], () => ({ ...landing('jcc Jb'), code: [0x70 + int(16), ...rel(2, 1)] }));
form('jcc Jz', [16, 32], (size) => {
  const pre = osz(size);
  const len = pre.length + 2 + size / 8;
  return { ...landing('jcc Jz'), code: [...pre, 0x0f, 0x80 + int(16), ...rel(len, size / 8)] };
});
// LOOP, LOOPE, LOOPNE and JCXZ count with CX or ECX by the address size.
for (const [n, op] of [
  ['loopne Jb', 0xe0],
  ['loope Jb', 0xe1],
  ['loop Jb', 0xe2],
  ['jcxz Jb', 0xe3],
]) {
  form(n, [16], () => {
    const c = landing(n);
    const pre = asz(rnd() < 0.5 ? 16 : 32);
    c.regs[1] = rnd() < 0.6 ? pick([0, 1, 2, 0x10000, 0x10001]) : c.regs[1];
    c.code = [...pre, op, ...rel(pre.length + 2, 1)];
    return c;
  });
}

// Near indirect jumps and calls, and near returns (the address is on the stack window).
for (const [n, ext] of [
  ['jmp Ev', 4],
  ['call Ev', 2],
]) {
  form(n, [16, 32], (size) => {
    const c = landing(n);
    c.memOff = int(12);
    const m = rmOperand(c, ext, size, false, false, c.memOff);
    if (m.body[0] >= 0xc0 && (m.body[0] & 7) === 4) return null;
    c.code = [...m.prefix, ...osz(size), 0xff, ...m.body];
    const t = target(c.code.length);
    if (m.body[0] >= 0xc0) setReg(c, size, m.body[0] & 7, t);
    else c.win.splice(c.memOff, size / 8, ...val(size, t));
    return c;
  });
}
for (const [n, imm] of [
  ['ret', false],
  ['ret Iw', true],
]) {
  form(n, [16, 32], (size) => {
    const c = landing(n);
    // At most 1Ch more: the INT3 frame after a CPL-0 return must still fit below the limit.
    c.code = [...osz(size), imm ? 0xc2 : 0xc3, ...(imm ? word(pick([0, 2, 4, int(0x1c)])) : [])];
    c.stk.splice(SP0 - STK, size / 8, ...val(size, target(c.code.length)));
    return c;
  });
}

/**
 * A far target's selector: the code segments of both sizes and rings, conforming and
 * execute-only code, the call gate, and some that must fault (data, not present, LDT, past
 * the GDT, null). Never a TSS: a task switch would take the harness's own.
 */
function farSelector() {
  // Mostly one this CPL may reach (for returns at CPL 0, one of ring 3 as well).
  if (rnd() < 0.6) {
    return pick(
      ctx.cpl === 0 ? [0x08, 0x18, 0x90, 0xa8, 0x63, 0x6b] : [0x63, 0x6b, 0x8b, 0x93, 0xab],
    );
  }
  const rpl = rnd() < 0.6 ? ctx.cpl : int(4);
  return pick([0x08, 0x18, 0x60, 0x68, 0x60, 0x68, 0x90, 0x88, 0xa8, 0x30, 0x80, 0xa0, 0]) | rpl;
}
/** The stack selector a return to an outer ring pops: mostly a valid one for ring 3. */
const outerStack = () => pick([0x53, 0x5b, 0x53, 0x33, 0x23, 0x50]);

for (const [n, op] of [
  ['jmp Ap', 0xea],
  ['call Ap', 0x9a],
]) {
  form(n, [16, 32], (size) => {
    const c = landing(n);
    const len = osz(size).length + 3 + size / 8;
    c.code = [...osz(size), op, ...val(size, target(len)), ...word(farSelector())];
    return c;
  });
}
for (const [n, ext] of [
  ['jmp Mp', 5],
  ['call Mp', 3],
]) {
  form(n, [16, 32], (size) => {
    const c = landing(n);
    c.memOff = int(8);
    const m = memOperand(c, ext, c.memOff);
    c.code = [...m.prefix, ...osz(size), 0xff, ...m.body];
    const off = target(c.code.length);
    c.win.splice(c.memOff, size / 8 + 2, ...val(size, off), ...word(farSelector()));
    return c;
  });
}
// Far returns and IRET pop CS:EIP (and EFLAGS), then SS:ESP when the return leaves for an
// outer ring; the popped EFLAGS never set TF, NT or VM.
for (const [n, op] of [
  ['retf', 0xcb],
  ['retf Iw', 0xca],
  ['iret', 0xcf],
]) {
  form(n, [16, 32], (size) => {
    const c = landing(n);
    const imm = op === 0xca ? word(pick([0, 4, 8])) : [];
    c.code = [...osz(size), op, ...imm];
    const flags = (0x2 | (int(0x10000) & 0x0ed5) | (int(4) << 12) | (int(0x40) << 16)) & ~0x24100;
    const frame = [target(c.code.length), farSelector()];
    if (op === 0xcf) frame.push(flags >>> 0);
    const skip = imm.length ? imm[0] : 0;
    const stack = [...frame.flatMap((v) => val(size, v))];
    stack.push(...Array(skip).fill(0xee));
    stack.push(...val(size, SP0 - 0x20 - int(0x20)), ...val(size, outerStack()));
    c.stk.splice(SP0 - STK, stack.length, ...stack);
    c.stk.length = 64;
    // At CPL 0, ring-0 data in ES or FS (78h: DPL 0, read-only, DS's base and limit) that a
    // return to ring 3 must null, and DPL-3 data in GS that it must keep.
    if (ctx.cpl === 0 && rnd() < 0.5) c.dataSels = { 0: 0x78, 4: 0x78, 5: 0x4b };
    return c;
  });
}

// A CPL-3 far CALL into DPL-0 conforming code stays at CPL 3, so its pushes are user-mode
// accesses: onto a stack page that is read-only or supervisor-only they raise #PF (Bochs
// pushes with supervisor rights: see exclusions.ts).
form('call Ap (conforming, user stack page)', [16, 32], (size) => {
  if (ctx.cpl !== 3) return null;
  const c = landing('call Ap conforming');
  const len = osz(size).length + 3 + size / 8;
  c.code = [...osz(size), 0x9a, ...val(size, target(len)), ...word(0x93)];
  c.pte = 0x67;
  c.pteStack = pick([0x65, 0x63, 0x61, 0x25, 0x67]);
  c.wp = rnd() < 0.5;
  return c;
});
