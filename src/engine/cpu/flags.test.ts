import { describe, expect, it } from 'vitest';
import {
  AF,
  CF,
  condition,
  dec,
  getEflags,
  inc,
  add as lazyAdd,
  sub as lazySub,
  logic,
  OF,
  PF,
  SF,
  setEflags,
  ZF,
} from './flags';
import { createCpuState } from './state';

const STATUS = CF | PF | AF | ZF | SF | OF;

/** SDM-rule reference: flags from exact integer arithmetic, no bit tricks. */
function reference(size: number, a: number, b: number, carry: number, op: 'add' | 'sub') {
  const mod = 2 ** size;
  const half = mod / 2;
  const signed = (v: number) => (v >= half ? v - mod : v);
  const exact = op === 'add' ? a + b + carry : a - b - carry;
  const res = ((exact % mod) + mod) % mod;
  const signedExact = op === 'add' ? signed(a) + signed(b) + carry : signed(a) - signed(b) - carry;
  const low = op === 'add' ? (a & 15) + (b & 15) + carry : (a & 15) - (b & 15) - carry;
  let bits = 0;
  for (let v = res & 0xff; v; v >>= 1) bits += v & 1;
  let f = 0;
  if (exact < 0 || exact >= mod) f |= CF;
  if (signedExact < -half || signedExact >= half) f |= OF;
  if (low < 0 || low > 15) f |= AF;
  if (res === 0) f |= ZF;
  if (res >= half) f |= SF;
  if (bits % 2 === 0) f |= PF;
  return { res, flags: f };
}

function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
}

const EDGES16 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff];
const EDGES32 = [0, 1, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0xf, 0x10];

describe('lazy flags against the SDM rules', () => {
  it('ADD/ADC/SUB/SBB: every 8-bit operand pair, with and without carry', () => {
    const s = createCpuState();
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        for (const c of [0, 1]) {
          for (const op of ['add', 'sub'] as const) {
            const ref = reference(8, a, b, c, op);
            const res = op === 'add' ? lazyAdd(s, 8, a, b, c) : lazySub(s, 8, a, b, c);
            if (res !== ref.res || (getEflags(s) & STATUS) !== ref.flags) {
              expect({ op, a, b, c, res, flags: getEflags(s) & STATUS }).toEqual({
                op,
                a,
                b,
                c,
                ...ref,
              });
            }
          }
        }
      }
    }
  });

  it.each([16, 32])('ADD/ADC/SUB/SBB at %i bits: edge values and random pairs', (size) => {
    const s = createCpuState();
    const rnd = lcg(size);
    const mask = size === 16 ? 0xffff : 0xffffffff;
    const values = [...(size === 16 ? EDGES16 : EDGES32)];
    for (let i = 0; i < 60; i++) values.push((rnd() & mask) >>> 0);
    for (const a of values) {
      for (const b of values) {
        for (const c of [0, 1]) {
          for (const op of ['add', 'sub'] as const) {
            const ref = reference(size, a, b, c, op);
            const res = op === 'add' ? lazyAdd(s, size, a, b, c) : lazySub(s, size, a, b, c);
            const flags = getEflags(s) & STATUS;
            if (res !== ref.res || flags !== ref.flags)
              expect({ op, a, b, c, res, flags }).toEqual({ op, a, b, c, ...ref });
          }
        }
      }
    }
  });

  it('INC and DEC set OF/SF/ZF/AF/PF like ADD/SUB 1 and keep CF', () => {
    const s = createCpuState();
    for (const size of [8, 16]) {
      for (let a = 0; a < 2 ** size; a += size === 8 ? 1 : 7) {
        for (const cf of [0, CF]) {
          setEflags(s, cf, CF);
          const up = reference(size, a, 1, 0, 'add');
          const r1 = inc(s, size, a);
          if (r1 !== up.res || (getEflags(s) & STATUS) !== ((up.flags & ~CF) | cf)) {
            expect([a, r1, getEflags(s) & STATUS]).toEqual([a, up.res, (up.flags & ~CF) | cf]);
          }
          setEflags(s, cf, CF);
          const down = reference(size, a, 1, 0, 'sub');
          const r2 = dec(s, size, a);
          if (r2 !== down.res || (getEflags(s) & STATUS) !== ((down.flags & ~CF) | cf)) {
            expect([a, r2, getEflags(s) & STATUS]).toEqual([a, down.res, (down.flags & ~CF) | cf]);
          }
        }
      }
    }
  });

  it('NEG (0 - x): CF unless zero, OF only for the most negative value', () => {
    const s = createCpuState();
    expect(lazySub(s, 8, 0, 0, 0)).toBe(0);
    expect(getEflags(s) & (CF | OF | ZF)).toBe(ZF);
    expect(lazySub(s, 8, 0, 0x80, 0)).toBe(0x80);
    expect(getEflags(s) & (CF | OF | SF)).toBe(CF | OF | SF);
    expect(lazySub(s, 16, 0, 1, 0)).toBe(0xffff);
    expect(getEflags(s) & (CF | OF | SF | AF)).toBe(CF | SF | AF);
  });

  it('logic results clear CF and OF and set SF/ZF/PF from the result', () => {
    const s = createCpuState();
    setEflags(s, CF | OF, CF | OF);
    logic(s, 8, 0x00);
    expect(getEflags(s) & STATUS).toBe(ZF | PF);
    logic(s, 16, 0x8001);
    expect(getEflags(s) & STATUS).toBe(SF);
    logic(s, 32, 0x80000003);
    expect(getEflags(s) & STATUS).toBe(SF | PF);
  });

  it('evaluates all sixteen condition codes', () => {
    const s = createCpuState();
    const expectTrue = (flags: number, truths: number[]) => {
      setEflags(s, flags, STATUS);
      for (let cc = 0; cc < 16; cc++)
        expect([cc, condition(s, cc)]).toEqual([cc, truths.includes(cc)]);
    };
    // flags clear: no, nb, nz, nbe, ns, np, nl, nle hold
    expectTrue(0, [1, 3, 5, 7, 9, 11, 13, 15]);
    expectTrue(CF, [1, 2, 5, 6, 9, 11, 13, 15]);
    expectTrue(ZF | PF, [1, 3, 4, 6, 9, 10, 13, 14]);
    expectTrue(SF, [1, 3, 5, 7, 8, 11, 12, 14]);
    expectTrue(SF | OF, [0, 3, 5, 7, 8, 11, 13, 15]);
  });
});
