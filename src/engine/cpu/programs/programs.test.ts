// Guest test programs (NASM source and binary committed here) run on vmlab and compared with golden 0xE9 output recorded under QEMU or Bochs (see *.golden.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CpuTier, createPcMachine } from '../../index';

const TIERS: CpuTier[] = ['reference', 'fast'];

const here = import.meta.dirname;

/** Boots `name`.bin as a boot sector and returns its port E9h output and how the run ended. */
function runProgram(
  name: string,
  tier: CpuTier = 'fast',
  budget = 2_000_000,
): { debug: string; reason: string; icount: number } {
  let debug = '';
  const machine = createPcMachine({
    memoryMiB: 4,
    tier,
    console: {
      write(port, byte) {
        if (port === 'debug') debug += String.fromCharCode(byte);
      },
    },
  });
  machine.loadBootSector(new Uint8Array(readFileSync(join(here, `${name}.bin`))));
  const result = machine.run(budget);
  const reason = result.reason === 'error' ? `error: ${result.error.message}` : result.reason;
  return { debug, reason, icount: machine.icount };
}

function golden(name: string): string {
  return readFileSync(join(here, `${name}.golden`), 'latin1');
}

describe.each(TIERS)('protected-mode guest programs against golden output (%s tier)', (tier) => {
  for (const name of [
    'pm-rings',
    'pm-exceptions',
    'pm-paging',
    'pm-sensitive',
    'pm-iobitmap',
    'pm-interrupts',
  ]) {
    it(`${name} prints what the reference emulator printed`, () => {
      const run = runProgram(name, tier);
      expect(run.debug).toBe(golden(name));
      expect(run.reason).toBe('exit');
      if (tier === 'fast') expect(run.icount).toBe(runProgram(name, 'reference').icount);
    });
  }
});

/** Splits pm-sensitive output into its "-- cpl N" sections. */
function sections(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split('-- ').slice(1)) {
    const nl = part.indexOf('\n');
    map.set(part.slice(0, nl), part.slice(nl + 1));
  }
  return map;
}

/** What one instruction reported in a section: its field, or its column of the selector table. */
function report(section: string, instruction: string): string {
  const fields: Record<string, RegExp> = {
    PUSHF: /pushf=(\S+)/,
    POPF: /popf\(IF\^1,IOPL=3\)->(\S+)/,
    SGDT: /sgdt=(\S+)/,
    SIDT: /sidt=(\S+)/,
    SLDT: /sldt=(\S+)/,
    STR: /str=(\S+)/,
    SMSW: /smsw=(\S+)/,
    'PUSH CS': /push cs=(\S+)/,
  };
  const re = fields[instruction];
  if (re) return re.exec(section)?.[1] ?? 'missing';
  const column = new RegExp(
    `^sel (\\S+).* ${instruction.toLowerCase()} (\\S+( [0-9a-f]{8})?)`,
    'gm',
  );
  return [...section.matchAll(column)].map((m) => `${m[1]}:${m[2]}`).join(' ');
}

describe('sensitive instructions reveal state without trapping, at CPL 0, 1 and 3', () => {
  const got = sections(runProgram('pm-sensitive').debug);
  const want = sections(golden('pm-sensitive'));
  const instructions = ['PUSHF', 'POPF', 'SGDT', 'SIDT', 'SLDT', 'STR', 'SMSW', 'PUSH CS'];
  for (const cpl of ['cpl 0', 'cpl 1', 'cpl 3']) {
    for (const insn of [...instructions, 'LAR', 'LSL', 'VERR', 'VERW']) {
      it(`${insn} at ${cpl.toUpperCase()}`, () => {
        const expected = report(want.get(cpl) ?? '', insn);
        expect(expected).not.toBe('');
        expect(report(got.get(cpl) ?? '', insn)).toBe(expected);
      });
    }
  }

  it('POPF at CPL 3 keeps IF and IOPL silently; at CPL 0 it changes both', () => {
    expect(report(want.get('cpl 3') ?? '', 'POPF')).toBe('0200');
    expect(report(want.get('cpl 0') ?? '', 'POPF')).toBe('3000');
    expect(report(want.get('cpl 1') ?? '', 'POPF')).toBe('0200');
  });
});
