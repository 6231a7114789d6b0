// The fast tier's basic blocks: straight-line runs of decoded instructions inside one physical frame (DESIGN.md 2.1 "Speed").

import type { PhysicalMemory } from '../bus/physical-memory';
import type { BlockFn } from './block-compiler';
import type { Region } from './block-region';
import { ArrayCodeSource, DecodedInstruction } from './decoded-instruction';
import { decode } from './decoder';
import { DISPATCH } from './interpreter';
import { OPCODE_TABLE } from './opcode-table';

/**
 * Instructions a block may hold: their bodies change only general registers, flags, memory
 * and (for the last one) EIP, never IF, TF, CS, CPL, paging, debug registers, the interrupt
 * shadow or a device. Everything else (I/O, far transfers, segment loads, POPF, STI, HLT,
 * string instructions, system instructions) runs one instruction at a time.
 */
// biome-ignore format: a table
const BODY = new Set([
  'ADD', 'ADC', 'SUB', 'SBB', 'CMP', 'INC', 'DEC', 'NEG', 'AND', 'OR', 'XOR', 'TEST', 'NOT',
  'MOV', 'LEA', 'MOVZX', 'MOVSX', 'XCHG', 'CBW', 'CWD', 'PUSH', 'POP',
  'SHL', 'SHR', 'SAR', 'ROL', 'ROR', 'RCL', 'RCR', 'SHLD', 'SHRD',
  'MUL', 'IMUL', 'IMUL2', 'IMUL3', 'DIV', 'IDIV',
]);
/** Near control transfers: they end a block. */
// biome-ignore format: a table
const END = new Set([
  'JMP_REL', 'JMP_INDIRECT', 'JCC', 'LOOP', 'JCXZ', 'CALL_REL', 'CALL_INDIRECT', 'RET',
]);

const KIND_NONE = 0;
const KIND_BODY = 1;
const KIND_END = 2;
/** Block role of each opcode-table entry. */
const ROLE = new Uint8Array(OPCODE_TABLE.length);
for (const e of OPCODE_TABLE) {
  ROLE[e.index] = BODY.has(e.exec) ? KIND_BODY : END.has(e.exec) ? KIND_END : KIND_NONE;
}

/** Longest block, in instructions. */
const MAX_BLOCK = 32;
const SLOTS = 1 << 13;
const MASK = SLOTS - 1;

/** A basic block: decoded instructions from `phys` on, valid while its frame's generation is `gen`. */
export class Block {
  phys = -1;
  size = 0;
  gen = 0;
  /** Bytes the instructions span, and a copy of them. */
  length = 0;
  code = new Uint8Array(0);
  /** The instructions; empty when the first one cannot be in a block. */
  readonly insns: DecodedInstruction[] = [];
  /** EIP offset of each instruction from the block's start. */
  readonly offsets: number[] = [];
  /** Runs so far; the block is translated once it is hot. */
  runs = 0;
  /** The translation, once hot: its region's function. */
  fn: BlockFn | null = null;
  /** The region `fn` belongs to (block-region.ts). */
  region: Region | null = null;
  /**
   * The blocks that ran next (block-chain.ts): at EIP `next0Eip`, whose object then held
   * physical `next0Phys`, in chain `next0Epoch`; slot 1 likewise (a Jcc or RET has two).
   */
  next0: Block | null = null;
  next0Eip = -1;
  next0Phys = -1;
  next0Epoch = -1;
  next1: Block | null = null;
  next1Eip = -1;
  next1Phys = -1;
  next1Epoch = -1;
}

/** Blocks by physical address, direct-mapped, rebuilt when their frame is written. */
export class BlockCache {
  private readonly slots: (Block | undefined)[] = new Array(SLOTS).fill(undefined);
  private readonly source: ArrayCodeSource;
  /** Runs of a block before it is translated to a JS function (tests set 0 to translate all). */
  hotRuns = 64;

  constructor(private readonly mem: PhysicalMemory) {
    this.source = new ArrayCodeSource(mem.bytes);
  }

  /** The block at `phys` for code size `size`, built from RAM when absent or stale. */
  get(phys: number, size: number): Block {
    const i = (phys ^ (phys >>> 13)) & MASK;
    let b = this.slots[i];
    const gen = this.mem.frameGen[phys >>> 12]!;
    if (b !== undefined && b.phys === phys && b.size === size) {
      if (b.gen === gen) return b;
      if (this.unchanged(b)) {
        // Data written next to the code: the block's bytes are intact, keep its translation
        // if its region's other blocks are intact too.
        b.gen = gen;
        const region = b.region;
        if (region !== null && region.gen !== gen && !region.refresh(this.mem, gen)) {
          b.fn = null;
          b.region = null;
        }
        this.mem.codeFrames[phys >>> 12] = 1;
        return b;
      }
    }
    if (b === undefined) {
      b = new Block();
      this.slots[i] = b;
    }
    this.build(b, phys, size);
    return b;
  }

  /** True when RAM still holds the bytes `b` was decoded from. */
  private unchanged(b: Block): boolean {
    const ram = this.mem.bytes;
    const code = b.code;
    for (let i = 0; i < b.length; i++) if (ram[b.phys + i] !== code[i]) return false;
    return true;
  }

  private build(b: Block, phys: number, size: number): void {
    const mem = this.mem;
    const frame = phys >>> 12;
    const end = Math.min((frame + 1) * 4096, mem.size);
    const insns = b.insns;
    insns.length = 0;
    b.offsets.length = 0;
    b.runs = 0;
    b.fn = null;
    b.region = null;
    let at = phys;
    while (insns.length < MAX_BLOCK) {
      const d = new DecodedInstruction();
      this.source.start = at;
      try {
        decode(this.source, d, size as 16 | 32);
      } catch {
        break; // an over-long instruction: step() raises its #GP
      }
      const entry = d.entry;
      if (entry === null || at + d.length > end) break;
      const role = ROLE[entry.index]!;
      const handler = DISPATCH[entry.index];
      if (role === KIND_NONE || handler === undefined) break;
      d.handler = handler;
      b.offsets.push(at - phys);
      insns.push(d);
      at += d.length;
      if (role === KIND_END) break;
    }
    b.phys = phys;
    b.size = size;
    b.gen = mem.frameGen[frame]!;
    b.length = at - phys;
    b.code = mem.bytes.slice(phys, at);
    mem.codeFrames[frame] = 1;
  }
}
