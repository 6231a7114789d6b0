import { describe, expect, it } from 'vitest';
import { CF, ZF } from '../flags';
import { TestCpu } from './testing';

describe('XADD', () => {
  const t = new TestCpu();
  it('exchanges and adds, with ADD flags; the destination wins for the same register', () => {
    t.set([0xffff, 0, 0, 1]);
    t.run('0f c1 d8'); // xadd ax, bx
    expect([t.reg(0) & 0xffff, t.reg(3) & 0xffff]).toEqual([0, 0xffff]);
    expect(t.flags & (CF | ZF)).toBe(CF | ZF);
    t.reset().set([5]);
    t.run('66 0f c1 c0'); // xadd eax, eax
    expect(t.reg(0)).toBe(10);
    t.reset().set([0, 0, 0, 7]);
    t.mem.write8(0x500, 0xfe);
    t.run('0f c0 1e 00 05'); // xadd [0x500], bl
    expect(t.mem.read8(0x500)).toBe(0x05);
    expect(t.reg(3) & 0xff).toBe(0xfe);
  });
});

describe('CMPXCHG and CMPXCHG8B', () => {
  const t = new TestCpu();
  it('stores the source when the accumulator matches, else loads the accumulator', () => {
    t.set([0x1234, 0, 0, 0x5678]);
    t.mem.write16(0x500, 0x1234);
    t.run('0f b1 1e 00 05'); // cmpxchg [0x500], bx
    expect(t.mem.read16(0x500)).toBe(0x5678);
    expect(t.flags & ZF).toBe(ZF);
    t.reset().set([0x1111, 0, 0, 0x5678]);
    t.mem.write16(0x500, 0x2222);
    t.run('0f b1 1e 00 05');
    expect(t.mem.read16(0x500)).toBe(0x2222);
    expect(t.reg(0) & 0xffff).toBe(0x2222);
    expect(t.flags & (ZF | CF)).toBe(CF); // CMP 0x1111 - 0x2222 borrows
  });

  it('CMPXCHG8B compares EDX:EAX with m64 and changes only ZF', () => {
    t.reset().set([1, 0xcccc, 2, 0xbbbb], CF | 0x2);
    t.mem.write32(0x500, 1);
    t.mem.write32(0x504, 2);
    t.run('0f c7 0e 00 05');
    expect([t.mem.read32(0x500), t.mem.read32(0x504)]).toEqual([0xbbbb, 0xcccc]);
    expect(t.flags & (ZF | CF)).toBe(ZF | CF);
    t.reset().set([1, 0, 2, 0]);
    t.run('0f c7 0e 00 05');
    expect([t.reg(0), t.reg(2)]).toEqual([0xbbbb, 0xcccc]);
    expect(t.flags & ZF).toBe(0);
  });

  it('CMPXCHG8B with a register operand is #UD', () => {
    expect(t.reset().run('0f c7 c8')).toBe(6);
  });
});

describe('LOCK', () => {
  const t = new TestCpu();
  it('is accepted on memory-destination forms of the lockable instructions', () => {
    for (const code of [
      'f0 01 1e 00 05',
      'f0 87 1e 00 05',
      'f0 0f ab 1e 00 05',
      'f0 f7 16 00 05',
    ]) {
      expect(t.reset().run(code), code).toBe(-1);
    }
  });
  it('raises #UD on register destinations and on other instructions', () => {
    for (const code of [
      'f0 01 d8',
      'f0 03 1e 00 05',
      'f0 89 1e 00 05',
      'f0 0f a3 1e 00 05',
      'f0 39 1e 00 05',
      'f0 90',
    ]) {
      expect(t.reset().run(code), code).toBe(6);
    }
  });
});
