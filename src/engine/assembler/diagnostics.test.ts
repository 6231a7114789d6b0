import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AssembleOptions, assemble, formatNasmDiagnostic } from './assembler';

const NESTED = [
  'bits 16',
  '%macro inner 1',
  '    mov ax, %1',
  '    mov bx, bogus_op op',
  '%endmacro',
  '%macro outer 0',
  '    nop',
  '    inner 3',
  '%endmacro',
  '    outer',
  'here: inner 5 ; a comment',
].join('\n');

const FILES: Record<string, string> = {
  'defs.inc': '%macro fail 1\n  nop\n  %error bad %1\n%endmacro\n',
  'main.asm': '%include "defs.inc"\nnop\n  fail 1\n%rep 2\n  fail 2\n%endrep\n',
};
const readFile = (name: string) => FILES[name];

/** What vmlab reports, as nasm prints it. */
function vmlab(source: string, options: AssembleOptions): string {
  return assemble(source, options).diagnostics.map(formatNasmDiagnostic).join('\n');
}

/** What `nasm -f bin` prints for `main` among `files`; null when nasm is not installed. */
function nasm(files: Record<string, string>, main: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'vmlab-diag-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    execFileSync('nasm', ['-f', 'bin', '-o', join(dir, 'out.bin'), main], {
      cwd: dir,
      stdio: 'pipe',
    });
    return '';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return String((e as { stderr: Buffer }).stderr).trimEnd();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('errors inside macros', () => {
  it('point at the outermost call and list each macro body line on the way, as nasm does', () => {
    expect(vmlab(NESTED, { fileName: 'm.asm' })).toBe(
      [
        'm.asm:10: error: comma, colon, decorator or end of line expected after operand',
        "m.asm:8: ... from macro `outer' defined here",
        "m.asm:4: ... from macro `inner' defined here",
        'm.asm:11: error: comma, colon, decorator or end of line expected after operand',
        "m.asm:4: ... from macro `inner' defined here",
      ].join('\n'),
    );
  });

  it('name the file that defines the macro, also for %error and inside %rep', () => {
    expect(vmlab(FILES['main.asm']!, { fileName: 'main.asm', readFile })).toBe(
      [
        'main.asm:3: error: bad 1',
        "defs.inc:3: ... from macro `fail' defined here",
        'main.asm:5: error: bad 2',
        "defs.inc:3: ... from macro `fail' defined here",
        'main.asm:5: error: bad 2',
        "defs.inc:3: ... from macro `fail' defined here",
      ].join('\n'),
    );
  });

  it('carry columns: the call on each line, and the fault on the innermost body line', () => {
    const [first, second] = assemble(NESTED).diagnostics;
    expect(first).toMatchObject({ line: 10, column: 5, endColumn: 10 });
    expect(first!.related).toEqual([
      {
        file: 'input.asm',
        line: 8,
        column: 5,
        endColumn: 12,
        message: "... from macro `outer' defined here",
      },
      {
        file: 'input.asm',
        line: 4,
        column: 22,
        endColumn: 24,
        message: "... from macro `inner' defined here",
      },
    ]);
    // The call after a label, with its comment left out.
    expect(second).toMatchObject({ line: 11, column: 7, endColumn: 14 });
  });

  it('leave lines outside macros without a chain', () => {
    const [d] = assemble('mov bx, bogus_op op').diagnostics;
    expect(d).not.toHaveProperty('related');
  });

  it.each([
    ['nested macros', { 'm.asm': NESTED }, 'm.asm'],
    ['a macro from an include file, in %rep', FILES, 'main.asm'],
  ])('match live nasm for %s when nasm is on PATH', (_name, files, main) => {
    const want = nasm(files, main);
    if (want === null) return;
    const read = (name: string) => (files as Record<string, string>)[name];
    expect(vmlab(files[main as keyof typeof files]!, { fileName: main, readFile: read })).toBe(
      want,
    );
  });
});
