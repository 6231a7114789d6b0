import { describe, expect, it } from 'vitest';
import { AsmError, type EvalContext, ExprParser, evaluate } from './expression';
import { tokenize } from './lexer';
import { isRegister } from './registers';

const ctx: EvalContext = {
  here: 0x7c10n,
  start: 0x7c00n,
  lookup: (name) => ({ five: 5n, big: 0x8000n })[name],
};

function value(text: string) {
  const p = new ExprParser(tokenize(text, []), 0, isRegister, (n) => n);
  return evaluate(p.parse(), ctx);
}

describe('expressions', () => {
  it.each([
    ['1+2*3', 7n],
    ['(1+2)*3', 9n],
    ['2*3+4*5', 26n],
    ['1<<4|1', 17n],
    ['0xF0&0x3C^0x01', 0x31n],
    ['7-3-2', 2n],
    ['~0', -1n],
    ['-(-3)', 3n],
    ['+4', 4n],
    ['!0', 1n],
    ['!5', 0n],
    ['17/5', 3n],
    ['17 % 5', 2n],
    ['-7//2', -3n],
    ['-7 %% 2', -1n],
    ['-1 >> 60', 15n],
    ['-16 >>> 2', -4n],
    ['1 << 70', 0n],
    ["'ab'", 0x6261n],
    ["'a'+1", 0x62n],
    ['$', 0x7c10n],
    ['$$', 0x7c00n],
    ['$-$$', 0x10n],
    ['five*2', 10n],
    ['big>>15', 1n],
    ['1 == 1', 1n],
    ['2 <> 2', 0n],
    ['-1 < 0', 1n],
    ['3 >= 4', 0n],
    ['1 && 0 || 1', 1n],
    ['1 ^^ 1', 0n],
    ['0 ? 5 : 6', 6n],
    ['1 + 1 == 2 ? 10 : 20', 10n],
    ['1 | 2 == 2', 0n],
  ])('%s = %i', (text, expected) => {
    const v = value(text);
    expect(v.k).toBe(expected);
    expect(v.unknown).toBe(false);
  });

  it('uses unsigned 64-bit division for / like NASM', () => {
    expect(value('-7/2').k).toBe(0x7ffffffffffffffcn);
  });

  it('marks undefined symbols as unknown and remembers the first', () => {
    const v = value('five + nope + other');
    expect(v.unknown).toBe(true);
    expect(v.undefinedSym && v.undefinedSym.t === 'sym' && v.undefinedSym.name).toBe('nope');
  });

  it('keeps registers as linear terms for effective addresses', () => {
    const v = value('bx+si*1+2*4-1');
    expect(v.k).toBe(7n);
    expect(v.regs.map((r) => [r.name, r.coef, r.mul])).toEqual([
      ['bx', 1n, false],
      ['si', 1n, true],
    ]);
    expect(value('2*bx-bx').regs.map((r) => [r.name, r.coef])).toEqual([['bx', 1n]]);
  });

  it('reports division by zero, bad register arithmetic and syntax errors with spans', () => {
    expect(() => value('1/0')).toThrow(new AsmError('division by zero', 1, 4));
    expect(() => value('bx*si')).toThrow(/invalid effective address/);
    expect(() => value('bx<<1')).toThrow(/invalid effective address/);
    expect(() => value('(1+2')).toThrow(/expecting `\)'/);
    expect(() => value('1+')).toThrow(/expression syntax error/);
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    expect(() => value(`${'('.repeat(5000)}1${')'.repeat(5000)}`)).toThrow(/too deeply nested/);
    expect(() => value(`${'-'.repeat(5000)}1`)).toThrow(/too deeply nested/);
  });
});
