// The decoded form of one x86 instruction, shared by the decoder, the interpreter and (later) the disassembler.

import type { Handler } from './cpu';
import type { OpcodeEntry } from './opcode-table';
import { DS } from './state';

/** Kinds of decoded operand. */
export const OPK_NONE = 0;
export const OPK_REG = 1;
export const OPK_SREG = 2;
export const OPK_MEM = 3;
export const OPK_IMM = 4;
export const OPK_FAR = 5;
export const OPK_CREG = 6; // control register CRn (reg field)
export const OPK_DREG = 7; // debug register DRn (reg field)

/** Where the decoder reads instruction bytes: `offset` counts from the first prefix. */
export interface CodeSource {
  codeByte(offset: number): number;
}

/** The longest legal instruction; a longer one raises #GP(0) (SDM 2A 2.3.11). */
export const MAX_INSTRUCTION_LENGTH = 15;

/**
 * A decoded instruction. One object is reused for every instruction so that decoding
 * allocates nothing; operands live in small typed arrays indexed by operand position.
 */
export class DecodedInstruction {
  /** The table entry, or null when the opcode is not in the table. */
  entry: OpcodeEntry | null = null;
  length = 0;
  /** Opcode key: the byte, or 0x100 | byte for 0F xx. */
  opcode = 0;
  /** The ModRM byte, or -1. */
  modrm = -1;
  opSize = 16;
  adSize = 16;
  /** Segment override prefix (ES..GS), or -1. */
  segOverride = -1;
  /** 0xF3 (REP/REPE), 0xF2 (REPNE) or 0. */
  rep = 0;
  lock = false;
  /** Memory operand: segment (after overrides), base and index registers (-1 none), scale, displacement. */
  hasMem = false;
  memSeg = DS;
  memBase = -1;
  memBase2 = -1;
  memIndex = -1;
  memScale = 0;
  disp = 0;
  /** Number of operands and their kind, size in bits, register number and immediate value. */
  count = 0;
  readonly kind = new Uint8Array(3);
  readonly size = new Uint8Array(3);
  readonly reg = new Uint8Array(3);
  readonly imm = new Float64Array(3);
  /** Selector of a far pointer operand (Ap). */
  farSeg = 0;
  /** The instruction's bytes, for error messages and the disassembler. */
  readonly bytes = new Uint8Array(MAX_INSTRUCTION_LENGTH);
  /** Decode-cache tag (decode-cache.ts): physical address of byte 0, or -1 when not cached. */
  cachePhys = -1;
  /** Decode-cache tag: the default operand size (CS.D) the bytes were decoded with. */
  cacheSize = 0;
  /** Decode-cache tag: the frame's write generation (PhysicalMemory.frameGen) at decode time. */
  cacheGen = 0;
  /** Decode-cache: the instruction body of `entry`, looked up once per decode. */
  handler: Handler | null = null;
}

/** Formats the instruction's first `d.length` bytes as upper-case hex pairs. */
export function formatBytes(d: DecodedInstruction): string {
  const parts: string[] = [];
  for (let i = 0; i < d.length; i++)
    parts.push(d.bytes[i]!.toString(16).toUpperCase().padStart(2, '0'));
  return parts.join(' ');
}

/** A CodeSource over a byte array, for tests, the disassembler and the assembler's checks. */
export class ArrayCodeSource implements CodeSource {
  constructor(
    private readonly bytes: ArrayLike<number>,
    public start = 0,
  ) {}

  codeByte(offset: number): number {
    return this.bytes[this.start + offset] ?? 0;
  }
}
