import { describe, expect, it } from 'vitest';
import { AF, CF, OF, PF, SF, ZF } from '../flags';
import { TestCpu } from './testing';

const STATUS = CF | PF | AF | ZF | SF | OF;
const EDGE = [
  0, 1, 0x7f, 0x80, 0x81, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345678, 0x80000001, 0xffffffff,
];
const OPS = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'] as const;

function parity(v: number): boolean {
  let b = 0;
  for (let i = 0; i < 8; i++) b += (v >> i) & 1;
  return b % 2 === 0;
}

/**
 * The SDM 2B pseudo-code, bit by bit: returns the result, the flags and the mask of flags the
 * SDM defines for this count (the others are undefined and not compared).
 */
function reference(op: number, size: number, dst: number, count: number, cfIn: number) {
  const mask = size === 32 ? 0xffffffff : (1 << size) - 1;
  const msb = (v: number) => (v >>> (size - 1)) & 1;
  let v = (dst & mask) >>> 0;
  const n = count & 0x1f;
  let cf = cfIn;
  let defined = 0;
  let flags = 0;
  if (op < 4) {
    let temp = op >= 2 ? n % (size + 1) : n % size;
    if (op >= 2 && size === 32) temp = n;
    for (let i = 0; i < temp; i++) {
      if (op === 0) v = ((v << 1) | msb(v)) & mask;
      else if (op === 1) v = ((v >>> 1) | ((v & 1) << (size - 1))) >>> 0;
      else if (op === 2) {
        const t = msb(v);
        v = ((v << 1) | cf) & mask;
        cf = t;
      } else {
        const t = v & 1;
        v = ((v >>> 1) | (cf << (size - 1))) >>> 0;
        cf = t;
      }
      v >>>= 0;
    }
    if (n !== 0) {
      if (op === 0) cf = v & 1;
      if (op === 1) cf = msb(v);
      defined = CF;
      const effective = op >= 2 ? (size === 32 ? n : n % (size + 1)) : n;
      if (op >= 2 && effective === 0) defined = 0;
      if (effective === 1 || (op < 2 && n === 1)) {
        defined |= OF;
        const of = op === 0 || op === 2 ? msb(v) ^ cf : msb(v) ^ ((v >>> (size - 2)) & 1);
        flags |= of ? OF : 0;
      }
      flags |= cf ? CF : 0;
    }
    return { v, flags, defined };
  }
  for (let i = 0; i < n; i++) {
    if (op === 4 || op === 6) {
      cf = msb(v);
      v = (v << 1) & mask;
    } else {
      cf = v & 1;
      v = op === 7 ? (v >>> 1) | (msb(v) << (size - 1)) : v >>> 1;
    }
    v >>>= 0;
  }
  if (n === 0) return { v, flags: 0, defined: 0 };
  defined = CF | SF | ZF | PF;
  if (n === 1) {
    defined |= OF;
    const of = op === 4 || op === 6 ? msb(v) ^ cf : op === 5 ? msb(dst & mask) : 0;
    flags |= of ? OF : 0;
  }
  if (n > size && op !== 7) defined &= ~CF; // CF undefined when the count exceeds the width
  flags |= (cf ? CF : 0) | (v === 0 ? ZF : 0) | (msb(v) ? SF : 0) | (parity(v) ? PF : 0);
  return { v, flags, defined };
}

/** Encodes op r/m,CL (D2/D3 /op) on AL/AX/EAX, with 0x66 for 32 bits. */
function encodeCl(op: number, size: number): number[] {
  const modrm = 0xc0 | (op << 3);
  if (size === 8) return [0xd2, modrm];
  return size === 32 ? [0x66, 0xd3, modrm] : [0xd3, modrm];
}

