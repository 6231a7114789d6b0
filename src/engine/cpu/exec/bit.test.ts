import { describe, expect, it } from 'vitest';
import { CF, PF, SF, ZF } from '../flags';
import { TestCpu } from './testing';

describe('BT, BTS, BTR, BTC', () => {
  const t = new TestCpu();
  // [code, operand, bit, expected operand after, CF]
  const regCases: [string, number, number, number, number][] = [
    ['0f a3 c8', 0x8000, 15, 0x8000, 1], // bt ax, cx
    ['0f ab c8', 0x0000, 17, 0x0002, 0], // bts ax, cx: 16-bit offsets are taken modulo 16
    ['0f b3 c8', 0xffff, 0, 0xfffe, 1], // btr ax, cx
    ['0f bb c8', 0x0001, 0, 0x0000, 1], // btc ax, cx
    ['66 0f ab c8', 0, 63, 0x80000000, 0], // bts eax, ecx: modulo 32
    ['66 0f bb c8', 0x80000000, 31, 0, 1],
  ];
  it.each(regCases)('%s on %i bit %i', (code, value, bit, after, cf) => {
    t.reset().set([value, bit], ZF | 0x2);
    t.run(code);
    expect(t.reg(0) >>> 0).toBe(after);
    expect(t.flags & (CF | ZF)).toBe((cf ? CF : 0) | ZF); // ZF is unaffected
  });

  it('imm8 forms take the offset modulo the operand size', () => {
    t.reset().set([0x10]);
    t.run('0f ba e0 24'); // bt ax, 0x24 -> bit 4
    expect(t.flags & CF).toBe(CF);
    t.reset().set([0]);
    t.run('66 0f ba e8 3f'); // bts eax, 63 -> bit 31
    expect(t.reg(0)).toBe(0x80000000);
  });

  it('memory forms with a register offset address a bit string, negative offsets included', () => {
    t.reset().set([0, 35, 0, 0x600]);
    t.run('0f ab 0f'); // bts [bx], cx: bit 35 = bit 3 of the word at 0x604
    expect(t.mem.read16(0x604)).toBe(0x8);
    expect(t.mem.read16(0x600)).toBe(0);
    t.reset().set([0, 0xffff, 0, 0x600]); // bit -1: bit 15 of the word at 0x5FE
    t.mem.write16(0x5fe, 0x8000);
    t.run('0f a3 0f');
    expect(t.flags & CF).toBe(CF);
    t.reset().set([0, 0xffffffdf, 0, 0x600]); // bit -33 of a dword string: bit 31 at 0x5F8
    t.run('66 0f ab 0f');
    expect(t.mem.read32(0x5f8)).toBe(0x80000000);
  });
});

describe('BSF and BSR', () => {
  const t = new TestCpu();
  it('find the lowest and highest set bit; ZF = 0', () => {
    for (const [code, src, index] of [
      ['0f bc c3', 0x0100, 8],
      ['0f bd c3', 0x0101, 8],
      ['66 0f bc c3', 0x80000000, 31],
      ['66 0f bd c3', 0xffffffff, 31],
      ['66 0f bc c3', 0xffffffff, 0],
    ] as const) {
      t.reset().set([0xdead, 0, 0, src], ZF | 0x2);
      t.run(code);
      expect(t.reg(0) & 0xff).toBe(index);
      expect(t.flags & ZF).toBe(0);
    }
  });

  it('a zero source sets ZF and leaves the destination alone', () => {
    t.reset().set([0x12345678, 0, 0, 0]);
    t.run('66 0f bc c3');
    expect(t.reg(0)).toBe(0x12345678);
    expect(t.flags & ZF).toBe(ZF);
  });

  it('follows Bochs for the undefined flags: SF and PF from the index, CF = 0', () => {
    t.reset().set([0, 0, 0, 0x8], CF | 0x2);
    t.run('0f bc c3'); // index 3: two ones, even parity
    expect(t.flags & (CF | SF | PF)).toBe(PF);
  });
});
