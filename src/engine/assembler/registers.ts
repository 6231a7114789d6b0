// x86 register names as NASM spells them, with their encoding numbers (Intel SDM vol. 2A, table 2-1/2-2).

/** Register classes the assembler distinguishes. */
export type RegClass = 'r8' | 'r16' | 'r32' | 'sreg';

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

/** Looks up a register by lower-case name. */
export function registerInfo(name: string): RegisterInfo | undefined {
  return Object.hasOwn(TABLE, name) ? TABLE[name] : undefined;
}

/** True when `name` (lower case) is a register name. */
export function isRegister(name: string): boolean {
  return Object.hasOwn(TABLE, name);
}
