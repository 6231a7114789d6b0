import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from './assembler';
import { formatListing } from './listing';

const golden = join(import.meta.dirname, 'golden');
const examples = join(import.meta.dirname, '../../../examples');

/** nasm's output for `file`, or null when nasm is not installed. */
function nasm(file: string): Uint8Array | null {
  const dir = mkdtempSync(join(tmpdir(), 'vmlab-nasm-'));
  try {
    execFileSync('nasm', ['-f', 'bin', '-o', join(dir, 'out.bin'), file], { stdio: 'pipe' });
    return new Uint8Array(readFileSync(join(dir, 'out.bin')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases: [string, string, string][] = [
  ['slice16.asm', join(golden, 'slice16.asm'), join(golden, 'slice16.bin')],
  ...['hello', 'spin', 'echo'].map((n): [string, string, string] => [
    `examples/${n}.asm`,
    join(examples, `${n}.asm`),
    join(golden, 'examples', `${n}.bin`),
  ]),
];

describe('differential test against NASM', () => {
  it.each(cases)('%s assembles to the golden NASM bytes', (_name, source, bin) => {
    const out = assemble(readFileSync(source, 'utf8'), { fileName: source });
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(Buffer.from(out.bytes).equals(readFileSync(bin))).toBe(true);
  });

  it.each(cases)('%s matches live nasm output when nasm is on PATH', (_name, source) => {
    const live = nasm(source);
    if (!live) return;
    const out = assemble(readFileSync(source, 'utf8'));
    expect(Buffer.from(out.bytes).equals(Buffer.from(live))).toBe(true);
  });

  it.each(cases)('%s lists byte for byte as the golden nasm -l listing', (_name, source, bin) => {
    const out = assemble(readFileSync(source, 'utf8'), { fileName: source });
    const want = readFileSync(bin.replace(/\.bin$/, '.lst'), 'utf8').split('\n');
    const got = formatListing(out).split('\n');
    const diffs = want.map((w, i) => [w, got[i]]).filter(([w, g]) => w !== g);
    expect(diffs.slice(0, 3)).toEqual([]);
    expect(got.length).toBe(want.length);
  });
});
