import { describe, expect, it } from 'vitest';
import { UnimplementedError } from '../../bus/errors';
import { CPUID_FEATURES, CPUID_SIGNATURE, CPUID_VENDOR } from './processor';
import { TestCpu } from './testing';

const text = (...regs: number[]) =>
  regs
    .map((r) => String.fromCharCode(r & 0xff, (r >>> 8) & 0xff, (r >>> 16) & 0xff, r >>> 24))
    .join('');

describe('CPUID', () => {
  const t = new TestCpu();
  it('leaf 0: highest leaf 1 and the vendor in EBX, EDX, ECX', () => {
    t.run('0f a2');
    expect(t.reg(0)).toBe(1);
    expect(text(t.reg(3), t.reg(2), t.reg(1))).toBe(CPUID_VENDOR);
  });
  it('leaf 1: a 486 signature and exactly the implemented features', () => {
    t.reset().set([1]);
    t.run('0f a2');
    expect(t.reg(0)).toBe(CPUID_SIGNATURE);
    expect((t.reg(0) >> 8) & 0xf).toBe(4);
    expect(t.reg(2)).toBe(CPUID_FEATURES);
    const bit = (n: number) => (t.reg(2) >>> n) & 1;
    expect([bit(0), bit(3), bit(4), bit(5), bit(6), bit(8), bit(13), bit(15)]).toEqual([
      0, 1, 1, 0, 0, 1, 1, 1,
    ]);
  });
  it('a leaf above the highest returns the highest leaf', () => {
    t.reset().set([0x80000000]);
    t.run('0f a2');
    expect(t.reg(0)).toBe(CPUID_SIGNATURE);
  });
});

describe('RDTSC', () => {
  it('reads the retired-instruction count, so time stamps are deterministic', () => {
    const t = new TestCpu();
    t.s.icount = 0x1_2345_6789;
    t.run('0f 31');
    expect([t.reg(2), t.reg(0)]).toEqual([1, 0x23456789]);
    t.reset();
    t.run('90 90 90 0f 31', 4);
    expect([t.reg(2), t.reg(0)]).toEqual([0, 3]);
  });
});

describe('UD2, BOUND', () => {
  const t = new TestCpu();
  it('UD2 raises #UD', () => {
    expect(t.run('0f 0b')).toBe(6);
  });
  it('BOUND raises #BR outside [lower, upper], signed', () => {
    t.mem.write16(0x500, 0xfff0); // -16
    t.mem.write16(0x502, 0x0010); // 16
    for (const [v, vector] of [
      [0xfff0, -1],
      [0x0010, -1],
      [0xffef, 5],
      [0x0011, 5],
    ] as const) {
      t.reset().set([v]);
      expect(t.run('62 06 00 05')).toBe(vector);
    }
    t.mem.write32(0x500, 0x80000000);
    t.mem.write32(0x504, 0x7fffffff);
    t.reset().set([0xffffffff]);
    expect(t.run('66 62 06 00 05')).toBe(-1);
    expect(t.reset().run('62 c0')).toBe(6); // register operand
  });
});

describe('x87 escapes and WAIT', () => {
  const t = new TestCpu();
  it('raise #NM when CR0.EM or CR0.TS is set', () => {
    t.s.cr0 |= 0x4;
    expect(t.run('d9 e8')).toBe(7);
    t.reset().s.cr0 |= 0x8;
    expect(t.run('dd 06 00 05')).toBe(7);
  });
  it('report the missing x87 as an engine error when CR0.EM is clear', () => {
    t.reset();
    expect(() => t.run('d9 e8')).toThrow(UnimplementedError);
    expect(() => t.run('d9 e8')).toThrow(/x87 FPU is not implemented/);
  });
  it('WAIT raises #NM only when both TS and MP are set, else does nothing', () => {
    t.reset().s.cr0 |= 0x8;
    expect(t.run('9b')).toBe(-1);
    t.s.cr0 |= 0x2;
    expect(t.run('9b')).toBe(7);
  });
});
