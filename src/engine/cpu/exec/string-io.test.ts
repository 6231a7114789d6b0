import { describe, expect, it } from 'vitest';
import { DF } from '../flags';
import { TestCpu } from './testing';

/** A port at 0x300 that returns 0x40, 0x41, ... and records what it is sent. */
function withPort(t: TestCpu) {
  const written: number[] = [];
  let next = 0x40;
  t.io.register({
    base: 0x300,
    length: 4,
    read: (_offset, size) => {
      const v = size === 1 ? next : size === 2 ? next | (next << 8) : next * 0x01010101;
      next++;
      return v >>> 0;
    },
    write: (_offset, _size, value) => {
      written.push(value);
    },
  });
  return written;
}

describe('INS and OUTS', () => {
  it('REP INSB stores bytes read from DX at ES:DI', () => {
    const t = new TestCpu();
    withPort(t);
    t.set([0, 3, 0x300, 0, 0x7000, 0, 0, 0x600]);
    t.run('f3 6c');
    expect([t.mem.read8(0x600), t.mem.read8(0x601), t.mem.read8(0x602)]).toEqual([
      0x40, 0x41, 0x42,
    ]);
    expect([t.reg(1), t.reg(7)]).toEqual([0, 0x603]);
  });

  it('OUTSW sends words from DS:SI (overridable) and steps SI backwards with DF', () => {
    const t = new TestCpu();
    const written = withPort(t);
    t.set([0, 2, 0x300, 0, 0x7000, 0, 0x602, 0], DF | 0x2);
    t.mem.write16(0x602, 0x1111);
    t.mem.write16(0x600, 0x2222);
    t.run('f3 6f');
    expect(written).toEqual([0x1111, 0x2222]);
    expect(t.reg(6)).toBe(0x5fe);
  });

  it('INSD with a 32-bit operand size', () => {
    const t = new TestCpu();
    withPort(t);
    t.set([0, 0, 0x300, 0, 0x7000, 0, 0, 0x600]);
    t.run('66 6d');
    expect(t.mem.read32(0x600)).toBe(0x40404040);
    expect(t.reg(7)).toBe(0x604);
  });
});
