// Shifts and rotates: SHL/SAL, SHR, SAR, ROL, ROR, RCL, RCR, SHLD, SHRD (Intel SDM vol. 2B, "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD").

import type { Cpu, Handler } from '../cpu';
import type { DecodedInstruction } from '../decoded-instruction';
import { CF, getCF, OF, setEflags, setStatus, sizeMask, szp } from '../flags';
import { readOp, writeOp } from '../operands';

// The count is masked to 5 bits; a masked count of 0 changes neither the operand nor a flag.
// Flags the SDM leaves undefined follow Bochs: shifts clear AF and compute OF for every
// count (for SHL as CF ^ MSB, for SHR as the two top result bits, 0 for SAR); rotates compute
// OF for every count; SHLD/SHRD of a word by more than 16 shift in the destination again.

/** Masked count of the shift in `d` (operand 1: the constant 1, imm8 or CL). */
function count(c: Cpu, d: DecodedInstruction): number {
  return readOp(c, d, 1) & 0x1f;
}

const SHL: Handler = (c, d) => {
  const v = readOp(c, d, 0);
  const n = count(c, d);
  if (n === 0) return;
  const size = d.size[0]!;
  const res = n < 32 ? ((v << n) & sizeMask(size)) >>> 0 : 0;
  const cf = n <= size ? (v >>> (size - n)) & 1 : 0;
  const of = cf ^ (res >>> (size - 1));
  writeOp(c, d, 0, res);
  setStatus(c.s, szp(size, res) | (cf ? CF : 0) | (of ? OF : 0));
};

const SHR: Handler = (c, d) => {
  const v = readOp(c, d, 0);
  const n = count(c, d);
  if (n === 0) return;
  const size = d.size[0]!;
  const res = v >>> n;
  const cf = (v >>> (n - 1)) & 1;
  const of = ((res ^ (res << 1)) >>> (size - 1)) & 1;
  writeOp(c, d, 0, res);
  setStatus(c.s, szp(size, res) | (cf ? CF : 0) | (of ? OF : 0));
};

const SAR: Handler = (c, d) => {
  const v = readOp(c, d, 0);
  const n = count(c, d);
  if (n === 0) return;
  const size = d.size[0]!;
  const sv = size === 8 ? (v << 24) >> 24 : size === 16 ? (v << 16) >> 16 : v | 0;
  const res = ((sv >> n) & sizeMask(size)) >>> 0;
  const cf = (sv >> (n - 1)) & 1;
  writeOp(c, d, 0, res);
  setStatus(c.s, szp(size, res) | (cf ? CF : 0));
};

/** Rotates change only CF and OF. */
function rotateFlags(c: Cpu, cf: number, of: number): void {
  setEflags(c.s, (cf ? CF : 0) | (of ? OF : 0), CF | OF);
}

const ROL: Handler = (c, d) => {
  const v = readOp(c, d, 0);
  const n = count(c, d);
  if (n === 0) return;
  const size = d.size[0]!;
  const r = n & (size - 1);
  const res = r === 0 ? v : (((v << r) | (v >>> (size - r))) & sizeMask(size)) >>> 0;
  writeOp(c, d, 0, res);
  const cf = res & 1;
  rotateFlags(c, cf, cf ^ (res >>> (size - 1)));
};

const ROR: Handler = (c, d) => {
  const v = readOp(c, d, 0);
  const n = count(c, d);
  if (n === 0) return;
  const size = d.size[0]!;
  const r = n & (size - 1);
  const res = r === 0 ? v : (((v >>> r) | (v << (size - r))) & sizeMask(size)) >>> 0;
  writeOp(c, d, 0, res);
  const msb = res >>> (size - 1);
  rotateFlags(c, msb, msb ^ ((res >>> (size - 2)) & 1));
};

// RCL/RCR rotate through CF: size + 1 bits, so the count is taken modulo 9 or 17 for bytes
// and words (SDM 2B "RCL/RCR/ROL/ROR" tempCOUNT).
function rcCount(size: number, n: number): number {
  return size === 8 ? n % 9 : size === 16 ? n % 17 : n;
}

const RCL: Handler = (c, d) => {
  const v = readOp(c, d, 0);
  const size = d.size[0]!;
  const n = rcCount(size, count(c, d));
  if (n === 0) return;
  const carry = getCF(c.s);
  let res: number;
  if (n === 1) res = (v << 1) | carry;
  else res = (v << n) | (carry << (n - 1)) | (v >>> (size + 1 - n));
  res = (res & sizeMask(size)) >>> 0;
  const cf = (v >>> (size - n)) & 1;
  writeOp(c, d, 0, res);
  rotateFlags(c, cf, cf ^ (res >>> (size - 1)));
};

const RCR: Handler = (c, d) => {
  const v = readOp(c, d, 0);
  const size = d.size[0]!;
  const n = rcCount(size, count(c, d));
  if (n === 0) return;
  const carry = getCF(c.s);
  let res: number;
  if (n === 1) res = (v >>> 1) | (carry << (size - 1));
  else res = (v >>> n) | (carry << (size - n)) | (v << (size + 1 - n));
  res = (res & sizeMask(size)) >>> 0;
  const cf = (v >>> (n - 1)) & 1;
  writeOp(c, d, 0, res);
  rotateFlags(c, cf, ((res ^ (res << 1)) >>> (size - 1)) & 1);
};

// SHLD r/m, r, count: shifts r/m left, filling from the top of r.
const SHLD: Handler = (c, d) => {
  const dst = readOp(c, d, 0);
  const src = readOp(c, d, 1);
  const n = readOp(c, d, 2) & 0x1f;
  if (n === 0) return;
  const size = d.size[0]!;
  let res: number;
  let cf: number;
  if (size === 32) {
    res = ((dst << n) | (src >>> (32 - n))) >>> 0;
    cf = (dst >>> (32 - n)) & 1;
  } else {
    const temp = ((dst << 16) | src) >>> 0;
    let r32 = (temp << n) >>> 0;
    if (n > 16) r32 = (r32 | (dst << (n - 16))) >>> 0;
    res = r32 >>> 16;
    cf = (temp >>> (32 - n)) & 1;
  }
  const of = cf ^ (res >>> (size - 1));
  writeOp(c, d, 0, res);
  setStatus(c.s, szp(size, res) | (cf ? CF : 0) | (of ? OF : 0));
};

// SHRD r/m, r, count: shifts r/m right, filling from the bottom of r.
const SHRD: Handler = (c, d) => {
  const dst = readOp(c, d, 0);
  const src = readOp(c, d, 1);
  const n = readOp(c, d, 2) & 0x1f;
  if (n === 0) return;
  const size = d.size[0]!;
  let res: number;
  if (size === 32) {
    res = ((src << (32 - n)) | (dst >>> n)) >>> 0;
  } else {
    let r32 = (((src << 16) | dst) >>> 0) >>> n;
    if (n > 16) r32 = (r32 | (dst << (32 - n))) >>> 0;
    res = r32 & 0xffff;
  }
  const cf = n <= size ? (dst >>> (n - 1)) & 1 : 0;
  const of = ((res ^ (res << 1)) >>> (size - 1)) & 1;
  writeOp(c, d, 0, res);
  setStatus(c.s, szp(size, res) | (cf ? CF : 0) | (of ? OF : 0));
};

/** Shift and rotate handlers by exec name. */
export const shiftHandlers: Record<string, Handler> = {
  SHL,
  SHR,
  SAR,
  ROL,
  ROR,
  RCL,
  RCR,
  SHLD,
  SHRD,
};
