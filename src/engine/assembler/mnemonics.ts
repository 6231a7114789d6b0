// The mnemonics the assembler accepts: opcode-table entries by name and NASM's other spellings (NASM manual appendix B).

import { OPCODE_TABLE, type OpcodeEntry } from '../cpu/opcode-table';
import { describeType } from './operand-types';

/** Encodable opcode-table entries by mnemonic and alias. */
export const BY_MNEMONIC = new Map<string, OpcodeEntry[]>();
for (const e of OPCODE_TABLE) {
  if (e.decodeOnly) continue;
  for (const m of [e.mnemonic, ...e.aliases]) {
    const list = BY_MNEMONIC.get(m) ?? [];
    list.push(e);
    BY_MNEMONIC.set(m, list);
  }
}

/**
 * NASM spellings the table does not list: w-suffixed forms of the size-following
 * instructions, and other names for table entries.
 */
export const SPELLINGS: Record<string, string> = {
  xlat: 'xlatb',
  retn: 'ret',
  iretw: 'iret',
  pushfw: 'pushf',
  popfw: 'popf',
  pushaw: 'pusha',
  popaw: 'popa',
  jecxz: 'jcxz',
  icebp: 'int1',
};
/** Size-suffixed NASM spellings: the table entry and the operand size they ask for. */
export const SIZED_SPELLINGS: Record<string, [string, number]> = {
  retw: ['ret', 16],
  retd: ['ret', 32],
  retnw: ['ret', 16],
  retnd: ['ret', 32],
  retfw: ['retf', 16],
  retfd: ['retf', 32],
};
/** Instructions whose operand size NASM takes from BITS; the table lists their 16-bit form. */
export const FOLLOW_BITS = new Set(['iret', 'pushf', 'popf', 'pusha', 'popa']);
/** Instructions whose address size is part of the name (E3 is JCXZ or JECXZ by address size). */
export const ADDRESS_SIZE: Record<string, number> = { jcxz: 16, jecxz: 32 };

/** True when `mnemonic` (lower case) is an instruction in the opcode table. */
export function isMnemonic(mnemonic: string): boolean {
  return (
    BY_MNEMONIC.has(mnemonic) ||
    BY_MNEMONIC.has(SPELLINGS[mnemonic] ?? '') ||
    BY_MNEMONIC.has(SIZED_SPELLINGS[mnemonic]?.[0] ?? '')
  );
}

const RELATIVE = new Set<string>();
for (const [m, list] of BY_MNEMONIC)
  if (list.some((e) => e.operands.some((t) => describeType(t).method === 'J'))) RELATIVE.add(m);
for (const [k, v] of Object.entries(SPELLINGS)) if (RELATIVE.has(v)) RELATIVE.add(k);

/** True when some form of `mnemonic` takes a relative offset (so its bytes depend on `$`). */
export function isRelative(mnemonic: string): boolean {
  return RELATIVE.has(mnemonic);
}

/** Every mnemonic the assembler accepts, for the editor. */
export function allMnemonics(): string[] {
  return [
    ...BY_MNEMONIC.keys(),
    ...Object.keys(SPELLINGS).filter((k) => BY_MNEMONIC.has(SPELLINGS[k]!)),
  ];
}
