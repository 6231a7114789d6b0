// The reference interpreter's run of quiet instructions: lean forms back to back between instruction boundaries where nothing can happen (DESIGN.md 2.1).

import type { Cpu } from './cpu';
import { IF, RF, TF } from './flags';
import { runLean32 } from './lean-run32';
import { LEAN } from './lean-step';
import { CS } from './state';

const CR0_PG = 0x80000000;
const PAGE_MASK = 0xfffff000;

/**
 * True when step() would do nothing at the boundary but run the instruction: no interrupt
 * shadow, halt, NMI or deliverable INTR, no single step, resume flag or breakpoint, no data
 * watch. The lean forms cannot change any of this, except through an MMIO access.
 */
export function quiet(cpu: Cpu): boolean {
  const s = cpu.s;
  const ic = cpu.interruptController;
  return (
    !s.interruptShadow &&
    !s.halted &&
    !s.nmiPending &&
    (s.eflags & (TF | RF)) === 0 &&
    (s.dr[7]! & 0xff) === 0 &&
    !cpu.dataWatch &&
    ((s.eflags & IF) === 0 || ic === null || !ic.hasInterrupt())
  );
}

/**
 * Runs up to `limit` instructions from a quiet boundary as that many step() calls would, and
 * returns the step count: lean forms (lean-step.ts) run straight from RAM, fetched exactly as
 * step() fetches them (CS limit, TLB, in-page window); the first instruction that is not one,
 * or whose 15-byte window is not plain RAM, runs through `single` (step()) and ends the run,
 * as does a fault (delivered by `settle`, step()'s catch) or an MMIO access. Nothing is cached: every instruction is decoded afresh.
 * 32-bit code runs in runLean32 (lean-run32.ts), which writes the commonest forms out.
 */
export function runLean(
  cpu: Cpu,
  limit: number,
  single: (cpu: Cpu) => boolean,
  settle: (cpu: Cpu, e: unknown, start: number) => false,
): number {
  const s = cpu.s;
  const mem = cpu.mem;
  const bytes = mem.bytes;
  if (!mem.a20Enabled) {
    single(cpu);
    return 1;
  }
  if ((s.segAttr[CS]! & 0x4000) !== 0) return runLean32(cpu, limit, single, settle);
  // Lean forms change neither CS, CPL nor paging, so these hold for the whole run.
  const codeSize = (s.segAttr[CS]! & 0x4000) !== 0 ? 32 : 16;
  const csBase = s.segBase[CS]!;
  const csLimit = s.segLimit[CS]!;
  const paging = (s.cr0 & CR0_PG) !== 0;
  const fetchBit = s.cpl === 3 ? 4 : 1; // TLB_READ_USER or TLB_READ_SUP (tlb.ts)
  const tlb = cpu.tlb.entries;
  const mmio = mem.mmioAccesses;
  // The code page's frame, once looked up: a lean form cannot change a TLB entry's frame.
  let page = -1;
  let frame = 0;
  let n = 0;
  let eip = 0;
  try {
    while (n < limit) {
      eip = s.eip;
      const lin = (csBase + eip) >>> 0;
      let phys = lin;
      if (paging) {
        if (lin >>> 12 !== page) {
          const e = tlb[lin >>> 12]!;
          if ((e & fetchBit) === 0) break;
          page = lin >>> 12;
          frame = e & PAGE_MASK;
        }
        phys = (frame | (lin & 0xfff)) >>> 0;
      }
      // The window FetchWindow.open would make must hold 15 bytes, else step() fetches.
      if (csLimit - eip < 14 || (lin & 0xfff) > 4096 - 15 || phys + 15 > bytes.length) break;
      const form = LEAN[bytes[phys]!]!;
      if (form === null) break;
      if (!form(cpu, bytes, phys, eip, codeSize)) break;
      s.icount++;
      n++;
      if (mem.mmioAccesses !== mmio) return n;
    }
  } catch (e) {
    // A fault (or engine error): settled from the same state step() would settle it from.
    cpu.instructionStart = eip;
    settle(cpu, e, eip);
    return n + 1;
  }
  if (n < limit) {
    single(cpu);
    n++;
  }
  return n;
}
