// The fast tier's block chains: basic blocks (or translated regions of them) run back to back, each finding its successor through a small link cache (DESIGN.md 2.1 "Speed").

import { type Block, BlockCache } from './block-cache';
import { translateRegion } from './block-region';
import type { Cpu } from './cpu';
import { CpuFault, Vector } from './faults';
import { settleException } from './interpreter';
import { lockViolation } from './opcode-validity';
import { effectiveAddress } from './operands';
import { ACCESS_FETCH, ACCESS_USER } from './paging';
import { CS } from './state';

/**
 * Chain numbers, in one const object (V8 writes module-level `let`s through a slow path). A
 * link from a block to its successor is only trusted in the chain that made it: inside one
 * chain, CS, CPL and paging cannot change (no block holds an instruction that changes them),
 * so the successor's fetch and limit checks made at link time still hold.
 */
const chains = { epoch: 0 };

/** Translates a hot block and its neighbours; where the host forbids `new Function` (a strict CSP), blocks stay interpreted. */
function translate(cpu: Cpu, blocks: BlockCache, block: Block): void {
  try {
    translateRegion(block, cpu.mem);
  } catch {
    blocks.hotRuns = Number.POSITIVE_INFINITY;
  }
}

/**
 * The runnable block at CS:`eip`: fetchable without a fault, in RAM, inside the CS limit and
 * not wrapping IP; null when step() must run the instruction (or raise its fetch fault).
 */
function lookupBlock(cpu: Cpu, eip: number): Block | null {
  const s = cpu.s;
  const limit = s.segLimit[CS]!;
  if (eip > limit) return null;
  const codeSize = (s.segAttr[CS]! & 0x4000) !== 0 ? 32 : 16;
  const lin = (s.segBase[CS]! + eip) >>> 0;
  let phys: number;
  try {
    phys = cpu.translate(lin, ACCESS_FETCH | (s.cpl === 3 ? ACCESS_USER : 0));
  } catch {
    return null;
  }
  const mem = cpu.mem;
  if (phys + 16 > mem.size) return null;
  if (cpu.blocks === null) cpu.blocks = new BlockCache(mem);
  const block = cpu.blocks.get(phys, codeSize);
  const end = eip + block.length;
  if (block.insns.length === 0 || end > limit || (codeSize === 16 && end > 0xffff)) return null;
  return block;
}

/**
 * The block that followed `b` at EIP `eip` earlier in chain `epoch`, if its object still
 * holds the same code (slots are reused) and its frame was not written since.
 */
function successor(b: Block, eip: number, epoch: number, gens: Int32Array): Block | null {
  let next: Block | null = null;
  if (b.next0Eip === eip && b.next0Epoch === epoch) {
    next = b.next0;
    if (next === null || next.phys !== b.next0Phys || next.size !== b.size) return null;
  } else if (b.next1Eip === eip && b.next1Epoch === epoch) {
    next = b.next1;
    if (next === null || next.phys !== b.next1Phys || next.size !== b.size) return null;
  } else {
    return null;
  }
  return next.gen === gens[next.phys >>> 12] ? next : null;
}

/** Remembers `next` as `b`'s successor at `eip` in chain `epoch` (the older link moves to slot 1). */
function link(b: Block, next: Block, eip: number, epoch: number): void {
  b.next1 = b.next0;
  b.next1Eip = b.next0Eip;
  b.next1Phys = b.next0Phys;
  b.next1Epoch = b.next0Epoch;
  b.next0 = next;
  b.next0Eip = eip;
  b.next0Phys = next.phys;
  b.next0Epoch = epoch;
}

/**
 * Runs blocks from CS:EIP, up to `limit` steps, as that many step() calls would, and returns
 * the step count. Returns once the limit is reached (clean: the caller may go on after its
 * boundary checks), or early after an MMIO access, a delivered fault, or an instruction no
 * block holds (run by `single`, which the caller passes as its one-step path).
 */
export function runChain(cpu: Cpu, limit: number, single: (cpu: Cpu) => boolean): number {
  const s = cpu.s;
  const mem = cpu.mem;
  const gens = mem.frameGen;
  const epoch = ++chains.epoch;
  let eip0 = s.eip;
  let block = lookupBlock(cpu, eip0);
  if (block === null) {
    single(cpu); // raises and delivers a fetch fault, or runs an instruction no block holds
    return 1;
  }
  const blocks = cpu.blocks!;
  let n = 0;
  try {
    for (;;) {
      const mmio = mem.mmioAccesses;
      if (block.fn === null && ++block.runs > blocks.hotRuns) translate(cpu, blocks, block);
      const fn = block.fn;
      // A translation runs whole blocks only: one that does not fit is interpreted.
      const k = fn !== null ? fn(cpu, eip0 - (block.phys & 0xfff), limit - n, block.gen, mmio) : 0;
      n += k > 0 ? k : interpretBlock(cpu, block, eip0, limit - n, block.gen, mmio);
      if (n >= limit || mem.mmioAccesses !== mmio) return n;
      eip0 = s.eip;
      let next = successor(block, eip0, epoch, gens);
      if (next === null) {
        next = lookupBlock(cpu, eip0);
        if (next === null) break;
        link(block, next, eip0, epoch);
      }
      block = next;
    }
  } catch (e) {
    // The faulting instruction is settled as step() settles one; those before it retired.
    const start = cpu.blockFault;
    cpu.instructionStart = start;
    settleException(cpu, e, start);
    return n + cpu.blockRetired + 1;
  }
  single(cpu); // an instruction no block holds (outside the try: it settles its own faults)
  return n + 1;
}

/** A block's instructions one by one, with the bookkeeping of block-compiler.ts. */
function interpretBlock(
  cpu: Cpu,
  block: Block,
  eip0: number,
  limit: number,
  gen: number,
  mmio: number,
): number {
  const s = cpu.s;
  const mem = cpu.mem;
  const insns = block.insns;
  const frame = block.phys >>> 12;
  const count = insns.length < limit ? insns.length : limit;
  let i = 0;
  try {
    while (i < count) {
      const d = insns[i]!;
      if (d.lock && lockViolation(d)) throw new CpuFault(Vector.UD);
      s.eip = eip0 + block.offsets[i]! + d.length;
      if (d.hasMem) cpu.ea = effectiveAddress(s, d);
      d.handler!(cpu, d);
      s.icount++;
      i++;
      if (mem.frameGen[frame] !== gen || mem.mmioAccesses !== mmio) break;
    }
  } catch (e) {
    cpu.blockFault = eip0 + block.offsets[i]!;
    cpu.blockRetired = i;
    throw e;
  }
  return i;
}
