import { describe, expect, it } from 'vitest';
import { AF, CF, PF, SF, ZF } from '../flags';
import { TestCpu } from './testing';

function parityFlag(v: number): number {
  let b = 0;
  for (let i = 0; i < 8; i++) b += (v >> i) & 1;
  return b % 2 === 0 ? PF : 0;
}

/** SDM 2A "DAA"/"DAS" pseudo-code. */
function decimalAdjust(sub: boolean, al: number, cf: number, af: number) {
  const oldAl = al;
  const oldCf = cf;
  let newCf = 0;
  let newAf = 0;
  if ((al & 0x0f) > 9 || af) {
    const carry = sub ? al < 6 : al + 6 > 0xff;
    al = (al + (sub ? -6 : 6)) & 0xff;
    newCf = oldCf | (carry ? 1 : 0);
    newAf = 1;
  }
  if (oldAl > 0x99 || oldCf) {
    al = (al + (sub ? -0x60 : 0x60)) & 0xff;
    newCf = 1;
  } else if (!sub) newCf = 0;
  const flags =
    (newCf ? CF : 0) |
    (newAf ? AF : 0) |
    (al === 0 ? ZF : 0) |
    (al & 0x80 ? SF : 0) |
    parityFlag(al);
  return { al, flags };
}

describe('DAA and DAS: every AL with every CF and AF (OF undefined)', () => {
  const t = new TestCpu();
  for (const [name, code, sub] of [
    ['DAA', '27', false],
    ['DAS', '2f', true],
  ] as const) {
    it(name, () => {
      for (let al = 0; al < 256; al++) {
        for (const cf of [0, 1]) {
          for (const af of [0, 1]) {
            t.reset().set([0x1200 | al], (cf ? CF : 0) | (af ? AF : 0) | 0x2);
            t.run(code);
            const ref = decimalAdjust(sub, al, cf, af);
            expect(t.reg(0) & 0xffff, `${name} ${al} ${cf} ${af}`).toBe(0x1200 | ref.al);
            expect(t.flags & (CF | AF | ZF | SF | PF), `${name} ${al} ${cf} ${af}`).toBe(ref.flags);
          }
        }
      }
    });
  }
});

describe('AAA, AAS (AF and CF defined), AAM and AAD (SF, ZF, PF defined)', () => {
  const t = new TestCpu();
  it('AAA adds 0x106 to AX when the low nibble of AL is past 9 or AF is set', () => {
    t.set([0x0109]);
    t.run('37');
    expect(t.reg(0) & 0xffff).toBe(0x0109);
    expect(t.flags & (AF | CF)).toBe(0);
    t.reset().set([0x010a]);
    t.run('37');
    expect(t.reg(0) & 0xffff).toBe(0x0200);
    expect(t.flags & (AF | CF)).toBe(AF | CF);
    t.reset().set([0x00fb]);
    t.run('37'); // 0xFB + 0x106 = 0x201: the carry out of AL reaches AH
    expect(t.reg(0) & 0xffff).toBe(0x0201);
  });

  it('AAS subtracts 0x106 from AX under the same condition', () => {
    t.reset().set([0x020b]);
    t.run('3f');
    expect(t.reg(0) & 0xffff).toBe(0x0105);
    expect(t.flags & (AF | CF)).toBe(AF | CF);
    t.reset().set([0x0205], AF | 0x2);
    t.run('3f'); // 0x205 - 6 = 0x1FF, then AH - 1: the borrow reaches AH as well
    expect(t.reg(0) & 0xffff).toBe(0x000f);
  });

  it('AAM divides AL by its immediate and raises #DE for 0; AAD multiplies AH back', () => {
    t.reset().set([0x003f]);
    t.run('d4 0a');
    expect(t.reg(0) & 0xffff).toBe(0x0603);
    t.reset().set([0x00ff]);
    t.run('d4 10');
    expect(t.reg(0) & 0xffff).toBe(0x0f0f);
    t.reset().set([0x1234]);
    expect(t.run('d4 00')).toBe(0);
    expect(t.reg(0)).toBe(0x1234);
    t.reset().set([0x0603]);
    t.run('d5 0a');
    expect(t.reg(0) & 0xffff).toBe(0x003f);
    expect(t.flags & (ZF | SF | PF)).toBe(PF);
    t.reset().set([0x0f0f]);
    t.run('d5 10'); // base 16: 0xFF
    expect(t.reg(0) & 0xffff).toBe(0x00ff);
    expect(t.flags & (ZF | SF | PF)).toBe(SF | PF);
  });
});
