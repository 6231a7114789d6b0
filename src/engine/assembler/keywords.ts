// The words that start a NASM source line: mnemonics, prefixes, data and reserve words, directives (NASM manual 3.1, 3.2).

import { isMnemonic } from './mnemonics';

/** The instruction mnemonics, as a set. */
export const MNEMONICS = { has: isMnemonic };
/** Prefix words (NASM manual 3.1): repeat, lock, segment overrides and size overrides. */
export const PREFIXES = new Set([
  'o16',
  'o32',
  'a16',
  'a32',
  'rep',
  'repe',
  'repz',
  'repne',
  'repnz',
  'lock',
  'es',
  'cs',
  'ss',
  'ds',
  'fs',
  'gs',
]);
/** Data definitions and their item width in bytes. */
export const DATA: Record<string, number> = { db: 1, dw: 2, dd: 4, dq: 8 };
/** Reservations and their unit width in bytes. */
export const RESERVE: Record<string, number> = { resb: 1, resw: 2, resd: 4, resq: 8 };
/** Assembler directives, in both their plain and [bracketed] forms. */
export const DIRECTIVES = new Set([
  'org',
  'absolute',
  'incbin',
  'alignb',
  'bits',
  'use16',
  'use32',
  'align',
  'section',
  'segment',
  'cpu',
  'global',
  'extern',
  'default',
]);
/** Size keywords and their width in bits. */
export const SIZES: Record<string, number> = { byte: 8, word: 16, dword: 32, qword: 64, tword: 80 };
/** Words NASM knows that a flat binary cannot honour. */
export const UNSUPPORTED = new Set(['common']);

/**
 * x87 mnemonics: the CPU has no FPU (its opcodes raise #NM or #UD), so the assembler says so
 * rather than taking `fninit` alone on a line for a label.
 */
export const X87 = new Set(
  (
    'f2xm1 fabs fadd faddp fbld fbstp fchs fclex fcom fcomp fcompp fcos fdecstp fdisi fdiv ' +
    'fdivp fdivr fdivrp feni ffree fiadd ficom ficomp fidiv fidivr fild fimul fincstp finit ' +
    'fist fistp fisub fisubr fld fld1 fldcw fldenv fldl2e fldl2t fldlg2 fldln2 fldpi fldz fmul ' +
    'fmulp fnclex fndisi fneni fninit fnop fnsave fnstcw fnstenv fnstsw fpatan fprem fprem1 ' +
    'fptan frndint frstor fsave fscale fsetpm fsin fsincos fsqrt fst fstcw fstenv fstp fstsw ' +
    'fsub fsubp fsubr fsubrp ftst fucom fucomp fucompp fwait fxam fxch fxtract fyl2x fyl2xp1'
  ).split(' '),
);

/** True when `word` (lower case) starts an instruction or directive. */
export function isKeyword(word: string): boolean {
  return (
    MNEMONICS.has(word) ||
    PREFIXES.has(word) ||
    word in DATA ||
    word in RESERVE ||
    DIRECTIVES.has(word) ||
    UNSUPPORTED.has(word) ||
    X87.has(word) ||
    word === 'times' ||
    word === 'equ'
  );
}
