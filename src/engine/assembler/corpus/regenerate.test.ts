// Regenerates the corpus and its nasm/ndisasm golden files: VMLAB_REGEN_CORPUS=1 npx vitest run corpus/regenerate
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { instructionCorpus } from './generate-corpus';
import { mnemonicFormsModule } from './mnemonic-forms';

const dir = import.meta.dirname;
const regen = process.env.VMLAB_REGEN_CORPUS === '1';

/** Assembles `file` with nasm; returns the line numbers nasm rejected. */
function nasmErrors(file: string, out: string): Set<number> {
  try {
    execFileSync('nasm', ['-f', 'bin', '-o', out, file], { stdio: 'pipe' });
    return new Set();
  } catch (e) {
    const text = String((e as { stderr: Buffer }).stderr);
    const bad = new Set<number>();
    for (const m of text.matchAll(/:(\d+): error:/g)) bad.add(Number(m[1]));
    if (bad.size === 0) throw e;
    return bad;
  }
}

/** Writes the .bin (nasm) and, for code, the .ndisasm (ndisasm) golden files of `name`. */
export function golden(name: string, bits: 16 | 32 | 0): void {
  const asm = `${name}.asm`;
  const bin = join(dir, `${name}.bin`);
  const opts = { stdio: 'pipe' as const, cwd: dir };
  execFileSync('nasm', ['-f', 'bin', '-o', bin, asm], opts);
  execFileSync('nasm', ['-f', 'bin', '-o', '/dev/null', '-l', `${name}.lst`, asm], opts);
  if (bits) {
    const text = execFileSync('ndisasm', ['-b', String(bits), '-o', '0x100', bin]).toString();
    writeFileSync(join(dir, `${name}.ndisasm`), text);
  }
}

describe.runIf(regen)('corpus regeneration', () => {
  it("writes the editor's mnemonic list", () => {
    writeFileSync(
      join(dir, '../../../renderer/src/monaco/mnemonics.generated.ts'),
      mnemonicFormsModule(),
    );
  });

  it('writes the instruction corpus and the golden outputs', () => {
    for (const bits of [16, 32] as const) {
      const name = `instructions${bits}`;
      const file = join(dir, `${name}.asm`);
      let lines = instructionCorpus(bits).split('\n');
      for (let round = 0; round < 5; round++) {
        writeFileSync(file, lines.join('\n'));
        const bad = nasmErrors(file, '/dev/null');
        if (bad.size === 0) break;
        lines = lines.filter((_, i) => !bad.has(i + 1));
      }
      golden(name, bits);
    }
    for (const name of [
      'directives',
      'preprocessor',
      'sections',
      'expressions',
      'structures',
      'listing',
      'contexts',
    ]) {
      try {
        readFileSync(join(dir, `${name}.asm`));
      } catch {
        continue;
      }
      golden(name, 0);
    }
  });
});
