// Differential tests on the generated corpus: vmlab against nasm and ndisasm (golden files, and live when installed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler';
import { disassemble, formatNdisasm } from '../disassembler';
import { formatListing } from '../listing';
import { instructionCorpus } from './generate-corpus';
import { mnemonicFormsModule } from './mnemonic-forms';

const dir = import.meta.dirname;
const read = (name: string) => readFileSync(join(dir, name));
/** %include and incbin read the corpus folder, as nasm run there does. */
const readFile = (name: string) => {
  try {
    return new Uint8Array(read(name));
  } catch {
    return undefined;
  }
};
const assembleFile = (name: string) =>
  assemble(read(`${name}.asm`).toString(), { fileName: `${name}.asm`, readFile });

/** Runs `tool` with `args`; null when the tool is not installed. */
function live(
  tool: string,
  args: (tmp: string) => string[],
  result: (tmp: string, out: Buffer) => Buffer,
): Buffer | null {
  const tmp = mkdtempSync(join(tmpdir(), 'vmlab-corpus-'));
  try {
    return result(tmp, execFileSync(tool, args(tmp), { stdio: 'pipe', cwd: dir }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const nasm = (name: string) =>
  live(
    'nasm',
    (t) => ['-f', 'bin', '-o', join(t, 'out.bin'), name],
    (t) => readFileSync(join(t, 'out.bin')),
  );

const sources = [
  'instructions16',
  'instructions32',
  'directives',
  'preprocessor',
  'sections',
  'expressions',
  'structures',
  'listing',
  'contexts',
];
const code: [string, 16 | 32][] = [
  ['instructions16', 16],
  ['instructions32', 32],
];

/** First differing byte offset, for a readable failure. */
function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('assembler against nasm', () => {
  it.each(sources)('%s.asm assembles to the golden nasm bytes', (name) => {
    const out = assembleFile(name);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(firstDiff(out.bytes, read(`${name}.bin`))).toBe(-1);
  });

  it.each(sources)('%s.asm matches live nasm when nasm is on PATH', (name) => {
    const want = nasm(`${name}.asm`);
    if (!want) return;
    const out = assembleFile(name);
    expect(firstDiff(out.bytes, want)).toBe(-1);
  });

  it('the committed corpus is the generated one minus the lines nasm rejects, and vmlab rejects those too', () => {
    // When this fails after the opcode table grew, regenerate: VMLAB_REGEN_CORPUS=1 npx vitest run corpus/regenerate
    for (const bits of [16, 32] as const) {
      const committed = new Set(read(`instructions${bits}.asm`).toString().split('\n'));
      const missing = instructionCorpus(bits)
        .split('\n')
        .filter((l) => !committed.has(l));
      const accepted = missing.filter((l) => assemble(`bits ${bits}\nlbl:\n${l}\nfwd:\n`).ok);
      expect(accepted, `bits ${bits}: regenerate the corpus`).toEqual([]);
    }
  });
});

describe("the editor's mnemonic list", () => {
  it('mnemonics.generated.ts is up to date with the opcode table', () => {
    const file = join(dir, '../../../renderer/src/monaco/mnemonics.generated.ts');
    // Regenerate with VMLAB_REGEN_CORPUS=1 npx vitest run corpus/regenerate when the table grows.
    // Compared modulo formatting, since the linter may rewrap or requote the file.
    const norm = (t: string) =>
      t
        .replace(/\s+/g, '')
        .replace(/"/g, "'")
        .replace(/,([\]}])/g, '$1');
    expect(norm(readFileSync(file, 'utf8'))).toBe(norm(mnemonicFormsModule()));
  });
});

describe('disassembler against ndisasm', () => {
  it.each(code)('%s.bin disassembles like the golden ndisasm text', (name, bits) => {
    const text = formatNdisasm(
      disassemble(new Uint8Array(read(`${name}.bin`)), { bits, origin: 0x100 }),
    );
    const want = read(`${name}.ndisasm`).toString().split('\n');
    const got = text.split('\n');
    const diffs = want.map((w, i) => [w, got[i]]).filter(([w, g]) => w !== g);
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(got.length).toBe(want.length);
  });

  it.each(code)('%s.bin matches live ndisasm when it is on PATH', (name, bits) => {
    const want = live(
      'ndisasm',
      () => ['-b', String(bits), '-o', '0x100', join(dir, `${name}.bin`)],
      (_t, o) => o,
    );
    if (!want) return;
    const text = formatNdisasm(
      disassemble(new Uint8Array(read(`${name}.bin`)), { bits, origin: 0x100 }),
    );
    expect(text).toBe(want.toString());
  });
});

describe('round trip', () => {
  it.each(code)('%s: assemble, disassemble, assemble again gives the same bytes', (name, bits) => {
    const first = assemble(read(`${name}.asm`).toString());
    const lines = disassemble(first.bytes, { bits, origin: 0x100, syntax: 'nasm' });
    const again = assemble(`bits ${bits}\norg 0x100\n${lines.map((l) => l.text).join('\n')}\n`);
    expect(again.diagnostics.filter((d) => d.severity === 'error').slice(0, 5)).toEqual([]);
    const bad = lines.filter((l) => {
      const one = assemble(`bits ${bits}\norg ${l.address}\n${l.text}\n`);
      return Buffer.compare(Buffer.from(one.bytes), Buffer.from(l.bytes)) !== 0;
    });
    expect(bad.slice(0, 5).map((l) => l.text)).toEqual([]);
    expect(firstDiff(again.bytes, first.bytes)).toBe(-1);
  });
});

describe('listing against nasm -l', () => {
  it.each(sources)('%s lists byte for byte as nasm -l lists it', (name) => {
    const got = formatListing(assembleFile(name)).split('\n');
    const want = read(`${name}.lst`).toString().split('\n');
    const diffs = want
      .map((w, i) => [`${i + 1}: ${w}`, `${i + 1}: ${got[i]}`])
      .filter(([w, g]) => w !== g);
    expect(diffs.slice(0, 3)).toEqual([]);
    expect(got.length).toBe(want.length);
  });
});
