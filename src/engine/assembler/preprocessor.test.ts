import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, formatNasmDiagnostic } from './assembler';

/** vmlab's diagnostics for `source`, as nasm prints them. */
const vmlab = (source: string) =>
  assemble(source, { fileName: 'e.asm' }).diagnostics.map(formatNasmDiagnostic).join('\n');

/** nasm's diagnostics and bytes for `source`; null when nasm is not installed. */
function nasm(source: string): { text: string; bytes: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'vmlab-pp-'));
  try {
    writeFileSync(join(dir, 'e.asm'), source);
    execFileSync('nasm', ['-f', 'bin', '-o', 'e.bin', 'e.asm'], { cwd: dir, stdio: 'pipe' });
    return { text: '', bytes: execFileSync('xxd', ['-p', 'e.bin'], { cwd: dir }).toString() };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { text: String((e as { stderr: Buffer }).stderr).trimEnd(), bytes: '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const hex = (source: string) => {
  const out = assemble(source);
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return Buffer.from(out.bytes).toString('hex');
};

/** Misuse of the string functions and the context stack, with nasm's exact messages. */
const MISUSE: [string, string][] = [
  [
    '%pop\n%repl x',
    "e.asm:1: error: `%pop': context stack is empty\ne.asm:2: error: `%repl': context stack is empty",
  ],
  ['%push a\n%pop b', "e.asm:2: error: `%pop' in wrong context: a, expected b"],
  ['%strlen n 5', "e.asm:1: error: `%strlen' requires string as second parameter"],
  ['%strlen', "e.asm:1: error: `%strlen' expects a macro identifier"],
  ['%substr s 5 1', "e.asm:1: error: `%substr' requires a string as parameter"],
  ["%substr s 'ab'", "e.asm:1: error: `%substr' requires a starting index"],
  ['%stacksize bogus', "e.asm:1: error: `%stacksize' invalid size type"],
  ['%arg k:foo', "e.asm:1: error: invalid size type for `%arg' missing directive"],
  ['%local k2', "e.asm:1: error: syntax error processing `%local' directive"],
];

describe('string functions and contexts', () => {
  it('%strlen and %substr count and cut bytes as nasm does', () => {
    const src = [
      "%strlen n 'hello'",
      "%substr a 'xyzw' 2,2",
      "%substr b 'xyzw' 2,-1",
      "%substr c 'xyzw' 9",
      '%substr d `a\\x01b` 2',
      'db n, a, b, c, d',
    ].join('\n');
    expect(hex(src)).toBe('05797a797a7701');
  });

  it('%$ names belong to the innermost context, %$$ to the one outside', () => {
    const src = '%push a\n%$x: nop\n%push b\n%$x: nop\njmp %$$x\n%pop\n%pop';
    expect(hex(src)).toBe('9090ebfc');
  });

  it('%arg and %local lay out a frame as nasm 2.16 does', () => {
    const src = [
      '%push f',
      '%stacksize small',
      '%assign %$localsize 0',
      '%arg p:word',
      '%local a:byte, b:dword',
      'mov ax, [p]',
      'mov [b], eax',
      'dw %$localsize',
      '%pop',
    ].join('\n');
    expect(hex(src)).toBe('8b4606668946fa0600');
  });

  it('reports a %$ name outside any context, or too deep', () => {
    expect(vmlab('%$x: nop')).toContain("e.asm:1: error: `%$x': context stack is empty");
    expect(vmlab('%push a\n%$$x: nop')).toContain(
      "e.asm:2: error: `x': context stack is only 1 level deep",
    );
  });

  it.each(MISUSE)('%j gives nasm’s message', (source, message) => {
    expect(vmlab(source)).toBe(message);
  });

  it.each(MISUSE)('%j matches live nasm when nasm is on PATH', (source) => {
    const want = nasm(source);
    if (want === null) return;
    expect(vmlab(source)).toBe(want.text);
  });

  it('keeps unknown directives a clear error', () => {
    expect(vmlab('%exitmacro')).toBe("e.asm:1: error: unknown preprocessor directive `%exitmacro'");
  });
});
