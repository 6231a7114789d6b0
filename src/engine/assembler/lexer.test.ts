import { describe, expect, it } from 'vitest';
import { type LexError, parseNumber, tokenize } from './lexer';

describe('numbers', () => {
  it.each([
    ['0x1F', 31n],
    ['0X1f', 31n],
    ['1Fh', 31n],
    ['0h1F', 31n],
    ['$1F', 31n],
    ['0b1010', 10n],
    ['1010b', 10n],
    ['0y11', 3n],
    ['11y', 3n],
    ['0o17', 15n],
    ['17o', 15n],
    ['17q', 15n],
    ['0q17', 15n],
    ['99', 99n],
    ['99d', 99n],
    ['0d99', 99n],
    ['0t99', 99n],
    ['1_000', 1000n],
    ['0ffh', 255n],
    ['0x_ff', 255n],
  ])('%s = %i', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it.each(['0x', '12z', '19b', '8q', '0b2'])('%s is invalid', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});

describe('tokenize', () => {
  it('splits identifiers, numbers, strings and operators with 1-based columns', () => {
    const errors: LexError[] = [];
    const t = tokenize("  mov ax, [bx+si] ; comment 'x", errors);
    expect(errors).toEqual([]);
    expect(t.map((x) => [x.kind, x.text, x.col, x.endCol])).toEqual([
      ['ident', 'mov', 3, 6],
      ['ident', 'ax', 7, 9],
      ['op', ',', 9, 10],
      ['op', '[', 11, 12],
      ['ident', 'bx', 12, 14],
      ['op', '+', 14, 15],
      ['ident', 'si', 15, 17],
      ['op', ']', 17, 18],
      ['end', '', 19, 19],
    ]);
  });

  it('reads $, $$, .local, ..@special and $-escaped names', () => {
    const t = tokenize('$ $$ .loop ..@x $mov', []);
    expect(t.slice(0, 5).map((x) => x.text)).toEqual(['$', '$$', '.loop', '..@x', 'mov']);
  });

  it('decodes strings: quotes keep backslashes, backquotes have C escapes, UTF-8 bytes', () => {
    const t = tokenize("'a\\n' \"b;c\" `\\n\\t\\x41\\101\\\\` 'é'", []);
    expect(t[0]!.bytes).toEqual([0x61, 0x5c, 0x6e]);
    expect(t[1]!.bytes).toEqual([0x62, 0x3b, 0x63]);
    expect(t[2]!.bytes).toEqual([10, 9, 0x41, 0x41, 0x5c]);
    expect(t[3]!.bytes).toEqual([0xc3, 0xa9]);
  });

  it('reports unterminated strings and stray characters', () => {
    const errors: LexError[] = [];
    tokenize("db 'abc", errors);
    tokenize('mov ax, #', errors);
    expect(errors.map((e) => [e.message, e.col])).toEqual([
      ["unterminated string (missing `'')", 4],
      ["unexpected character '#'", 9],
    ]);
  });

  it('matches the longest operator', () => {
    const t = tokenize('a<<<b>>c//d%%e', []);
    expect(t.filter((x) => x.kind === 'op').map((x) => x.text)).toEqual(['<<<', '>>', '//', '%%']);
  });
});
