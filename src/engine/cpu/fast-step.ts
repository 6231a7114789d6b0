// The fast tier: the reference interpreter's step with decoded instructions cached per physical address (DESIGN.md 2.1 "Speed").

import { EngineError } from '../bus/errors';
import { type Block, BlockCache } from './block-cache';
import { compileBlock } from './block-compiler';
import type { Cpu } from './cpu';
import { checkInstructionBreakpoints } from './debug';
import type { DecodedInstruction } from './decoded-instruction';
import { decode } from './decoder';
import { CpuFault, Vector } from './faults';
import { openFetchWindow } from './fetch';
import { IF, RF, TF } from './flags';
import {
  atBoundary,
  DISPATCH,
  execute,
  formatLocation,
  type IcountDeadline,
  retire,
  settleException,
} from './interpreter';
import { deliverEvent, EVENT_EXCEPTION } from './interrupts';
import { lockViolation } from './opcode-validity';
import { effectiveAddress } from './operands';
import { ACCESS_FETCH, ACCESS_USER } from './paging';
import { CS } from './state';

/**
 * Fetches the decoded instruction at CS:EIP: from the decode cache when RAM still holds the
 * bytes it was decoded from, else decoded as the reference interpreter does and cached when
 * it lies in one page of RAM inside the CS limit. Raises the fetch faults step() raises.
 */
function fetchDecoded(cpu: Cpu, codeSize: 16 | 32): DecodedInstruction {
  const s = cpu.s;
  const eip = s.eip;
  const limit = s.segLimit[CS]!;
  if (eip > limit) {
    const d = cpu.d;
    decode(openFetchWindow(cpu), d, codeSize); // raises the #GP of the first byte
    d.handler = d.entry !== null ? (DISPATCH[d.entry.index] ?? null) : null;
    return d;
  }
  const lin = (s.segBase[CS]! + eip) >>> 0;
  const phys = cpu.translate(lin, ACCESS_FETCH | (s.cpl === 3 ? ACCESS_USER : 0));
  const cache = cpu.decodeCache;
  const hit = cache.lookup(phys, codeSize);
  if (hit !== null && eip + hit.length - 1 <= limit) return hit;
  const d = cache.claim(phys);
  decode(openFetchWindow(cpu), d, codeSize);
  const n = d.length;
  const entry = d.entry;
  d.handler = entry !== null ? (DISPATCH[entry.index] ?? null) : null;
  const inFrame = (phys & 0xfff) + n <= 4096 && phys + n <= cpu.mem.size;
  if (d.handler !== null && inFrame && eip + n - 1 <= limit) cache.tag(d, phys, codeSize);
  return d;
}

/**
 * Executes one instruction exactly as interpreter.ts step() does (same faults, events,
 * single-step and breakpoint handling, same return value), with decoding skipped when the
 * instruction's bytes are unchanged since it was last decoded.
 */
export function stepFast(cpu: Cpu): boolean {
  const s = cpu.s;
  const start = s.eip;
  if (!atBoundary(cpu)) return false;
  const flagsAtStart = s.eflags;
  try {
    if ((s.dr[7]! & 0xff) !== 0 && (flagsAtStart & RF) === 0) checkInstructionBreakpoints(cpu);
    const codeSize = (s.segAttr[CS]! & 0x4000) !== 0 ? 32 : 16;
    const d = fetchDecoded(cpu, codeSize);
    execute(cpu, d, d.handler, start, codeSize);
  } catch (e) {
    return settleException(cpu, e, start);
  }
  return retire(cpu, flagsAtStart);
}

/**
 * interpreter.ts runSteps on the fast tier: the same stops. Where step() would accept no event
 * and check no breakpoint (no shadow, NMI or deliverable INTR, TF, RF, DR7 breakpoints or data
 * watch), a basic block runs its instructions back to back; else stepFast runs one.
 */
