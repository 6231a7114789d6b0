// The fast tier's translation of hot basic blocks to JS: one function per region of blocks in a frame (DESIGN.md 2.1 "Speed").

import { eaSource, emit, type FlagState, flagsAfter } from './block-emit';
import { REGION_PROLOGUE } from './block-memory';
import type { Cpu, Handler } from './cpu';
import type { DecodedInstruction } from './decoded-instruction';
import { CpuFault, Vector } from './faults';
import { condition, getCF } from './flags';
import { lockViolation } from './opcode-validity';
import { HOST_LE } from './ram-access';
import { adjustSp, pop16, pop32, push16, push32 } from './stack';

/**
 * A translated region (block-region.ts): runs blocks of one frame from EIP `eipBase` + the
 * offset of the current EIP in the frame, moving from block to block inside the frame while
 * each next block is one of its own, fits in `limit` steps and ends inside the CS limit;
 * returns how many instructions retired (0 when the first block did not qualify). It stops
 * after an instruction that wrote the frame (generation `gen` moved) or touched MMIO. On a
 * fault it stores the faulting instruction's EIP in cpu.blockFault and the count retired
 * before it in cpu.blockRetired, and rethrows, so the caller delivers it as step() would.
 */
export type BlockFn = (
  cpu: Cpu,
  eipBase: number,
  limit: number,
  gen: number,
  mmio: number,
) => number;

/** What translated code may call besides the handlers. */
const HELPERS = {
  CpuFault,
  UD: Vector.UD,
  GP: Vector.GP,
  lockViolation,
  getCF,
  condition,
  push16,
  push32,
  pop16,
  pop32,
  adjustSp,
  HOST_LE,
};

/** Inline forms that end with a control transfer: they set EIP themselves. */
const BRANCHES = new Set(['JCC', 'JMP_REL', 'LOOP', 'CALL_REL', 'RET']);

/** A block to translate: its instructions, laid out from offset `at` of the frame over `length` bytes. */
export interface RegionMember {
  insns: readonly DecodedInstruction[];
  at: number;
  length: number;
}

/**
 * One block's statements, for EIP `e0` at its start. The bookkeeping is step()'s: LOCK
 * checked, EIP past the instruction before a handler runs, the effective address computed,
 * icount counted once it retires. Instructions that only touch registers and cannot fault
 * defer their EIP and icount updates: nothing can observe them before the next store.
 */
function blockLines(
  m: RegionMember,
  k: number,
  frame: number,
  names: string[],
  values: unknown[],
): string[] {
  const lines: string[] = [];
  const insns = m.insns;
  const n = insns.length;
  let offset = 0;
  let pending = 0;
  let flags: FlagState | null = null;
  let branched = false;
  // The check after the last non-pure instruction: a handler's (full) or an inline form's.
  let last = '';
  insns.forEach((d, i) => {
    const start = offset;
    offset += d.length;
    const code = d.lock ? null : emit(d, offset, flags);
    flags = flagsAfter(d, code !== null, flags);
    if (code?.pure) {
      lines.push(code.code);
      pending++;
      branched = false;
      return;
    }
    if (pending > 0) lines.push(`s.icount += ${pending};`);
    pending = 0;
    lines.push(`i = ${i}; f = e0 + ${start};`);
    const exec = d.entry?.exec ?? '';
    if (code !== null) {
      lines.push(code.code, 's.icount++;');
    } else {
      const h = `H${k}_${i}`;
      const dn = `D${k}_${i}`;
      names.push(h, dn);
      values.push(d.handler as Handler, d);
      if (d.lock) lines.push(`if (lockViolation(${dn})) throw new CpuFault(UD);`);
      lines.push(`s.eip = e0 + ${offset};`);
      if (d.hasMem) lines.push(`cpu.ea = ${eaSource(d)};`);
      lines.push(`${h}(cpu, ${dn});`, 's.icount++;');
    }
    // A handler sets EIP itself (before the call, or to its jump target): never overwrite it.
    branched = code === null || BRANCHES.has(exec);
    // A handler may have written memory or touched MMIO; an inline form only when it took a
    // Cpu method (its slow path sets `slow`): stop when it wrote this frame or reached a device.
    const moved = `fg[${frame}] !== gen || mem.mmioAccesses !== mmio`;
    last =
      code === null
        ? `if (${moved}) return base;`
        : `if (slow !== 0) { slow = 0; if (${moved}) return base; }`;
    if (i < n - 1) {
      const exit = `{ s.eip = e0 + ${offset}; return base + ${i + 1}; }`;
      lines.push(
        code === null
          ? `if (${moved}) ${exit}`
          : `if (slow !== 0) { slow = 0; if (${moved}) ${exit} }`,
      );
    }
  });
  if (pending > 0) lines.push(`s.icount += ${pending};`);
  if (!branched) lines.push(`s.eip = e0 + ${offset};`);
  lines.push(`base += ${n};`);
  if (last !== '') lines.push(last);
  return lines;
}

/**
 * Translates the blocks `members` of physical frame `frame` to one function: common forms
 * inline (block-emit.ts), every other instruction a call site naming its one handler, so V8
 * can inline it; a switch on EIP's offset in the frame moves from block to block. Nothing in
 * a block can raise an event, change IF, TF, CS, CPL or the mapping of its code, so while the
 * next block is a member, it may run without returning; `limit` bounds the count.
 */
export function compileRegion(members: readonly RegionMember[], frame: number): BlockFn {
  const names: string[] = [];
  const values: unknown[] = [];
  const cases: string[] = [];
  members.forEach((m, k) => {
    const lines = blockLines(m, k, frame, names, values);
    cases.push(`case ${m.at}: {
        if (limit - base < ${m.insns.length} || ${m.at + m.length} > room) return base;
        const e0 = eipBase + ${m.at};
        ${lines.join('\n        ')}
        continue;
      }`);
  });
  const body = `return function region(cpu, eipBase, limit, gen, mmio) {
  const s = cpu.s;
  const r = s.regs;
  const mem = cpu.mem;
  // Blocks must end inside the CS limit and, in 16-bit code, below 64 KiB (lookupBlock's checks).
  const csLimit = s.segLimit[1];
  const top = (s.segAttr[1] & 0x4000) !== 0 ? csLimit : Math.min(csLimit, 0xffff);
  const fg = mem.frameGen;
  const room = top - eipBase;
  ${REGION_PROLOGUE}
  let base = 0;
  let slow = 0;
  let i = 0;
  let f = 0;
  let fa = 0;
  let fb = 0;
  let fr = 0;
  try {
    for (;;) {
      switch (s.eip - eipBase) {
      ${cases.join('\n      ')}
      default:
        return base;
      }
    }
  } catch (e) {
    cpu.blockFault = f;
    cpu.blockRetired = base + i;
    throw e;
  }
};`;
  // Translation to JS is the point of this tier; the source holds only numbers and names.
  const factory = new Function(...names, ...Object.keys(HELPERS), body);
  return factory(...values, ...Object.values(HELPERS)) as BlockFn;
}
