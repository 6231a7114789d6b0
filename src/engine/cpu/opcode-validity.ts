// Which encodings raise #UD on a 486 and which are valid but not implemented by vmlab (SDM 2D appendix A; 2A 2.1.1 "LOCK").

import { UnimplementedError } from '../bus/errors';
import { type DecodedInstruction, formatBytes, OPK_MEM } from './decoded-instruction';
import { CpuFault, Vector } from './faults';
import { OPCODE_KEYS, OPCODE_TABLE } from './opcode-table';

/**
 * Opcode keys a 486 defines that the table may not hold yet (system instructions, added by
 * protected-mode work): ICEBP, the 0F 00 and 0F 01 groups, LAR, LSL, CLTS, INVD,
 * WBINVD, MOV to and from CRn, DRn and the 486 test registers TRn.
 */
const DEFINED_ELSEWHERE = [
  0xf1, 0x100, 0x101, 0x102, 0x103, 0x106, 0x108, 0x109, 0x120, 0x121, 0x122, 0x123, 0x124, 0x126,
];

/** 1 where the table has some entry for the opcode key (any ModRM.reg or operand size). */
const IN_TABLE = new Uint8Array(OPCODE_KEYS);
for (const e of OPCODE_TABLE) {
  const keys = e.plusReg ? 8 : 1;
  for (let k = 0; k < keys; k++) IN_TABLE[e.opcode + k] = 1;
}
const PENDING = new Uint8Array(OPCODE_KEYS);
for (const k of DEFINED_ELSEWHERE) PENDING[k] = 1;

/**
 * The error for an instruction the interpreter cannot run: #UD for an encoding the 486
 * leaves undefined (a hole in the opcode map or a group, a register where memory is
 * required, MOV to CS), an UnimplementedError for a defined instruction vmlab lacks.
 */
export function missingInstructionError(d: DecodedInstruction): Error {
  if (d.entry) {
    return new UnimplementedError(
      'unimplemented-instruction',
      `unimplemented instruction ${formatBytes(d)} (${d.entry.mnemonic})`,
    );
  }
  if (PENDING[d.opcode] && !IN_TABLE[d.opcode]) {
    return new UnimplementedError(
      'unimplemented-instruction',
      `unimplemented instruction ${formatBytes(d)}`,
    );
  }
  return new CpuFault(Vector.UD);
}

// LOCK is valid only on the memory-destination forms of these (SDM 2B "LOCK").
const LOCKABLE_EXECS = new Set([
  'ADD',
  'ADC',
  'AND',
  'BTC',
  'BTR',
  'BTS',
  'CMPXCHG',
  'CMPXCHG8B',
  'DEC',
  'INC',
  'NEG',
  'NOT',
  'OR',
  'SBB',
  'SUB',
  'XOR',
  'XADD',
  'XCHG',
]);

/** 1 for entries whose first operand is r/m and whose exec accepts LOCK. */
const LOCKABLE = new Uint8Array(OPCODE_TABLE.length);
for (const e of OPCODE_TABLE) {
  const first = e.operands[0];
  if (LOCKABLE_EXECS.has(e.exec) && (first === 'Eb' || first === 'Ev' || first === 'M')) {
    LOCKABLE[e.index] = 1;
  }
}

/** True when `d` has a LOCK prefix it may not carry: the instruction then raises #UD. */
export function lockViolation(d: DecodedInstruction): boolean {
  return d.lock && (d.entry === null || !LOCKABLE[d.entry.index] || d.kind[0] !== OPK_MEM);
}
