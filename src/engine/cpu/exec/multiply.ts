// Multiply and divide: MUL, IMUL (one, two and three operands), DIV, IDIV (Intel SDM vol. 2, instruction reference).

import type { Handler } from '../cpu';
import { CpuFault, Vector } from '../faults';
import { CF, OF, setStatus, szp } from '../flags';
import { readOp, writeOp } from '../operands';
import { type CpuState, EAX, EDX } from '../state';

// Undefined flags follow Bochs: SF, ZF and PF from the low half of the product, AF = 0.
// DIV and IDIV leave every flag unchanged (all six are undefined in the SDM).

/** High dword of the unsigned 64-bit product of two dwords (the low one is Math.imul). */
export function mulHigh32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (
    (ah * bh + Math.floor(lh / 65536) + Math.floor(hl / 65536) + Math.floor(mid / 65536)) >>> 0
  );
}

/** High dword of the signed 64-bit product of two dwords given as unsigned values. */
export function imulHigh32(a: number, b: number): number {
  let hi = mulHigh32(a, b);
  if (a & 0x80000000) hi -= b;
  if (b & 0x80000000) hi -= a;
  return hi >>> 0;
}

/** Sign-extends the low `size` bits of `v` to a JS number. */
function signed(size: number, v: number): number {
  return size === 8 ? (v << 24) >> 24 : size === 16 ? (v << 16) >> 16 : v | 0;
}

function productFlags(s: CpuState, size: number, low: number, overflow: boolean): void {
  setStatus(s, szp(size, low) | (overflow ? CF | OF : 0));
}

// F6/F7 /4: AX = AL * r/m8, DX:AX = AX * r/m16, EDX:EAX = EAX * r/m32; CF = OF = high half != 0.
const MUL: Handler = (c, d) => {
  const s = c.s;
  const size = d.size[0]!;
  const src = readOp(c, d, 0);
  if (size === 8) {
    const p = (s.regs[EAX]! & 0xff) * src;
    s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | p;
    productFlags(s, 8, p & 0xff, p > 0xff);
  } else if (size === 16) {
    const p = (s.regs[EAX]! & 0xffff) * src;
    s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | (p & 0xffff);
    s.regs[EDX] = (s.regs[EDX]! & 0xffff0000) | (p >>> 16);
    productFlags(s, 16, p & 0xffff, p > 0xffff);
  } else {
    const a = s.regs[EAX]!;
    const lo = Math.imul(a, src) >>> 0;
    const hi = mulHigh32(a, src);
    s.regs[EAX] = lo;
    s.regs[EDX] = hi;
    productFlags(s, 32, lo, hi !== 0);
  }
};

// F6/F7 /5: signed; CF = OF = the product does not fit the low half.
const IMUL: Handler = (c, d) => {
  const s = c.s;
  const size = d.size[0]!;
  const src = readOp(c, d, 0);
  if (size === 8) {
    const p = signed(8, s.regs[EAX]!) * signed(8, src);
    s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | (p & 0xffff);
    productFlags(s, 8, p & 0xff, p !== signed(8, p));
  } else if (size === 16) {
    const p = signed(16, s.regs[EAX]!) * signed(16, src);
    s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | (p & 0xffff);
    s.regs[EDX] = (s.regs[EDX]! & 0xffff0000) | ((p >>> 16) & 0xffff);
    productFlags(s, 16, p & 0xffff, p !== signed(16, p));
  } else {
    const a = s.regs[EAX]!;
    const lo = Math.imul(a, src) >>> 0;
    const hi = imulHigh32(a, src);
    s.regs[EAX] = lo;
    s.regs[EDX] = hi;
    productFlags(s, 32, lo, hi !== (lo & 0x80000000 ? 0xffffffff : 0));
  }
};

/** Truncated signed product of a and b at `size` bits, with the flags set. */
function imulTruncated(s: CpuState, size: number, a: number, b: number): number {
  if (size === 16) {
    const p = signed(16, a) * signed(16, b);
    productFlags(s, 16, p & 0xffff, p !== signed(16, p));
    return p & 0xffff;
  }
  const lo = Math.imul(a, b) >>> 0;
  const hi = imulHigh32(a, b);
  productFlags(s, 32, lo, hi !== (lo & 0x80000000 ? 0xffffffff : 0));
  return lo;
}