export function runFast(cpu: Cpu, maxSteps: number, deadline: IcountDeadline): number {
  const s = cpu.s;
  const ic = cpu.interruptController;
  let n = 0;
  do {
    const limit = Math.min(maxSteps - n, deadline.nextIcount - s.icount);
    if (
      limit > 0 &&
      !s.interruptShadow &&
      !s.halted &&
      !s.nmiPending &&
      (s.eflags & (TF | RF)) === 0 &&
      (s.dr[7]! & 0xff) === 0 &&
      !cpu.dataWatch &&
      ((s.eflags & IF) === 0 || ic === null || !ic.hasInterrupt())
    ) {
      // Blocks follow one another without these checks while nothing could change their
      // outcome: no fault, no single step, no MMIO access (runBlock says so in chain.clean).
      let left = limit;
      chain.epoch++;
      chain.last = null;
      do {
        const k = runBlock(cpu, left);
        n += k;
        left -= k;
      } while (chain.clean && left > 0);
    } else {
      stepFast(cpu);
      n++;
    }
  } while (n < maxSteps && !cpu.stopRequested && !s.halted && s.icount < deadline.nextIcount);
  return n;
}

/** Translates a hot block; where the host forbids `new Function` (a strict CSP), blocks stay interpreted. */
function translate(blocks: BlockCache, block: Block): void {
  try {
    block.fn = compileBlock(block.insns, block.phys >>> 12);
  } catch {
    blocks.hotRuns = Number.POSITIVE_INFINITY;
  }
}

/**
 * The chain of blocks in progress, in one const object: V8 writes module-level `let`s through a
 * slow path. `clean` is false after a runBlock that stepped one instruction, delivered a fault
 * or touched MMIO; chains are numbered (`epoch`), and a block's link to its successor holds
 * for one chain; `last` is the block run last in the chain.
 */
const chain: { clean: boolean; epoch: number; last: Block | null } = {
  clean: false,
  epoch: 0,
  last: null,
};

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
 * Runs up to `limit` instructions of the block at CS:EIP, as many step() calls would (each
 * retires, or the first fault is delivered and ends the block), and returns the step count.
 * A block ends early after an instruction that wrote its own frame or touched MMIO.
 */
function runBlock(cpu: Cpu, limit: number): number {
  const s = cpu.s;
  const eip0 = s.eip;
  const mem = cpu.mem;
  const prev = chain.last;
  let block: Block;
  const link = prev?.link;
  if (
    prev !== null &&
    link !== null &&
    link !== undefined &&
    prev.linkEpoch === chain.epoch &&
    prev.linkEip === eip0 &&
    link.phys === prev.linkPhys &&
    link.size === prev.size &&
    link.gen === mem.frameGen[link.phys >>> 12]
  ) {
    // The block that followed `prev` last time in this chain: CS, CPL and paging are as they
    // were when it was looked up, so its fetch and limit checks still hold.
    block = link;
  } else {
    const found = lookupBlock(cpu, eip0);
    if (found === null) {
      chain.clean = false;
      stepFast(cpu); // raises and delivers a fetch fault, or runs an instruction no block holds
      return 1;
    }
    block = found;
    if (prev !== null) {
      prev.link = block;
      prev.linkEip = eip0;
      prev.linkPhys = block.phys;
      prev.linkEpoch = chain.epoch;
    }
  }
  chain.last = block;
  const gen = block.gen;
  const mmio = mem.mmioAccesses;
  if (block.fn === null && ++block.runs > cpu.blocks!.hotRuns) translate(cpu.blocks!, block);
  let retired: number;
  try {
    if (block.fn !== null) {
      retired = block.fn(cpu, eip0, limit, gen, mmio);
    } else {
      retired = interpretBlock(cpu, block, eip0, limit, gen, mmio);
    }
  } catch (e) {
    const start = eip0 + block.offsets[cpu.blockFault]!;
    cpu.instructionStart = start;
    s.eip = start;
    const cs = s.seg[CS]!;
    if (e instanceof CpuFault) {
      try {
        deliverEvent(cpu, e.vector, EVENT_EXCEPTION, start, e.errorCode);
      } catch (inner) {
        if (inner instanceof EngineError) inner.locate(cs, start, formatLocation(cs, start));
        throw inner;
      }
      chain.clean = false;
      return cpu.blockRetired + 1;
    }
    if (e instanceof EngineError) e.locate(cs, start, formatLocation(cs, start));
    throw e;
  }
  chain.clean = mem.mmioAccesses === mmio;
  return retired;
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
    cpu.blockFault = i;
    cpu.blockRetired = i;
    throw e;
  }
  return i;
}
