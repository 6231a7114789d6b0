// CPU exceptions as typed values with vector and error code (Intel SDM vol. 3A, 6.3 and table 6-1).

/** Exception vectors of the IA-32 architecture. */
export const Vector = {
  DE: 0,
  DB: 1,
  NMI: 2,
  BP: 3,
  OF: 4,
  BR: 5,
  UD: 6,
  NM: 7,
  DF: 8,
  TS: 10,
  NP: 11,
  SS: 12,
  GP: 13,
  PF: 14,
  MF: 16,
  AC: 17,
} as const;

const MNEMONICS: Record<number, string> = {
  0: '#DE',
  1: '#DB',
  2: 'NMI',
  3: '#BP',
  4: '#OF',
  5: '#BR',
  6: '#UD',
  7: '#NM',
  8: '#DF',
  10: '#TS',
  11: '#NP',
  12: '#SS',
  13: '#GP',
  14: '#PF',
  16: '#MF',
  17: '#AC',
};

/** The SDM's short name of an exception vector, such as '#GP'. */
export function vectorName(vector: number): string {
  return MNEMONICS[vector] ?? `vector ${vector}`;
}

/**
 * A fault raised while executing an instruction. It unwinds the instruction (EIP back at its
 * start) and is delivered through the CPU's one routing point (interrupts.ts).
 */
export class CpuFault extends Error {
  /** Exception vector (Vector.GP...). */
  readonly vector: number;
  /** Error code pushed with the exception, or -1 when the exception has none. */
  readonly errorCode: number;

  constructor(vector: number, errorCode = -1) {
    super(`${vectorName(vector)}${errorCode >= 0 ? `(${errorCode})` : ''}`);
    this.name = 'CpuFault';
    this.vector = vector;
    this.errorCode = errorCode;
  }
}