// 0F AF: r = r * r/m.
const IMUL2: Handler = (c, d) => {
  writeOp(c, d, 0, imulTruncated(c.s, d.size[0]!, readOp(c, d, 0), readOp(c, d, 1)));
};

// 69 / 6B: r = r/m * imm (the imm already sign-extended to the operand size by the decoder).
const IMUL3: Handler = (c, d) => {
  writeOp(c, d, 0, imulTruncated(c.s, d.size[0]!, readOp(c, d, 1), readOp(c, d, 2)));
};

/** Unsigned EDX:EAX / divisor for hi < divisor: [quotient, remainder] in two 16-bit steps. */
function divide64(hi: number, lo: number, divisor: number, out: Float64Array): void {
  let t = hi * 65536 + (lo >>> 16);
  const q1 = Math.floor(t / divisor);
  t = (t - q1 * divisor) * 65536 + (lo & 0xffff);
  const q0 = Math.floor(t / divisor);
  out[0] = q1 * 65536 + q0;
  out[1] = t - q0 * divisor;
}

const qr = new Float64Array(2);

// F6/F7 /6: #DE on a zero divisor or a quotient too wide for the destination.
const DIV: Handler = (c, d) => {
  const s = c.s;
  const size = d.size[0]!;
  const divisor = readOp(c, d, 0);
  if (divisor === 0) throw new CpuFault(Vector.DE);
  if (size === 8) {
    const n = s.regs[EAX]! & 0xffff;
    const q = Math.floor(n / divisor);
    if (q > 0xff) throw new CpuFault(Vector.DE);
    s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | ((n - q * divisor) << 8) | q;
  } else if (size === 16) {
    const n = (s.regs[EDX]! & 0xffff) * 65536 + (s.regs[EAX]! & 0xffff);
    const q = Math.floor(n / divisor);
    if (q > 0xffff) throw new CpuFault(Vector.DE);
    s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | q;
    s.regs[EDX] = (s.regs[EDX]! & 0xffff0000) | (n - q * divisor);
  } else {
    const hi = s.regs[EDX]!;
    if (hi >= divisor) throw new CpuFault(Vector.DE);
    divide64(hi, s.regs[EAX]!, divisor, qr);
    s.regs[EAX] = qr[0]!;
    s.regs[EDX] = qr[1]!;
  }
};

// F6/F7 /7: the quotient truncates toward zero, the remainder takes the dividend's sign.
const IDIV: Handler = (c, d) => {
  const s = c.s;
  const size = d.size[0]!;
  const raw = readOp(c, d, 0);
  if (raw === 0) throw new CpuFault(Vector.DE);
  const divisor = signed(size, raw);
  if (size === 8 || size === 16) {
    const n =
      size === 8 ? signed(16, s.regs[EAX]!) : (s.regs[EDX]! << 16) | (s.regs[EAX]! & 0xffff) | 0;
    const q = Math.trunc(n / divisor);
    const r = n - q * divisor;
    const lim = size === 8 ? 0x80 : 0x8000;
    if (q >= lim || q < -lim) throw new CpuFault(Vector.DE);
    if (size === 8) {
      s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | ((r & 0xff) << 8) | (q & 0xff);
    } else {
      s.regs[EAX] = (s.regs[EAX]! & 0xffff0000) | (q & 0xffff);
      s.regs[EDX] = (s.regs[EDX]! & 0xffff0000) | (r & 0xffff);
    }
    return;
  }
  // 64-by-32 bits: divide the magnitudes, then apply the signs.
  let hi = s.regs[EDX]!;
  let lo = s.regs[EAX]!;
  const negative = (hi & 0x80000000) !== 0;
  if (negative) {
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  const mag = Math.abs(divisor);
  if (hi >= mag) throw new CpuFault(Vector.DE);
  divide64(hi, lo, mag, qr);
  const quotientNegative = negative !== divisor < 0;
  const q = qr[0]!;
  if (q > (quotientNegative ? 0x80000000 : 0x7fffffff)) throw new CpuFault(Vector.DE);
  s.regs[EAX] = quotientNegative ? -q : q;
  s.regs[EDX] = negative ? -qr[1]! : qr[1]!;
};

/** Multiply and divide handlers by exec name. */
export const multiplyHandlers: Record<string, Handler> = { MUL, IMUL, IMUL2, IMUL3, DIV, IDIV };
