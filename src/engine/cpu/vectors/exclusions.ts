// Recorded vectors where Bochs 2.7 departs from the Intel SDM, with the reference that decides; replay.test.ts skips them and counts them.

import type { Outcome, Vector } from './replay';
import type { PmVector } from './replay-pm';

/** One Bochs bug: what the SDM says, what Bochs does, and which recorded cases show it. */
export interface Exclusion {
  id: string;
  /** The SDM text vmlab follows instead. */
  sdm: string;
  bochs: string;
  matches(v: Vector): boolean;
  /** What the SDM requires instead: vmlab's outcome for the case must satisfy it. */
  expected(o: Outcome): boolean;
}

export const BOCHS_EXCLUSIONS: readonly Exclusion[] = [
  {
    id: 'conforming-call-pushes-as-supervisor',
    sdm:
      'SDM 2A "CALL", far call to a conforming code segment: the CPL does not change (CS.RPL ' +
      '<- CPL) and CS:EIP are pushed on the current stack; SDM 3A 4.6.1 "Determination of ' +
      'Access Rights": accesses made while CPL = 3 are user-mode accesses, and a user-mode ' +
      'write needs R/W = 1 and U/S = 1 in the page-table entries, else #PF.',
    bochs:
      "call_protected (cpu/call_far.cc) writes the return address with the target segment's " +
      'DPL as the privilege of the access, so a CPL-3 call into DPL-0 conforming code pushes ' +
      'as a supervisor: onto a read-only (CR0.WP = 0) or supervisor-only stack page it ' +
      'succeeds where the CPU raises #PF, and with CR0.WP = 1 its #PF error code lacks U/S.',
    matches: (v) => {
      const p = v as PmVector;
      if (p.cpl !== 3 || !p.paging || !/^call (Ap|Mp)/.test(p.form)) return false;
      const landedInConforming = p.out.vector === 3 && (p.out.sregs[1]! & 0xfffc) === 0x90;
      const supervisorFault = p.out.vector === 14 && ((p.out.error ?? 0) & 4) === 0;
      return ((p.paging.pteStack & 6) !== 6 && landedInConforming) || supervisorFault;
    },
    // A #PF on the push with U/S = 1 and W/R = 1 in its error code.
    expected: (o) => o.vector === 14 && ((o.error ?? 0) & 6) === 6,
  },
];
