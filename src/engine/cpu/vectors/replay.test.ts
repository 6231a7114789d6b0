import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, type Vector, VectorRunner } from './replay';

const DIR = __dirname;

/**
 * Forms where an emulator departs from the SDM and Intel hardware; their cases are skipped.
 * QEMU 7.2 executes LOCK MOV (#UD), decodes 8F /1 as POP and C6 /1 as MOV (both #UD), and
 * raises #UD for F6 /1 (Intel CPUs and Bochs run it as TEST).
 */
const KNOWN_DEVIATIONS: Record<string, RegExp> = {
  QEMU: /^(lock mov Ev,Gv \(#UD\)|8F \/1|C6 \/1|test Eb,Ib \(F6 \/1\))/,
};
const FILES = readdirSync(DIR).filter((f) => /^integer-.*\.json$/.test(f));

const CASES = FILES.flatMap((file) => [
  [file, 'reference'],
  [file, 'fast'],
  [file, 'translated'],
]) as [string, 'fast' | 'translated' | 'reference'][];

describe.each(CASES)('recorded vectors %s (%s tier)', (file, tier) => {
  const data = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as {
    emulator: string;
    cases: Vector[];
  };

  it(`matches ${data.emulator} on every case (undefined flags masked)`, () => {
    const runner = new VectorRunner(tier);
    const perForm = new Map<string, { pass: number; total: number }>();
    const failures: string[] = [];
    const skip = Object.entries(KNOWN_DEVIATIONS).find(([k]) => data.emulator.startsWith(k))?.[1];
    let skipped = 0;
    for (const v of data.cases) {
      if (skip?.test(v.form)) {
        skipped++;
        continue;
      }
      const stat = perForm.get(v.form) ?? { pass: 0, total: 0 };
      perForm.set(v.form, stat);
      stat.total++;
      let diffs: string[];
      try {
        diffs = compare(v, runner.run(v));
      } catch (e) {
        diffs = [`threw ${(e as Error).message}`];
      }
      if (diffs.length === 0) stat.pass++;
      else if (failures.length < 40) failures.push(`${v.form} [${v.code}]: ${diffs.join('; ')}`);
    }
    const lines = [...perForm].map(([f, s]) => `${f}: ${s.pass}/${s.total}`);
    const pass = [...perForm.values()].reduce((a, s) => a + s.pass, 0);
    console.log(
      `${file} (${tier} tier): ${pass}/${data.cases.length - skipped} vectors pass (${skipped} skipped as known deviations), ${perForm.size} forms\n${lines.join('\n')}`,
    );
    expect(failures).toEqual([]);
  });
});
