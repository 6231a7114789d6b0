// EFLAGS and lazy arithmetic flags (Intel SDM vol. 1, 3.4.3 and appendix A "EFLAGS cross-reference").

import type { CpuState } from './state';

/** EFLAGS bits (SDM 1 figure 3-8). */
export const CF = 0x0001; // carry
export const PF = 0x0004; // parity of the low byte
export const AF = 0x0010; // auxiliary carry out of bit 3
export const ZF = 0x0040; // zero
export const SF = 0x0080; // sign
export const TF = 0x0100; // trap (single step)
export const IF = 0x0200; // interrupt enable
export const DF = 0x0400; // direction of string operations
export const OF = 0x0800; // signed overflow
export const IOPL = 0x3000; // I/O privilege level (2 bits)
export const NT = 0x4000; // nested task
export const RF = 0x10000; // resume
export const VM = 0x20000; // virtual-8086 mode
export const AC = 0x40000; // alignment check

/** The six status flags that arithmetic computes. */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

/** Lazy operation kinds: how to derive the status flags from lazyDst/lazySrc/lazyRes. */
export const LAZY_NONE = 0;
export const LAZY_ADD = 1; // ADD and ADC: CF/OF from the carry chain, so a carry-in needs no case
export const LAZY_SUB = 2; // SUB, SBB, CMP, NEG (as 0 - x)
export const LAZY_LOGIC = 3; // AND, OR, XOR, TEST: CF = OF = 0, AF = 0 (undefined in the SDM)
export const LAZY_INC = 4; // like ADD with src 1, CF kept in eflags
export const LAZY_DEC = 5; // like SUB with src 1, CF kept in eflags

const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let bits = 0;
  for (let b = i; b !== 0; b >>= 1) bits += b & 1;
  PARITY[i] = (bits & 1) === 0 ? PF : 0;
}

/** Mask of an operand of `size` bits. */
export function sizeMask(size: number): number {
  return size === 8 ? 0xff : size === 16 ? 0xffff : 0xffffffff;
}

/**
 * CF (0 or 1) of a lazy record: operation `op`, operand `size`, operands and result, and
 * `eflags` for the kinds that keep CF there. The getters below read the record from the state;
 * the lean path keeps it in locals and calls these directly.
 */
export function cfOf(
  op: number,
  size: number,
  dst: number,
  src: number,
  res: number,
  eflags: number,
): number {
  const top = size - 1;
  switch (op) {
    case LAZY_ADD:
      return (((dst & src) | ((dst | src) & ~res)) >>> top) & 1;
    case LAZY_SUB:
      return (((~dst & src) | ((~dst | src) & res)) >>> top) & 1;
    case LAZY_LOGIC:
      return 0;
    default:
      return eflags & CF;
  }
}

/** OF (0 or 1) of a lazy record (see cfOf). */
export function ofOf(
  op: number,
  size: number,
  dst: number,
  src: number,
  res: number,
  eflags: number,
): number {
  const top = size - 1;
  switch (op) {
    case LAZY_ADD:
    case LAZY_INC:
      return (((dst ^ res) & (src ^ res)) >>> top) & 1;
    case LAZY_SUB:
    case LAZY_DEC:
      return (((dst ^ src) & (dst ^ res)) >>> top) & 1;
    case LAZY_LOGIC:
      return 0;
    default:
      return (eflags >>> 11) & 1;
  }
}

/** Returns CF (0 or 1). */
export function getCF(s: CpuState): number {
  return cfOf(s.lazyOp, s.lazySize, s.lazyDst, s.lazySrc, s.lazyRes, s.eflags);
}

/** Returns OF (0 or 1). */
export function getOF(s: CpuState): number {
  return ofOf(s.lazyOp, s.lazySize, s.lazyDst, s.lazySrc, s.lazyRes, s.eflags);
}

/** Returns ZF (0 or 1). */
export function getZF(s: CpuState): number {
  if (s.lazyOp === LAZY_NONE) return (s.eflags >>> 6) & 1;
  return s.lazyRes === 0 ? 1 : 0;
}

/** Returns SF (0 or 1). */
export function getSF(s: CpuState): number {
  if (s.lazyOp === LAZY_NONE) return (s.eflags >>> 7) & 1;
  return (s.lazyRes >>> (s.lazySize - 1)) & 1;
}

/** Returns PF (0 or 1): set when the low byte of the result has an even number of ones. */
export function getPF(s: CpuState): number {
  if (s.lazyOp === LAZY_NONE) return (s.eflags >>> 2) & 1;
  return PARITY[s.lazyRes & 0xff]! >>> 2;
}

/** Returns AF (0 or 1): the carry or borrow out of bit 3. */
export function getAF(s: CpuState): number {
  if (s.lazyOp === LAZY_NONE) return (s.eflags >>> 4) & 1;
  if (s.lazyOp === LAZY_LOGIC) return 0;
  return ((s.lazyDst ^ s.lazySrc ^ s.lazyRes) >>> 4) & 1;
}

/** Returns the full EFLAGS value with the lazy status flags folded in. */
export function getEflags(s: CpuState): number {
  if (s.lazyOp === LAZY_NONE) return s.eflags;
  return (
    ((s.eflags & ~ARITH_FLAGS) |
      getCF(s) |
      (getPF(s) << 2) |
      (getAF(s) << 4) |
      (getZF(s) << 6) |
      (getSF(s) << 7) |
      (getOF(s) << 11)) >>>
    0
  );
}

