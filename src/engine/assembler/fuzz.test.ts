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

/** Rounds multiply by VMLAB_FUZZ (default 1): VMLAB_FUZZ=50 npx vitest run fuzz for a long run. */
const SCALE = Math.max(1, Number(process.env.VMLAB_FUZZ ?? 1) || 1);
/** The slowest assembly seen, in ms: reported, and bounded loosely (the design forbids tight timing asserts). */
let slowest = 0;

function timed(src: string, options?: Parameters<typeof assemble>[1]): AssemblyOutput {
  const t0 = performance.now();
  const out = assemble(src, options);
  slowest = Math.max(slowest, performance.now() - t0);
  return out;
}

const corpusFiles = ['directives', 'preprocessor', 'sections', 'expressions'].map((n) =>
  readFileSync(join(import.meta.dirname, `corpus/${n}.asm`), 'utf8'),
);
const instructionLines = readFileSync(
  join(import.meta.dirname, 'corpus/instructions32.asm'),
  'utf8',
)
  .split('\n')
  .filter((_, i) => i % 7 === 0);

const corpus = [
  readFileSync(join(import.meta.dirname, 'golden/slice16.asm'), 'utf8'),
  ...corpusFiles,
  instructionLines.join('\n'),
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
  '%define F(x) x+x',
  '%xdefine',
  '%undef',
  '%assign i i+1',
  '%macro m 1-2 5',
  '%macro g 1+',
  '%endmacro',
  '%1',
  '%0',
  '%%l:',
  '%rep 3',
  '%rep 1000000',
  '%endrep',
  '%exitrep',
  '%if 1',
  '%elif',
  '%else',
  '%endif',
  '%ifdef F',
  '%ifidn a,a',
  '%include "self.asm"',
  '%error',
  'section .data',
  'section .bss',
  'vstart=0x9000',
  'align=16',
  'incbin "blob"',
  'alignb',
  'eax',
  'esp',
  '[eax*4+ebx]',
  'cr0',
  'o32',
  'a32',
  'nosplit',
  '==',
  '&&',
  '?',
  '<=>',
  'm',
  'g',
  'F(1)',
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
    for (let round = 0; round < 150 * SCALE; round++) {
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
      check(timed(src), src.split(/\r\n|\n|\r/).length);
    }
  });

  it('survives random token soup', () => {
    const r = rng(42);
    for (let round = 0; round < 300 * SCALE; round++) {
      const lines: string[] = [];
      for (let l = 0; l < 1 + r.below(8); l++) {
        const words: string[] = [];
        for (let w = 0; w < r.below(9); w++) words.push(r.pick(VOCAB));
        lines.push(words.join(r.below(3) === 0 ? '' : ' '));
      }
      const src = lines.join('\n');
      check(timed(src), src.split(/\r\n|\n|\r/).length);
    }
  });

  it('survives random bytes', () => {
    const r = rng(7);
    for (let round = 0; round < 100 * SCALE; round++) {
      let src = '';
      for (let i = 0; i < r.below(200); i++) src += String.fromCharCode(r.below(256));
      check(timed(src), src.split(/\r\n|\n|\r/).length);
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
      '%macro a 0\na\n%endmacro\na',
      '%define a a+1\ndw a',
      '%define a b\n%define b a\ndw a',
      '%define f(x) f(x)+f(x)\ndw f(1)',
      '%define d1 1\n%xdefine d2 d1 d1\n%xdefine d3 d2 d2\n%xdefine d4 d3 d3 d3 d3 d3 d3 d3 d3\ndb d4',
      '%rep 1000000\nnop\n%endrep',
      '%rep 1000\n%rep 1000\nnop\n%endrep\n%endrep',
      '%rep 10\n%rep 10\n%rep 10\n%rep 10\n%rep 10\n%rep 10\nnop\n%endrep\n%endrep\n%endrep\n%endrep\n%endrep\n%endrep',
      '%include "self.asm"',
      '%macro m 0\n%rep 2\nm\n%endrep\n%endmacro\nm',
      'section a follows=b\nsection b follows=a\nnop',
      'section .text vstart=0xFFFFFFFF\nnop\nnop',
      '%if 1\n%if 0\n%else\n%else\n%endif',
    ];
    const readFile = (name: string) =>
      name === 'self.asm' ? '%include "self.asm"\nnop' : undefined;
    for (const src of cases) check(timed(src, { readFile }), 1 << 20);
  });

  it('never takes long on any of these inputs', () => {
    // A loose bound: the point is "no hang"; the 1-second goal is what the fuzz runs look at.
    expect(slowest).toBeLessThan(5000);
  });
});