describe('shifts and rotates against the SDM pseudo-code', () => {
  const t = new TestCpu();
  for (const size of [8, 16, 32]) {
    it(`${size}-bit: every op, counts 0..33, edge values, CF in 0 and 1`, () => {
      let checked = 0;
      for (let op = 0; op < 8; op++) {
        for (const value of EDGE) {
          for (let count = 0; count <= 33; count++) {
            for (const cfIn of [0, 1]) {
              const before = (cfIn ? CF : 0) | AF | ZF | 0x2;
              t.reset().set([value, count], before);
              expect(t.run(encodeCl(op, size))).toBe(-1);
              const ref = reference(op, size, value, count, cfIn);
              const label = `${OPS[op]} ${size} ${value.toString(16)} by ${count} cf=${cfIn}`;
              const mask = size === 32 ? 0xffffffff : (1 << size) - 1;
              expect((t.reg(0) & mask) >>> 0, label).toBe(ref.v);
              if ((count & 31) === 0) expect(t.flags & STATUS, label).toBe(before & STATUS);
              expect(t.flags & ref.defined, label).toBe(ref.flags & ref.defined);
              checked++;
            }
          }
        }
      }
      expect(checked).toBe(8 * EDGE.length * 34 * 2);
    });
  }

  it('takes the count from 1 (D0/D1), imm8 (C0/C1) and CL, masked to 5 bits', () => {
    const t2 = new TestCpu();
    t2.set([0x81]);
    t2.run('d0 e0'); // shl al, 1
    expect(t2.reg(0) & 0xff).toBe(0x02);
    expect(t2.flags & (CF | OF)).toBe(CF | OF);
    t2.set([0x1234]);
    t2.run('c1 c8 24'); // ror ax, 0x24 -> count 4
    expect(t2.reg(0) & 0xffff).toBe(0x4123);
  });

  it('changes nothing, not even flags, when the masked count is 0', () => {
    const t2 = new TestCpu();
    t2.set([0x80, 0x20], CF | OF | ZF | 0x2); // CL = 32 -> 0
    t2.run('d2 e0'); // shl al, cl
    expect(t2.reg(0)).toBe(0x80);
    expect(t2.flags & STATUS).toBe(CF | OF | ZF);
  });

  it('writes memory operands and reads them once', () => {
    const t2 = new TestCpu();
    t2.mem.write16(0x500, 0x8001);
    t2.run('d1 26 00 05'); // shl word [0x500], 1
    expect(t2.mem.read16(0x500)).toBe(0x0002);
    expect(t2.flags & CF).toBe(CF);
  });
});

describe('SHLD and SHRD', () => {
  const cases: [string, number, number, number, number, number][] = [
    // [code, dst, src, count, result, CF]
    ['66 0f a4 d0 04', 0x12345678, 0x9abcdef0, 4, 0x23456789, 1],
    ['66 0f ac d0 04', 0x12345678, 0x9abcdef0, 4, 0x01234567, 1],
    ['0f a4 d0 08', 0x1234, 0xabcd, 8, 0x34ab, 0],
    ['0f ac d0 08', 0x1234, 0xabcd, 8, 0xcd12, 0],
    ['66 0f a4 d0 1f', 0x00000003, 0x80000000, 31, 0xc0000000, 1],
    ['0f a4 d0 10', 0x1234, 0xabcd, 16, 0xabcd, 0],
  ];
  it.each(cases)('%s: dst %i src %i count %i', (code, dst, src, _count, result, cf) => {
    const t = new TestCpu();
    t.set([dst, 0, src]);
    expect(t.run(code)).toBe(-1);
    const mask = code.startsWith('66') ? 0xffffffff : 0xffff;
    expect((t.reg(0) & mask) >>> 0).toBe(result);
    expect(t.flags & CF).toBe(cf);
    expect(t.flags & ZF).toBe(result === 0 ? ZF : 0);
  });

  it('takes the count from CL, masked to 5 bits, and does nothing for 0', () => {
    const t = new TestCpu();
    t.set([0x1234, 0x20, 0xffff], CF | 0x2);
    t.run('0f a5 d0'); // shld ax, dx, cl (count 32 -> 0)
    expect(t.reg(0)).toBe(0x1234);
    expect(t.flags & CF).toBe(CF);
  });
});