/** Replaces the EFLAGS bits selected by `mask` with those of `value`; bit 1 stays set. */
export function setEflags(s: CpuState, value: number, mask: number): void {
  s.eflags = ((getEflags(s) & ~mask) | (value & mask) | 0x2) >>> 0;
  s.lazyOp = LAZY_NONE;
}

/** Sets or clears one flag bit (CF, DF, IF...), materialising lazy flags first. */
export function setFlag(s: CpuState, flag: number, on: boolean): void {
  setEflags(s, on ? flag : 0, flag);
}

function record(s: CpuState, op: number, size: number, dst: number, src: number, res: number) {
  s.lazyOp = op;
  s.lazySize = size;
  s.lazyDst = dst;
  s.lazySrc = src;
  s.lazyRes = res;
}

/** ADD/ADC: returns (dst + src + carry) truncated to `size` and records the flags. */
export function add(s: CpuState, size: number, dst: number, src: number, carry: number): number {
  const res = ((dst + src + carry) & sizeMask(size)) >>> 0;
  record(s, LAZY_ADD, size, dst, src, res);
  return res;
}

/** SUB/SBB/CMP: returns (dst - src - borrow) truncated to `size` and records the flags. */
export function sub(s: CpuState, size: number, dst: number, src: number, borrow: number): number {
  const res = ((dst - src - borrow) & sizeMask(size)) >>> 0;
  record(s, LAZY_SUB, size, dst, src, res);
  return res;
}

/** AND/OR/XOR/TEST: records the flags of the already computed `res`. */
export function logic(s: CpuState, size: number, res: number): number {
  const r = (res & sizeMask(size)) >>> 0;
  record(s, LAZY_LOGIC, size, 0, 0, r);
  return r;
}

/** INC: returns dst + 1 and records the flags, CF unchanged. */
export function inc(s: CpuState, size: number, dst: number): number {
  s.eflags = (s.eflags & ~CF) | getCF(s);
  const res = ((dst + 1) & sizeMask(size)) >>> 0;
  record(s, LAZY_INC, size, dst, 1, res);
  return res;
}

/** DEC: returns dst - 1 and records the flags, CF unchanged. */
export function dec(s: CpuState, size: number, dst: number): number {
  s.eflags = (s.eflags & ~CF) | getCF(s);
  const res = ((dst - 1) & sizeMask(size)) >>> 0;
  record(s, LAZY_DEC, size, dst, 1, res);
  return res;
}

/** Evaluates condition code `cc` (0..15, the low nibble of Jcc/SETcc/CMOVcc; SDM 1 B.1). */
export function condition(s: CpuState, cc: number): boolean {
  return conditionOf(cc, s.lazyOp, s.lazySize, s.lazyDst, s.lazySrc, s.lazyRes, s.eflags);
}

/** condition() on a lazy record held in values (see cfOf). */
export function conditionOf(
  cc: number,
  op: number,
  size: number,
  dst: number,
  src: number,
  res: number,
  eflags: number,
): boolean {
  let r: number;
  const none = op === LAZY_NONE;
  switch (cc >> 1) {
    case 0:
      r = ofOf(op, size, dst, src, res, eflags);
      break;
    case 1:
      r = cfOf(op, size, dst, src, res, eflags);
      break;
    case 2:
      r = none ? eflags & ZF : res === 0 ? 1 : 0;
      break;
    case 3:
      r = cfOf(op, size, dst, src, res, eflags) | (none ? eflags & ZF : res === 0 ? 1 : 0);
      break;
    case 4:
      r = none ? eflags & SF : (res >>> (size - 1)) & 1;
      break;
    case 5:
      r = none ? eflags & PF : PARITY[res & 0xff]!;
      break;
    case 6:
      r =
        (none ? (eflags >>> 7) & 1 : (res >>> (size - 1)) & 1) ^
        ofOf(op, size, dst, src, res, eflags);
      break;
    default:
      r =
        ((none ? (eflags >>> 7) & 1 : (res >>> (size - 1)) & 1) ^
          ofOf(op, size, dst, src, res, eflags)) |
        (none ? (eflags >>> 6) & 1 : res === 0 ? 1 : 0);
  }
  return (r !== 0) !== ((cc & 1) === 1);
}

/** Returns PF for the low byte of `res` (PF or 0). */
export function parity(res: number): number {
  return PARITY[res & 0xff]!;
}

/** SF, ZF and PF of a `size`-bit result, as EFLAGS bits. */
export function szp(size: number, res: number): number {
  return (res === 0 ? ZF : 0) | ((res >>> (size - 1)) & 1 ? SF : 0) | PARITY[res & 0xff]!;
}

/**
 * Sets the six status flags to `value` at once (instructions whose flags are computed
 * eagerly: shifts, multiplies, BCD). The other EFLAGS bits are kept.
 */
export function setStatus(s: CpuState, value: number): void {
  s.eflags = ((getEflags(s) & ~ARITH_FLAGS) | (value & ARITH_FLAGS) | 0x2) >>> 0;
  s.lazyOp = LAZY_NONE;
}
