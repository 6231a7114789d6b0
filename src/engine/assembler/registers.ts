// x86 register names as NASM spells them, with their encoding numbers (Intel SDM vol. 2A, table 2-1/2-2).

/** Register classes the assembler distinguishes. */
export type RegClass = 'r8' | 'r16' | 'r32' | 'sreg' | 'creg' | 'dreg' | 'treg';

/** A register operand: its class, encoding number and width in bits. */
export interface RegisterInfo {
  name: string;
  cls: RegClass;
  num: number;
  size: number;
}

const TABLE: Record<string, RegisterInfo> = {};
const add = (names: string[], cls: RegClass, size: number) =>
  names.forEach((name, num) => {
    TABLE[name] = { name, cls, num, size };
  });
add(['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'], 'r8', 8);
add(['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'], 'r16', 16);
add(['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'], 'r32', 32);
add(['es', 'cs', 'ss', 'ds', 'fs', 'gs'], 'sreg', 16);
add(['cr0', 'cr1', 'cr2', 'cr3', 'cr4', 'cr5', 'cr6', 'cr7'], 'creg', 32);
add(['dr0', 'dr1', 'dr2', 'dr3', 'dr4', 'dr5', 'dr6', 'dr7'], 'dreg', 32);
add(['tr0', 'tr1', 'tr2', 'tr3', 'tr4', 'tr5', 'tr6', 'tr7'], 'treg', 32);
delete TABLE.cr1;
delete TABLE.cr5;
delete TABLE.cr6;
delete TABLE.cr7;
delete TABLE.tr0;
delete TABLE.tr1;
delete TABLE.tr2;

/** Every register name, for the editor's completion and hover. */
export const REGISTER_NAMES: readonly string[] = Object.keys(TABLE);

/** Looks up a register by lower-case name. */
export function registerInfo(name: string): RegisterInfo | undefined {
  return Object.hasOwn(TABLE, name) ? TABLE[name] : undefined;
}

/** True when `name` (lower case) is a register name. */
export function isRegister(name: string): boolean {
  return Object.hasOwn(TABLE, name);
}
