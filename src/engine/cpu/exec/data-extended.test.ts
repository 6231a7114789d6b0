import { describe, expect, it } from 'vitest';
import { AF, CF, PF, SF, ZF } from '../flags';
import { DS, FS, GS, SS } from '../state';
import { TestCpu } from './testing';

describe('MOVZX, MOVSX, CBW/CWDE, CWD/CDQ, BSWAP', () => {
  const t = new TestCpu();
  const cases: [string, number[], number, number][] = [
    // [code, regs, register checked, value]
    ['0f b6 c3', [0xffffffff, 0, 0, 0x80], 0, 0xffff0080], // movzx ax, bl
    ['66 0f b7 c3', [0, 0, 0, 0x12348765], 0, 0x8765], // movzx eax, bx
    ['0f be c3', [0xffff0000, 0, 0, 0x80], 0, 0xffffff80], // movsx ax, bl
    ['66 0f bf c3', [0, 0, 0, 0x8000], 0, 0xffff8000], // movsx eax, bx
    ['98', [0xaaaa0080], 0, 0xaaaaff80], // cbw
    ['66 98', [0x00008000], 0, 0xffff8000], // cwde
    ['99', [0x8000, 0, 0x12340000], 2, 0x1234ffff], // cwd
    ['66 99', [0x7fffffff, 0, 0xffffffff], 2, 0], // cdq
    ['66 0f c8', [0x12345678], 0, 0x78563412], // bswap eax
    ['0f cb', [0, 0, 0, 0x12345678], 3, 0x12340000], // 16-bit bswap (undefined) clears the word
  ];
  it.each(cases)('%s', (code, regs, r, value) => {
    t.reset().set(regs);
    expect(t.run(code)).toBe(-1);
    expect(t.reg(r)).toBe(value);
  });
});

describe('LAHF, SAHF, SALC, XLAT', () => {
  const t = new TestCpu();
  it('LAHF and SAHF move SF ZF AF PF CF through AH', () => {
    t.set([0], SF | ZF | AF | PF | CF | 0x800 | 0x2);
    t.run('9f');
    expect((t.reg(0) >> 8) & 0xff).toBe(0xd7);
    t.reset().set([0x4100]);
    t.run('9e');
    expect(t.flags & (SF | ZF | AF | PF | CF)).toBe(ZF | CF);
  });
  it('SALC sets AL from CF', () => {
    t.reset().set([0x1234], CF | 0x2);
    t.run('d6');
    expect(t.reg(0)).toBe(0x12ff);
  });
  it('XLAT reads [seg:BX + AL], DS unless overridden', () => {
    t.reset().set([0x05, 0, 0, 0x600]);
    t.mem.write8(0x605, 0x42);
    t.run('d7');
    expect(t.reg(0) & 0xff).toBe(0x42);
    t.reset().set([0x05, 0, 0, 0x600]);
    t.s.segBase[FS] = 0x100;
    t.mem.write8(0x705, 0x99);
    t.run('64 d7');
    expect(t.reg(0) & 0xff).toBe(0x99);
  });
});

describe('SETcc and CMOVcc', () => {
  const t = new TestCpu();
  it('SETcc writes 1 or 0 for each of the 16 conditions', () => {
    const flags = CF | ZF | 0x2; // b, be, z true; a, nz false; l = SF != OF false
    const expected = [0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0];
    for (let cc = 0; cc < 16; cc++) {
      t.reset().set([0xff], flags);
      t.run([0x0f, 0x90 + cc, 0xc0]);
      expect(t.reg(0) & 0xff, `cc ${cc}`).toBe(expected[cc]);
    }
  });
  it('CMOVcc moves only when the condition holds but always reads its source', () => {
    t.reset().set([1, 0, 0, 2], ZF | 0x2);
    t.run('66 0f 44 c3'); // cmovz eax, ebx
    expect(t.reg(0)).toBe(2);
    t.reset().set([1, 0, 0, 2], 0x2);
    t.run('66 0f 44 c3');
    expect(t.reg(0)).toBe(1);
    t.reset().set([0, 0, 0, 0xffff]);
    expect(t.run('0f 45 07')).toBe(13); // cmovnz ax, [bx]: the word at FFFF crosses the limit
  });
});

describe('LDS, LES, LSS, LFS, LGS', () => {
  const t = new TestCpu();
  it('load offset then selector; the segment base follows in real mode', () => {
    for (const [code, seg] of [
      ['c5 1e 00 05', DS],
      ['0f b2 1e 00 05', SS],
      ['0f b4 1e 00 05', FS],
      ['0f b5 1e 00 05', GS],
    ] as const) {
      t.reset();
      t.mem.write16(0x500, 0xbeef);
      t.mem.write16(0x502, 0x1234);
      t.run(code);
      expect(t.reg(3) & 0xffff).toBe(0xbeef);
      expect([t.s.seg[seg], t.s.segBase[seg]]).toEqual([0x1234, 0x12340]);
    }
    t.reset();
    t.mem.write32(0x500, 0xcafebabe);
    t.mem.write16(0x504, 0x2000);
    t.run('66 0f b4 1e 00 05');
    expect([t.reg(3), t.s.seg[FS]]).toEqual([0xcafebabe, 0x2000]);
  });
  it('LSS does not open an interrupt shadow (only MOV SS and POP SS do)', () => {
    t.reset();
    t.run('0f b2 1e 00 05');
    expect(t.s.interruptShadow).toBe(false);
  });
});
