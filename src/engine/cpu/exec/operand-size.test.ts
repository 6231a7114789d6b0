import { describe, expect, it } from 'vitest';
import { CS, SS } from '../state';
import { STACK, TestCpu } from './testing';

/** A CPU whose code segment has D = 1 and stack segment B = 1 (32-bit defaults; 0x66/0x67 give 16). */
function cpu32(): TestCpu {
  const t = new TestCpu();
  t.s.segAttr[CS] = t.s.segAttr[CS]! | 0x4000;
  t.s.segAttr[SS] = t.s.segAttr[SS]! | 0x4000;
  t.s.segLimit.fill(0xffffffff); // 4 GiB limits, as after a flat protected-mode setup
  return t;
}

describe('32-bit code and stack segments', () => {
  it('default to 32-bit operands; 0x66 selects 16 bits', () => {
    const t = cpu32().set([0x12345678, 0, 0, 0x10]);
    t.run('0f af c3'); // imul eax, ebx
    expect(t.reg(0)).toBe(0x23456780);
    t.set([0xffff0001, 0, 0, 0xffff0002]);
    t.run('66 0f af c3'); // imul ax, bx
    expect(t.reg(0)).toBe(0xffff0002);
  });

  it('default to 32-bit addresses (ModRM with SIB); 0x67 selects 16-bit forms', () => {
    const t = cpu32().set([0, 0, 0, 0x500, 0x7000, 0, 2]);
    t.mem.write32(0x508, 0xcafef00d);
    t.run('0f b7 04 73'); // movzx eax, word [ebx+esi*2] -> 0x504
    t.mem.write16(0x504, 0xbeef);
    t.run('0f b7 04 73');
    expect(t.reg(0)).toBe(0xbeef);
    t.run('67 0f bf 00'); // movsx eax, word [bx+si] (16-bit form) -> 0x502
    expect(t.reg(0)).toBe(0);
  });

  it('PUSHA, ENTER and LEAVE use ESP and EBP on a 32-bit stack', () => {
    const t = cpu32().set([1, 2, 3, 4, 0x10000 + STACK, 0x10000 + 0x6000, 7, 8]);
    t.run('60'); // pushad
    expect(t.reg(4)).toBe(0x10000 + STACK - 32);
    expect(t.mem.read32(0x10000 + STACK - 4)).toBe(1);
    t.run('c8 08 00 01'); // enter 8, 1
    const frame = 0x10000 + STACK - 36;
    expect(t.reg(5)).toBe(frame);
    expect(t.mem.read32(frame - 4)).toBe(frame);
    expect(t.reg(4)).toBe(frame - 4 - 8);
    t.run('c9'); // leave
    expect([t.reg(4), t.reg(5)]).toEqual([0x10000 + STACK - 32, 0x10000 + 0x6000]);
  });

  it('string instructions step ESI/EDI and count with ECX', () => {
    const t = cpu32().set([0, 3, 0, 0, STACK, 0, 0x10500, 0x10600]);
    t.mem.write32(0x10500, 0x11223344);
    t.run('f3 a4'); // rep movsb
    expect(t.mem.read32(0x10600) & 0xffffff).toBe(0x223344);
    expect([t.reg(1), t.reg(6), t.reg(7)]).toEqual([0, 0x10503, 0x10603]);
  });
});
