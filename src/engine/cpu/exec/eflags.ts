// IF and IOPL: CLI, STI, PUSHF, POPF at every CPL, including what makes x86 hard to virtualize (Intel SDM vol. 2, "CLI", "STI", "PUSHF", "POPF").

import { UnimplementedError } from '../../bus/errors';
import type { Cpu, Handler } from '../cpu';
import { CpuFault, Vector } from '../faults';
import { AC, getEflags, IF, RF, setEflags, VM } from '../flags';
import { pop, push } from '../stack';

const ID = 0x200000;
const IOPL_BITS = 0x3000;
/** Flags POPF may always change: CF PF AF ZF SF TF DF OF NT (IF and IOPL are privileged). */
const POPF_BASE = 0x4dd5;

function requireNotV86(c: Cpu): void {
  if ((c.s.eflags & VM) !== 0) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      'virtual-8086 mode is not implemented',
    );
  }
}

/** The current I/O privilege level (EFLAGS bits 12-13). */
export function iopl(c: Cpu): number {
  return (c.s.eflags >>> 12) & 3;
}

/** #GP(0) for CLI/STI when CPL > IOPL in protected mode (SDM 2A "CLI"). */
function checkIopl(c: Cpu): void {
  if ((c.s.cr0 & 1) === 0) return;
  requireNotV86(c);
  if (c.s.cpl > iopl(c)) throw new CpuFault(Vector.GP, 0);
}

const CLI: Handler = (c) => {
  checkIopl(c);
  setEflags(c.s, 0, IF);
};

// STI delays interrupt recognition until after the next instruction (SDM 2B "STI"), so
// "sti; hlt" cannot miss an interrupt between the two.
const STI: Handler = (c) => {
  checkIopl(c);
  if ((c.s.eflags & IF) === 0) c.s.interruptShadow = true;
  setEflags(c.s, IF, IF);
};

// PUSHF never traps outside virtual-8086 mode: IF and IOPL are visible at any CPL.
// PUSHFD clears VM and RF in the pushed image (SDM 2B "PUSHF").
const PUSHF: Handler = (c, d) => {
  requireNotV86(c);
  push(c, d.opSize, getEflags(c.s) & ~(VM | RF));
};

/**
 * The EFLAGS bits POPF changes: at CPL 0 everything but VM, RF, VIF, VIP; at CPL > 0 IOPL is
 * silently kept, and IF is silently kept when CPL > IOPL. No fault: the Popek-Goldberg flaw.
 */
export function popfMask(c: Cpu, size: number): number {
  let mask = POPF_BASE | AC | ID;
  const real = (c.s.cr0 & 1) === 0;
  if (real || c.s.cpl <= iopl(c)) mask |= IF;
  if (real || c.s.cpl === 0) mask |= IOPL_BITS;
  return size === 16 ? mask & 0xffff : mask;
}

const POPF: Handler = (c, d) => {
  requireNotV86(c);
  const value = pop(c, d.opSize);
  setEflags(c.s, value, popfMask(c, d.opSize) | RF);
  c.s.eflags &= ~RF;
};

/** IF/IOPL-sensitive flag handlers by exec name. */
export const eflagsHandlers: Record<string, Handler> = { CLI, STI, PUSHF, POPF };
