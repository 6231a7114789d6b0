import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AssemblyOutput, assemble, MAX_OUTPUT_BYTES } from './assembler';

/** Deterministic xorshift32 generator, so every run tries the same inputs. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return {
    next,
    below: (n: number) => next() % n,
    pick: <T>(a: readonly T[]) => a[next() % a.length]!,
  };
}

const corpus = [
  readFileSync(join(import.meta.dirname, 'golden/slice16.asm'), 'utf8'),
  ...['hello', 'spin', 'echo'].map((n) =>
    readFileSync(join(import.meta.dirname, `../../../examples/${n}.asm`), 'utf8'),
  ),
].join('\n');
const corpusLines = corpus.split('\n');

const VOCAB = [
  'mov',
  'add',
  'jmp',
  'jz',
  'loop',
  'times',
  'db',
  'dw',
  'equ',
  'org',
  'bits',
  'align',
  'resb',
  'push',
  'ax',
  'al',
  'bx',
  'es',
  'cs',
  'eax',
  'byte',
  'word',
  'far',
  'short',
  'near',
  'strict',
  '[',
  ']',
  '(',
  ')',
  ',',
  ':',
  '+',
  '-',
  '*',
  '/',
  '//',
  '%',
  '<<',
  '>>',
  '~',
  '$',
  '$$',
  '.l',
  'x',
  'x:',
  '.l:',
  '0x7C00',
  '1Fh',
  '0b101',
  "'ab'",
  '"s',
  '`\\x4',
  ';c',
  '%define',
  '65535',
  '-1',
  '99999999999999999999',
  '\t',
  '\\',
];

function check(out: AssemblyOutput, lines: number): void {
  expect(out.diagnostics.filter((d) => d.message.startsWith('internal'))).toEqual([]);
  expect(out.bytes.length).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
  if (!out.ok) expect(out.bytes.length).toBe(0);
  for (const d of out.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(Math.max(lines, 1));
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.endColumn).toBeGreaterThanOrEqual(d.column);
  }
}

describe('assembler fuzz (fixed seeds)', () => {
  it('survives mutated real programs', () => {
    const r = rng(0x5eed);
    for (let round = 0; round < 150; round++) {
      const start = r.below(corpusLines.length);
      const lines = corpusLines.slice(start, start + 1 + r.below(40));
      for (let m = 0; m < 1 + r.below(6); m++) {
        const i = r.below(lines.length);
        const line = lines[i]!;
        const at = r.below(line.length + 1);
        switch (r.below(5)) {
          case 0:
            lines[i] = line.slice(0, at) + line.slice(at + 1 + r.below(4));
            break;
          case 1:
            lines[i] = line.slice(0, at) + r.pick(VOCAB) + line.slice(at);
            break;
          case 2:
            lines[i] = line.slice(0, at) + String.fromCharCode(r.below(128)) + line.slice(at);
            break;
          case 3:
            lines.splice(i, 0, r.pick(corpusLines));
            break;
          default:
            lines[i] = lines[r.below(lines.length)]!;
        }
      }
      const src = lines.join('\n');
      check(assemble(src), src.split(/\r\n|\n|\r/).length);
    }
  });

  it('survives random token soup', () => {
    const r = rng(42);
    for (let round = 0; round < 300; round++) {
      const lines: string[] = [];
      for (let l = 0; l < 1 + r.below(8); l++) {
        const words: string[] = [];
        for (let w = 0; w < r.below(9); w++) words.push(r.pick(VOCAB));
        lines.push(words.join(r.below(3) === 0 ? '' : ' '));
      }
      const src = lines.join('\n');
      check(assemble(src), src.split(/\r\n|\n|\r/).length);
    }
  });

  it('survives random bytes', () => {
    const r = rng(7);
    for (let round = 0; round < 100; round++) {
      let src = '';
      for (let i = 0; i < r.below(200); i++) src += String.fromCharCode(r.below(256));
      check(assemble(src), src.split(/\r\n|\n|\r/).length);
    }
  });

  it('terminates on layouts that oscillate or explode', () => {
    const cases = [
      'a: times (b-a) nop\nb: jmp a',
      'x: times 200 - (y - x) nop\njmp x\ny:',
      'times 0x100000 nop\ntimes 0x100000 dw 1',
      'a equ b\nb equ a\nmov ax, a',
      'times 1 << 40 db 0',
      'align 0x4000000000',
      'l: jmp l2\ntimes 126 nop\nl2: times (l2 - l) - 128 nop',
    ];
    for (const src of cases) check(assemble(src), src.split('\n').length);
  });
});
