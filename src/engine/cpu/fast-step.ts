// The fast tier: the reference interpreter's step with decoded instructions cached per physical address (DESIGN.md 2.1 "Speed").

import { runChain } from './block-chain';
import type { Cpu } from './cpu';
import { checkInstructionBreakpoints } from './debug';
import type { DecodedInstruction } from './decoded-instruction';
import { decode } from './decoder';
import { openFetchWindow } from './fetch';
import { RF } from './flags';
import {
  atBoundary,
  DISPATCH,
  execute,
  type IcountDeadline,
  retire,
  settleException,
} from './interpreter';
import { quiet } from './lean-run';
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
  let n = 0;
  do {
    const limit = Math.min(maxSteps - n, deadline.nextIcount - s.icount);
    if (limit > 0 && quiet(cpu)) {
      n += runChain(cpu, limit, stepFast);
    } else {
      stepFast(cpu);
      n++;
    }
  } while (n < maxSteps && !cpu.stopRequested && !s.halted && s.icount < deadline.nextIcount);
  return n;
}
