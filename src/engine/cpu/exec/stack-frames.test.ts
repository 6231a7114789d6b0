import { describe, expect, it } from 'vitest';
import { STACK, TestCpu } from './testing';

describe('PUSHA and POPA', () => {
  const t = new TestCpu();
  it('PUSHA pushes AX, CX, DX, BX, the original SP, BP, SI, DI; POPA skips SP', () => {
    t.set([1, 2, 3, 4, STACK, 6, 7, 8]);
    t.run('60');
    expect(t.reg(4)).toBe(STACK - 16);
    const words = Array.from({ length: 8 }, (_, i) => t.mem.read16(STACK - 2 - 2 * i));
    expect(words).toEqual([1, 2, 3, 4, STACK, 6, 7, 8]);
    t.s.regs.fill(0);
    t.s.regs[4] = STACK - 16;
    t.run('61');
    expect(Array.from(t.s.regs)).toEqual([1, 2, 3, 4, STACK, 6, 7, 8]);
  });

  it('PUSHAD and POPAD move dwords; a 16-bit POPA keeps the upper halves', () => {
    t.reset().set([0x11111111, 0x22222222, 0x33333333, 0x44444444, STACK, 0x66, 0x77, 0x88]);
    t.run('66 60');
    expect(t.reg(4)).toBe(STACK - 32);
    expect(t.mem.read32(STACK - 4)).toBe(0x11111111);
    t.reset().set([0xabcd0000]);
    t.mem.write16(STACK + 14, 0x1234);
    t.run('61');
    expect(t.reg(0)).toBe(0xabcd1234);
  });
});

describe('ENTER and LEAVE', () => {
  const t = new TestCpu();
  it('ENTER n, 0 pushes BP, sets BP = SP and allocates n bytes; LEAVE undoes it', () => {
    t.set([0, 0, 0, 0, STACK, 0x1234]);
    t.run('c8 10 00 00');
    expect(t.reg(5)).toBe(STACK - 2);
    expect(t.reg(4)).toBe(STACK - 2 - 0x10);
    expect(t.mem.read16(STACK - 2)).toBe(0x1234);
    t.run('c9');
    expect([t.reg(4), t.reg(5)]).toEqual([STACK, 0x1234]);
  });

  it('ENTER with nesting level 3 copies two enclosing frame pointers, then the new one', () => {
    t.reset().set([0, 0, 0, 0, STACK, 0x6000]);
    t.mem.write16(0x6000 - 2, 0xaaaa);
    t.mem.write16(0x6000 - 4, 0xbbbb);
    t.run('c8 04 00 03');
    const frame = STACK - 2;
    expect(t.reg(5)).toBe(frame);
    expect([
      t.mem.read16(STACK - 2),
      t.mem.read16(STACK - 4),
      t.mem.read16(STACK - 6),
      t.mem.read16(STACK - 8),
    ]).toEqual([0x6000, 0xaaaa, 0xbbbb, frame]);
    expect(t.reg(4)).toBe(STACK - 8 - 4);
  });

  it('ENTER takes the level modulo 32 and uses dwords with a 32-bit operand size', () => {
    t.reset().set([0, 0, 0, 0, STACK, 0x6000]);
    t.run('66 c8 00 00 21'); // level 33 -> 1
    expect(t.reg(4)).toBe(STACK - 8);
    expect(t.mem.read32(STACK - 8)).toBe(STACK - 4);
    expect(t.reg(5)).toBe(STACK - 4);
  });

  it('a faulting ENTER leaves SP and BP unchanged', () => {
    t.reset().set([0, 0, 0, 0, STACK, 1]); // the copy reads the word at BP - 2 = FFFF: #SS
    expect(t.run('c8 00 00 02')).toBe(12);
    expect(t.reg(5)).toBe(1);
    expect(t.reg(4)).toBe(STACK - 6); // only the exception's own frame
  });
});
