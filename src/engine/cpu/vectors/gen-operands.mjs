// Operand building for the vector generator: the mode context, random initial states, ModRM memory operands aimed at the windows, and the form registry.

import { bytes, int, pick, r32, rnd } from './gen-random.mjs';

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const DF = 0x400;
export const OF = 0x800;
export const STATUS = CF | PF | AF | ZF | SF | OF;

/** Segment register numbers (ModRM Sreg order) and the override prefix of each. */
export const ES = 0;
export const CS = 1;
export const SS = 2;
export const DS = 3;
export const FS = 4;
export const GS = 5;
const PREFIX_SEG = { 38: ES, 46: CS, 54: SS, 62: DS, 100: FS, 101: GS };

/**
 * What the current case runs in: real mode, or protected mode with a 16- or 32-bit code
 * segment (`d32`) at CPL 0 or 3. `base` holds the segment bases the harness loads (ES, CS,
 * SS, DS, FS, GS); in protected mode every data segment ends right after the 32-byte window
 * and the stack segment right after the stack window, so `probe` cases can cross a limit.
 */
export const ctx = {
  pm: false,
  d32: false,
  cpl: 0,
  base: [0, 0, 0, 0, 0x800, 0x900],
  /** Stack segment is 32-bit (B = 1): ESP rather than SP addresses the stack. */
  ssBig: false,
  /** DS is expand-down with the window at its lower end (gen-pm-layout.mjs EXPAND_DOWN_DS). */
  expandDown: false,
  /** No access crosses a segment limit (the QEMU recording: QEMU does not check limits). */
  noLimits: false,
};
export const WIN = 0x1000; // memory window (linear), 32 bytes
export const STK = 0x6fe0; // stack window (linear), 64 bytes
export const SP0 = 0x7000;

/** Base of the segment that override `prefix` selects, or of `dflt` without one. */
export const segBase = (prefix, dflt = DS) => ctx.base[prefix >= 0 ? PREFIX_SEG[prefix] : dflt];
/** Operand-size prefix for a `size`-bit operand in the current code segment. */
export const osz = (size) => ((size === 32) !== ctx.d32 && size !== 8 ? [0x66] : []);
/** Address-size prefix for `bits`-bit addressing in the current code segment. */
export const asz = (bits) => ((bits === 32) !== ctx.d32 ? [0x67] : []);

/** A fresh case: random registers (ESP fixed), random status flags, random windows. */
export function baseCase(name) {
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

/** Linear address a memory operand aims at: window offset `off`, or across a limit. */
function aimAt(off, seg) {
  if (off >= 0) return WIN + off;
  // Probe: end -off bytes before the end of the segment's valid range (-1 = last byte), or for
  // an expand-down DS start at its lowest valid byte or up to 3 bytes below it.
  if (seg === DS && ctx.expandDown) return WIN + off + 1;
  return (seg === SS ? STK + 64 : WIN + 32) + off;
}

/**
 * Appends a memory operand for ModRM.reg `reg` aimed at window offset `off` (or, when `off`
 * is negative, straddling the segment limit): picks a random 16- or 32-bit addressing form
 * and segment override, then solves a base register or the displacement so that the
 * effective address lands there. Returns the prefix and ModRM bytes.
 */
export function memOperand(c, reg, off, avoid = []) {
  for (;;) {
    const seg = rnd() < 0.3 ? pick([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) : -1;
    const prefix = seg >= 0 ? [seg] : [];
    const segOf = (dflt) => (seg >= 0 ? PREFIX_SEG[seg] : dflt);
    if (rnd() < 0.5) {
      const mod = int(3);
      const rm = int(8);
      const regsOf = [[3, 6], [3, 7], [5, 6], [5, 7], [6], [7], [5], [3]][rm];
      const sreg = segOf(rm === 2 || rm === 3 || (rm === 6 && mod !== 0) ? SS : DS);
      const target = (aimAt(off, sreg) - ctx.base[sreg]) >>> 0;
      if (mod === 0 && rm === 6) {
        const disp = target & 0xffff;
        return { prefix: [...prefix, ...asz(16)], body: [(reg << 3) | 6, disp & 0xff, disp >> 8] };
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
      return { prefix: [...prefix, ...asz(16)], body };
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
    const sreg = segOf(!noBase && (base === 4 || base === 5) ? SS : DS);
    const target = (aimAt(off, sreg) - ctx.base[sreg]) >>> 0;
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
    return { prefix: [...prefix, ...asz(32)], body };
  }
}

/** An r/m operand: register (0..7) or memory; fills c and returns { prefix, body }. */
export function rmOperand(c, reg, _size, memOnly, regOnly, off = int(12), avoid = []) {
  if (!memOnly && (regOnly || rnd() < 0.4))
    return { prefix: [], body: [0xc0 | (reg << 3) | int(8)] };
  return memOperand(c, reg, off, avoid);
}

// ---- the form registry --------------------------------------------------------------------

/** Every declared form: `make(size)` returns a case (or null); run per-form times per size. */
export const forms = [];
export function form(name, sizes, make) {
  forms.push({ name, sizes, make });
}

/** Generic ModRM form: opcode bytes, ext (or -1 for a random G register), immediate bytes. */
export function modrmForm(name, sizes, op, ext, immSize, undef = 0, o = {}) {
  form(name, sizes, (size) => {
    const c = baseCase(`${name}/${size}`);
    const reg = ext >= 0 ? ext : int(8);
    c.memOff = o.off?.() ?? int(12);
    // In protected mode some memory operands cross the end of their segment (#GP or #SS).
    const probe = ctx.pm && !ctx.noLimits && !o.fix && !o.regOnly && rnd() < 0.1;
    const off = probe ? -1 - int(4) : c.memOff;
    const m = rmOperand(c, reg, size, o.memOnly, o.regOnly, off, o.avoid ?? []);
    const isz = immSize === 'z' ? (size === 32 ? 4 : 2) : immSize;
    const imm = o.imm ? o.imm(size) : bytes(isz);
    c.code = [...(o.lock ? [0xf0] : []), ...m.prefix, ...osz(size), ...op, ...m.body, ...imm];
    c.undef = typeof undef === 'function' ? undef(c, size, imm) : undef;
    o.fix?.(c, size, m, imm);
    return c;
  });
}

// ---- register and window helpers -------------------------------------------------------------

export function setReg(c, size, r, v) {
  if (size === 8) {
    const full = r & 3;
    const sh = r >= 4 ? 8 : 0;
    c.regs[full] = ((c.regs[full] & ~(0xff << sh)) | ((v & 0xff) << sh)) >>> 0;
  } else if (size === 16) c.regs[r] = ((c.regs[r] & 0xffff0000) | (v & 0xffff)) >>> 0;
  else c.regs[r] = v >>> 0;
}
export function getReg(c, size, r) {
  if (size === 8) return (c.regs[r & 3] >>> (r >= 4 ? 8 : 0)) & 0xff;
  return size === 16 ? c.regs[r] & 0xffff : c.regs[r];
}
/** Writes `size` bits of v at window offset `at` (the memory operand's by default). */
export function writeWin(c, size, v, at = c.memOff) {
  for (let i = 0; i < size / 8; i++) c.win[at + i] = (v >>> (8 * i)) & 0xff;
}
