// The fast path of REP STOS and REP MOVS: whole runs of iterations inside one page done as one
// fill or copy of RAM, with the architectural result of running them one by one (SDM vol. 2, "REP").

import type { Cpu } from '../cpu';
import type { DecodedInstruction } from '../decoded-instruction';
import { CpuFault } from '../faults';
import { DF } from '../flags';
import { ACCESS_WRITE } from '../paging';
import { DS, EAX, ECX, EDI, ES, ESI, getReg } from '../state';

const CR0_AM = 0x40000;
const EFLAGS_AC = 0x40000;

/**
 * Runs up to `budget` iterations of REP STOS (`move` false) or REP MOVS (`move` true) of
 * `bytes`-byte elements, a page-sized run at a time, and returns how many it ran. It stops
 * early, leaving the rest to the one-by-one loop, wherever that loop would behave differently:
 * an element crossing a page or the 64 KiB wrap, a segment limit or type fault ahead, MMIO or
 * the A20 wrap, overlapping MOVS areas that memmove would copy differently, data breakpoints
 * and alignment checks. Page faults are raised exactly where the one-by-one loop raises them,
 * since each page is translated before any of its elements is written, in the same order.
 */
export function bulkRep(
  c: Cpu,
  d: DecodedInstruction,
  move: boolean,
  bytes: number,
  budget: number,
): number {
  const s = c.s;
  if (c.dataWatch) return 0;
  if ((s.cr0 & CR0_AM) !== 0 && (s.eflags & EFLAGS_AC) !== 0 && s.cpl === 3) return 0;
  const backward = (s.eflags & DF) !== 0;
  const wide = d.adSize === 32;
  const srcSeg = d.segOverride >= 0 ? d.segOverride : DS;
  const value = move ? 0 : getReg(s, bytes * 8, EAX);
  let done = 0;
  while (done < budget) {
    const left = Math.min(budget - done, wide ? s.regs[ECX]! >>> 0 : s.regs[ECX]! & 0xffff);
    if (left === 0) break;
    const di = wide ? s.regs[EDI]! >>> 0 : s.regs[EDI]! & 0xffff;
    let n = runLength(c, ES, di, bytes, backward, wide, left);
    const si = move ? (wide ? s.regs[ESI]! >>> 0 : s.regs[ESI]! & 0xffff) : 0;
    if (move) n = runLength(c, srcSeg, si, bytes, backward, wide, n);
    if (n === 0) break;
    const span = n * bytes;
    // Offsets of the lowest byte each run touches (a backward run ends below its start).
    const dLow = backward ? di - span + bytes : di;
    const sLow = backward ? si - span + bytes : si;
    let dstLin: number;
    let srcLin = 0;
    try {
      if (move) srcLin = c.linear(srcSeg, sLow, span);
      dstLin = c.linear(ES, dLow, span, true);
    } catch (e) {
      if (e instanceof CpuFault) break; // some element faults: the one-by-one loop finds which
      throw e;
    }
    // Translate each run's first element, as the loop would (CR2 names it on a fault).
    const user = c.userAccess;
    const back = backward ? span - bytes : 0;
    const src = move ? c.translate((srcLin + back) >>> 0, user) - back : 0;
    const dst = c.translate((dstLin + back) >>> 0, user | ACCESS_WRITE) - back;
    if (move) {
      if (!copyIsMemmove(dst, src, span, backward)) break;
      if (!c.mem.copyWithin(dst, src, span)) break;
    } else if (!c.mem.fillPattern(dst, span, value, bytes)) break;
    advance(c, EDI, n * bytes, backward, wide);
    if (move) advance(c, ESI, n * bytes, backward, wide);
    s.regs[ECX] = wide
      ? s.regs[ECX]! - n
      : (s.regs[ECX]! & 0xffff0000) | ((s.regs[ECX]! - n) & 0xffff);
    done += n;
  }
  return done;
}

/**
 * Elements, at most `max`, from offset `off` on in the direction of DF that stay inside the
 * linear page of the first element and do not wrap the 16-bit offset; 0 when the first
 * element itself straddles a page or the wrap.
 */
function runLength(
  c: Cpu,
  seg: number,
  off: number,
  bytes: number,
  backward: boolean,
  wide: boolean,
  max: number,
): number {
  const lin = (c.s.segBase[seg]! + off) >>> 0;
  const inPage = lin & 0xfff;
  if (inPage + bytes > 0x1000) return 0;
  if (!wide && off + bytes > 0x10000) return 0;
  let room = backward ? Math.floor(inPage / bytes) + 1 : Math.floor((0x1000 - inPage) / bytes);
  // The offset must not wrap either: 16-bit at 0 / 0xFFFF, 32-bit at 0 / 0xFFFFFFFF.
  const top = wide ? 0x100000000 : 0x10000;
  room = Math.min(room, backward ? Math.floor(off / bytes) + 1 : Math.floor((top - off) / bytes));
  return Math.min(room, max);
}

/** True when copying element by element in the direction of DF gives what memmove gives. */
function copyIsMemmove(dst: number, src: number, span: number, backward: boolean): boolean {
  if (dst + span <= src || src + span <= dst) return true; // disjoint
  return backward ? dst >= src : dst <= src;
}

/** Moves index register `r` by `delta` bytes in the direction of DF, in the address size. */
function advance(c: Cpu, r: number, delta: number, backward: boolean, wide: boolean): void {
  const s = c.s;
  const next = backward ? s.regs[r]! - delta : s.regs[r]! + delta;
  s.regs[r] = wide ? next : (s.regs[r]! & 0xffff0000) | (next & 0xffff);
}
