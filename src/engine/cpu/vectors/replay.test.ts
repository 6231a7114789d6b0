import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOCHS_EXCLUSIONS } from './exclusions';
import { COMPARED_FLAGS, compare, type Outcome, type Vector, VectorRunner } from './replay';
import { PM_COMPARED_FLAGS, type PmLayout, type PmVector, PmVectorRunner } from './replay-pm';

const DIR = __dirname;

/**
 * Forms where an emulator departs from the SDM and Intel hardware; their cases are skipped.
 * Single Bochs cases that do are in exclusions.ts, each with its SDM reference.
 * QEMU 7.2 executes LOCK MOV (#UD), decodes 8F /1 as POP and C6 /1 as MOV (both #UD), and
 * raises #UD for F6 /1 (Intel CPUs and Bochs run it as TEST).
 */
const KNOWN_DEVIATIONS: Record<string, (v: Vector) => boolean> = {
  QEMU: (v) =>
    /^(lock mov Ev,Gv \(#UD\)|8F \/1|C6 \/1|test Eb,Ib \(F6 \/1\))/.test(v.form) ||
    ('d32' in v && qemuProtectedDeviation(v as PmVector)),
};

/**
 * Protected mode: QEMU does not check the stack limit for ENTER's frame (#SS), writes PUSH
 * Sreg with a 32-bit operand as a whole dword (SDM 2B "PUSH" allows it; vmlab writes the word,
 * as Bochs does), swaps all of a 16-bit register for BSWAP (undefined, SDM 2A "BSWAP"), reads
 * unassigned ports as 0 in word and dword accesses, and loads a null selector into TR.
 */
function qemuProtectedDeviation(v: PmVector): boolean {
  const op32 = v.d32 !== v.code.startsWith('66');
  // QEMU's unassigned ports read 0 in a word or dword access (byte reads give FFh, as Bochs's).
  if (/^(in eAX|insw\/d)/.test(v.form)) return true;
  // QEMU loads a null selector into TR without a fault (SDM 2A "LTR": #GP(0)).
  if (/^ltr/.test(v.form) && v.out.vector < 0 && v.out.sys?.tr === 0) return true;
  if (/^enter /.test(v.form)) return true;
  if (/^push (es|cs|ss|ds|fs|gs)$/.test(v.form)) return op32;
  return v.form === 'bswap Zd' && v.d32;
}
/** How a protected-mode case ran, for its failure message. */
function pmWhere(v: PmVector): string {
  const p = v.paging;
  const paging = p
    ? `, paging PTEs ${p.pte.toString(16)} ${p.pteStack.toString(16)}${p.wp ? ' WP' : ''}`
    : '';
  return ` (CS.D=${v.d32 ? 1 : 0}, CPL ${v.cpl}${paging})`;
}

const FILES = readdirSync(DIR).filter((f) => /^(integer|protected)-.*\.json$/.test(f));

const CASES = FILES.flatMap((file) => [
  [file, 'reference'],
  [file, 'fast'],
  [file, 'translated'],
]) as [string, 'fast' | 'translated' | 'reference'][];

describe.each(CASES)('recorded vectors %s (%s tier)', (file, tier) => {
  const data = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as {
    emulator: string;
    layout?: PmLayout;
    cases: Vector[];
  };
  const layout = data.layout;

  it(`matches ${data.emulator} on every case (undefined flags masked)`, () => {
    // Protected-mode files carry the harness's tables; their cases name code size and CPL.
    let run: (v: Vector) => Outcome;
    if (layout) {
      const pm = new PmVectorRunner(layout, tier, data.emulator.startsWith('QEMU'));
      run = (v) => pm.run(v as PmVector);
    } else {
      const real = new VectorRunner(tier);
      run = (v) => real.run(v);
    }
    // QEMU leaves RF clear in the EFLAGS image of a fault frame (SDM 3A 18.3.1.1 sets it).
    const qemu = data.emulator.startsWith('QEMU');
    const flags = layout ? PM_COMPARED_FLAGS & ~(qemu ? 0x10000 : 0) : COMPARED_FLAGS;
    const where = (v: Vector) => (layout ? pmWhere(v as PmVector) : '');
    const perForm = new Map<string, { pass: number; total: number }>();
    const failures: string[] = [];
    const skip = Object.entries(KNOWN_DEVIATIONS).find(([k]) => data.emulator.startsWith(k))?.[1];
    let skipped = 0;
    const excluded = new Map<string, number>();
    for (const v of data.cases) {
      if (skip?.(v)) {
        skipped++;
        continue;
      }
      const bug = data.emulator.startsWith('Bochs') && BOCHS_EXCLUSIONS.find((e) => e.matches(v));
      if (bug) {
        excluded.set(bug.id, (excluded.get(bug.id) ?? 0) + 1);
        // vmlab must do what the SDM says instead.
        if (!bug.expected(run(v))) failures.push(`${v.form} [${v.code}]: not as ${bug.id} expects`);
        continue;
      }
      const stat = perForm.get(v.form) ?? { pass: 0, total: 0 };
      perForm.set(v.form, stat);
      stat.total++;
      let diffs: string[];
      try {
        diffs = compare(v, run(v), flags);
      } catch (e) {
        diffs = [`threw ${(e as Error).message}`];
      }
      if (diffs.length === 0) stat.pass++;
      else if (failures.length < 40)
        failures.push(`${v.form} [${v.code}]${where(v)}: ${diffs.join('; ')}`);
    }
    const lines = [...perForm].map(([f, s]) => `${f}: ${s.pass}/${s.total}`);
    const pass = [...perForm.values()].reduce((a, s) => a + s.pass, 0);
    const bugs = [...excluded].map(([id, n]) => `, ${n} excluded as Bochs bug ${id}`).join('');
    const total = [...perForm.values()].reduce((a, s) => a + s.total, 0);
    console.log(
      `${file} (${tier} tier): ${pass}/${total} vectors pass (${skipped} skipped as known deviations${bugs}), ${perForm.size} forms\n${lines.join('\n')}`,
    );
    expect(failures).toEqual([]);
  });
});
