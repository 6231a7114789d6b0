import { describe, expect, it } from 'vitest';
import { CF, OF } from '../flags';
import { imulHigh32, mulHigh32 } from './multiply';
import { TestCpu } from './testing';

const EDGE32 = [0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678];
const EDGE16 = [0, 1, 2, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff, 0x1234];
const EDGE8 = [0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x12];
const big = (v: number, bits: number) => BigInt.asIntN(bits, BigInt(v));

describe('64-bit product helpers', () => {
  it('mulHigh32 and imulHigh32 agree with BigInt on edge values', () => {
    for (const a of EDGE32) {
      for (const b of EDGE32) {
        expect(mulHigh32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
        const s = BigInt.asUintN(64, big(a, 32) * big(b, 32));
        expect(imulHigh32(a, b)).toBe(Number(s >> 32n));
      }
    }
  });
});

describe('MUL and IMUL (F6/F7 /4, /5): double-width products, CF = OF = high half significant', () => {
  const t = new TestCpu();
  for (const [size, edges, code] of [
    [8, EDGE8, 'f6 e3'],
    [16, EDGE16, 'f7 e3'],
    [32, EDGE32, '66 f7 e3'],
  ] as const) {
    it(`MUL ${size}-bit`, () => {
      for (const a of edges) {
        for (const b of edges) {
          t.reset().set([a, 0, 0, b]);
          t.run(code);
          const p = BigInt(a) * BigInt(b);
          const lo = Number(p & ((1n << BigInt(size)) - 1n));
          const hi = Number(p >> BigInt(size));
          if (size === 8) expect(t.reg(0) & 0xffff).toBe(Number(p));
          else {
            expect((t.reg(0) & (size === 16 ? 0xffff : 0xffffffff)) >>> 0).toBe(lo);
            expect((t.reg(2) & (size === 16 ? 0xffff : 0xffffffff)) >>> 0).toBe(hi);
          }
          expect(t.flags & (CF | OF)).toBe(hi !== 0 ? CF | OF : 0);
        }
      }
    });
    it(`IMUL ${size}-bit`, () => {
      const imul = code.replace('e3', 'eb');
      for (const a of edges) {
        for (const b of edges) {
          t.reset().set([a, 0, 0, b]);
          t.run(imul);
          const p = big(a, size) * big(b, size);
          const fits = BigInt.asIntN(size, p) === p;
          const wide = BigInt.asUintN(size * 2, p);
          const mask = size === 32 ? 0xffffffffn : (1n << BigInt(size)) - 1n;
          if (size === 8) expect(t.reg(0) & 0xffff).toBe(Number(wide));
          else {
            expect(BigInt(t.reg(0)) & mask).toBe(wide & mask);
            expect(BigInt(t.reg(2)) & mask).toBe(wide >> BigInt(size));
          }
          expect(t.flags & (CF | OF)).toBe(fits ? 0 : CF | OF);
        }
      }
    });
  }

  it('IMUL r, r/m and IMUL r, r/m, imm truncate and flag overflow', () => {
    t.reset().set([0, 0, 0, 0x7fff]);
    t.run('0f af c3'); // imul ax, bx with AX = 0
    expect(t.reg(0) & 0xffff).toBe(0);
    t.reset().set([0, 0, 0, 0x4000]);
    t.run('6b c3 04'); // imul ax, bx, 4
    expect(t.reg(0) & 0xffff).toBe(0);
    expect(t.flags & (CF | OF)).toBe(CF | OF);
    t.reset().set([0, 0, 0, 0xfffffffe]);
    t.run('66 69 c3 03 00 00 00'); // imul eax, ebx, 3
    expect(t.reg(0)).toBe(0xfffffffa);
    expect(t.flags & (CF | OF)).toBe(0);
  });
});

describe('DIV and IDIV (F6/F7 /6, /7)', () => {
  const t = new TestCpu();
  const cases: [string, string, number[], number[] | 'DE'][] = [
    // [label, code, [eax, ecx, edx, ebx], expected [eax, edx] or #DE]
    ['div bl', 'f6 f3', [0x0105, 0, 0, 2], [0x0182, 0]],
    ['div bl overflow', 'f6 f3', [0x0200, 0, 0, 2], 'DE'],
    ['div bx', 'f7 f3', [0xffff, 0, 0xfffe, 0xffff], [0xffff, 0xfffe]],
    ['div bx by 0', 'f7 f3', [1, 0, 0, 0], 'DE'],
    ['div ebx', '66 f7 f3', [0xffffffff, 0, 0xfffffffe, 0xffffffff], [0xffffffff, 0xfffffffe]],
    ['div ebx overflow', '66 f7 f3', [0, 0, 1, 1], 'DE'],
    ['idiv bl -128', 'f6 fb', [0xff80, 0, 0, 1], [0x0080, 0]],
    ['idiv bl +128', 'f6 fb', [0x0080, 0, 0, 1], 'DE'],
    ['idiv bl -7/2', 'f6 fb', [0xfff9, 0, 0, 2], [0xfffd, 0]],
    ['idiv bx -32768/-1', 'f7 fb', [0x8000, 0, 0xffff, 0xffff], 'DE'],
    ['idiv ebx -2^31', '66 f7 fb', [0x80000000, 0, 0xffffffff, 1], [0x80000000, 0]],
    ['idiv ebx -2^63/-1', '66 f7 fb', [0, 0, 0x80000000, 0xffffffff], 'DE'],
    ['idiv ebx -7/2', '66 f7 fb', [0xfffffff9, 0, 0xffffffff, 2], [0xfffffffd, 0xffffffff]],
    ['idiv ebx 7/-2', '66 f7 fb', [7, 0, 0, 0xfffffffe], [0xfffffffd, 1]],
  ];
  it.each(cases)('%s', (_label, code, regs, expected) => {
    t.reset().set(regs);
    const vector = t.run(code);
    if (expected === 'DE') {
      expect(vector).toBe(0);
      expect(t.reg(0)).toBe(regs[0]); // a fault changes nothing
      return;
    }
    expect(vector).toBe(-1);
    const [eax, edx] = expected;
    if (code.startsWith('f6')) expect(t.reg(0) & 0xffff).toBe(eax);
    else if (code.startsWith('f7')) {
      expect(t.reg(0) & 0xffff).toBe(eax);
      expect(t.reg(2) & 0xffff).toBe(edx);
    } else {
      expect(t.reg(0)).toBe(eax);
      expect(t.reg(2)).toBe(edx);
    }
  });

  it('64-by-32 division agrees with BigInt on random operands', () => {
    let seed = 1;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const d = (rnd() | 1) >>> 0;
      const hi = rnd() % d;
      const lo = rnd();
      t.reset().set([lo, 0, hi, d]);
      expect(t.run('66 f7 f3')).toBe(-1);
      const n = (BigInt(hi) << 32n) | BigInt(lo);
      expect(t.reg(0)).toBe(Number(n / BigInt(d)));
      expect(t.reg(2)).toBe(Number(n % BigInt(d)));
    }
  });
});
