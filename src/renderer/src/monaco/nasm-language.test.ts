// @vitest-environment happy-dom
// Runs the real Monarch tokenizer of monaco-editor over NASM lines.

import * as monaco from 'monaco-editor/editor';
import { beforeAll, describe, expect, it } from 'vitest';
import { NASM_LANGUAGE_ID, NUMBER_PATTERNS, nasmConfiguration, nasmMonarch } from './nasm-language';

/** The non-blank tokens of one line as [text, type without the '.nasm' postfix]. */
function tokens(line: string): [string, string][] {
  const [lineTokens = []] = monaco.editor.tokenize(line, NASM_LANGUAGE_ID);
  return lineTokens
    .map((t, i): [string, string] => [
      line.slice(t.offset, lineTokens[i + 1]?.offset ?? line.length),
      t.type.replace(/\.nasm$/, ''),
    ])
    .filter(([text]) => text.trim() !== '');
}

/** The token type of a whole word in a line. */
const typeOf = (line: string, word: string) => tokens(line).find(([t]) => t === word)?.[1];

describe('NASM language', () => {
  beforeAll(() => {
    monaco.languages.register({ id: NASM_LANGUAGE_ID });
    monaco.languages.setMonarchTokensProvider(NASM_LANGUAGE_ID, nasmMonarch);
    monaco.languages.setLanguageConfiguration(NASM_LANGUAGE_ID, nasmConfiguration);
  });

  it('tokenizes an instruction line with a label and a comment', () => {
    expect(tokens('start:  mov eax, [ebx+4] ; load')).toEqual([
      ['start', 'type.identifier'],
      [':', 'delimiter'],
      ['mov', 'keyword'],
      ['eax', 'variable.predefined'],
      [',', 'delimiter'],
      ['[', 'delimiter.square'],
      ['ebx', 'variable.predefined'],
      ['+', 'operator'],
      ['4', 'number'],
      [']', 'delimiter.square'],
      ['; load', 'comment'],
    ]);
  });

  it('knows mnemonics and registers in any case, and the Jcc/SETcc/CMOVcc families', () => {
    expect(typeOf('MOV AX, BX', 'MOV')).toBe('keyword');
    expect(typeOf('MOV AX, BX', 'BX')).toBe('variable.predefined');
    for (const m of ['jnz', 'jge', 'jecxz', 'setb', 'cmovne', 'loopnz', 'iretd', 'lgdt']) {
      expect(typeOf(`${m} x`, m), m).toBe('keyword');
    }
    expect(typeOf('jfoo x', 'jfoo')).toBe('identifier');
    expect(typeOf('jnzx x', 'jnzx')).toBe('identifier');
    expect(typeOf('mov cr0, eax', 'cr0')).toBe('variable.predefined');
  });

  it('knows directives, sizes and the location counters', () => {
    for (const d of ['bits', 'org', 'section', 'db', 'dw', 'dd', 'equ', 'times', 'resb', 'align']) {
      expect(typeOf(`${d} 1`, d), d).toBe('keyword.directive');
    }
    expect(typeOf('mov byte [bx], 1', 'byte')).toBe('type');
    expect(typeOf('jmp short next', 'short')).toBe('type');
    expect(typeOf('times 510-($-$$) db 0', '$$')).toBe('variable.predefined');
  });

  it('recognizes the preprocessor', () => {
    expect(tokens('%define COM1 0x3F8')).toEqual([
      ['%define', 'meta.preprocessor'],
      ['COM1', 'identifier'],
      ['0x3F8', 'number.hex'],
    ]);
    expect(typeOf('%macro print 1', '%macro')).toBe('meta.preprocessor');
    expect(typeOf('  mov al, %1', '%1')).toBe('variable.parameter');
    expect(typeOf('%%skip: nop', '%%skip')).toBe('variable.parameter');
  });

  it('recognizes every NASM number form', () => {
    const cases: [string, string][] = [
      ['0x1F', 'number.hex'],
      ['0h1f', 'number.hex'],
      ['$1F', 'number.hex'],
      ['$0a', 'number.hex'],
      ['1Fh', 'number.hex'],
      ['0FFFFh', 'number.hex'],
      ['0b101', 'number.binary'],
      ['0y1010_1010', 'number.binary'],
      ['101b', 'number.binary'],
      ['17q', 'number.octal'],
      ['17o', 'number.octal'],
      ['0o17', 'number.octal'],
      ['0q17', 'number.octal'],
      ['0d99', 'number'],
      ['99d', 'number'],
      ['1234', 'number'],
      ['1_000', 'number'],
      ['1.5e3', 'number.float'],
    ];
    for (const [text, type] of cases) {
      expect(tokens(`dd ${text}`)[1], text).toEqual([text, type]);
    }
    expect(NUMBER_PATTERNS.length).toBeGreaterThan(5);
  });

  it('tokenizes the three string quotes, escapes in backquotes, and unterminated strings', () => {
    expect(tokens(`db 'it''s', "a;b", \`x\\n\``)).toEqual([
      ['db', 'keyword.directive'],
      // Monaco merges neighbouring tokens of one type: 'it' and 's' come out as one.
      ["'it''s'", 'string'],
      [',', 'delimiter'],
      ['"a;b"', 'string'],
      [',', 'delimiter'],
      ['`x', 'string'],
      ['\\n', 'string.escape'],
      ['`', 'string'],
    ]);
    expect(tokens("db 'oops")[1]).toEqual(["'oops", 'string.invalid']);
  });

  it('treats a segment override as a register, not a label', () => {
    expect(typeOf('mov ax, [es:di]', 'es')).toBe('variable.predefined');
    expect(typeOf('.loop: dec cx', '.loop')).toBe('type.identifier');
  });
});
