// Debug registers: instruction breakpoints in DR0-DR3/DR7 and the status in DR6 (Intel SDM vol. 3A, 17.2 "Debug registers").

import { EngineError, hex } from '../bus/errors';
import type { Cpu } from './cpu';
import { CpuFault, Vector } from './faults';
import { RF, TF } from './flags';
import { deliverEvent, EVENT_EXCEPTION } from './interrupts';
import { type CpuState, CS } from './state';

/** DR6 bits: B0-B3 (breakpoint n matched), BD, BS (single step), BT. */
export const DR6_B_MASK = 0xf;
export const DR6_BS = 0x4000;
/** DR6 bits that read as 1 on a 486 and later (reserved). */
export const DR6_FIXED = 0xffff0ff0;
/** DR7 bit 10 reads as 1. */
export const DR7_FIXED = 0x400;

/**
 * Returns the B0-B3 bits of the instruction breakpoints that match `linear` (DR7 Ln or Gn set,
 * R/Wn = 00 execute; the length field is ignored for execute breakpoints), or 0.
 */
export function instructionBreakpoints(s: CpuState, linear: number): number {
  const dr7 = s.dr[7]!;
  if ((dr7 & 0xff) === 0) return 0;
  let hits = 0;
  for (let i = 0; i < 4; i++) {
    if (((dr7 >>> (i * 2)) & 3) === 0) continue;
    if (((dr7 >>> (16 + i * 4)) & 3) !== 0) continue;
    if (s.dr[i] === linear >>> 0) hits |= 1 << i;
  }
  return hits;
}

/** True when DR7 enables a data breakpoint (R/Wn = 01 write or 11 read/write). */
export function dataBreakpointsArmed(s: CpuState): boolean {
  const dr7 = s.dr[7]!;
  for (let i = 0; i < 4; i++) {
    if (((dr7 >>> (i * 2)) & 3) === 0) continue;
    if (((dr7 >>> (16 + i * 4)) & 1) !== 0) return true;
  }
  return false;
}

const BREAK_LENGTH = [1, 2, 8, 4]; // DR7 LENn encodings

/**
 * Records the data breakpoints that `size` bytes at linear `lin` hit (a write, or a read for
 * R/W = 11) in cpu.debugTrapHits; the #DB trap follows the instruction (SDM 3A 17.3.1.2).
 */
export function checkDataBreakpoints(cpu: Cpu, lin: number, size: number, write: boolean): void {
  const s = cpu.s;
  const dr7 = s.dr[7]!;
  for (let i = 0; i < 4; i++) {
    if (((dr7 >>> (i * 2)) & 3) === 0) continue;
    const rw = (dr7 >>> (16 + i * 4)) & 3;
    if ((rw & 1) === 0 || (rw === 1 && !write)) continue;
    const len = BREAK_LENGTH[(dr7 >>> (18 + i * 4)) & 3]!;
    const base = (s.dr[i]! & ~(len - 1)) >>> 0;
    if (lin <= base + len - 1 && base <= lin + size - 1) cpu.debugTrapHits |= 1 << i;
  }
}

/** Raises a #DB fault when an enabled instruction breakpoint matches CS:EIP (RF clear). */
export function checkInstructionBreakpoints(cpu: Cpu): void {
  const s = cpu.s;
  const hits = instructionBreakpoints(s, (s.segBase[CS]! + s.eip) >>> 0);
  if (hits === 0) return;
  s.dr[6] = (s.dr[6]! & ~DR6_B_MASK) | hits | DR6_FIXED;
  throw new CpuFault(Vector.DB);
}

/**
 * End of an instruction that started with TF or RF, hit a data breakpoint, or follows a MOV
 * SS that held a #DB back: RF is cleared, and TF or the breakpoints raise one #DB trap,
 * returning to the next instruction (SDM 3A 17.3.1.4). An instruction that loaded SS passes
 * its trap on to the next one instead (SDM 3A 6.8.3). A REP that stops between iterations
 * comes here too, so single-step traps after each iteration, EIP still at the REP.
 */
export function afterInstruction(cpu: Cpu, flagsAtStart: number): void {
  const s = cpu.s;
  if ((flagsAtStart & RF) !== 0) s.eflags &= ~RF;
  let bits = cpu.debugTrapHits | ((flagsAtStart & TF) !== 0 ? DR6_BS : 0);
  cpu.debugTrapHits = 0;
  if (cpu.stackLoaded) {
    s.debugPending |= bits;
    return;
  }
  bits |= s.debugPending;
  s.debugPending = 0;
  if (bits === 0) return;
  let dr6 = s.dr[6]! | DR6_FIXED;
  if ((bits & DR6_B_MASK) !== 0) dr6 = (dr6 & ~DR6_B_MASK) | (bits & DR6_B_MASK);
  dr6 |= bits & DR6_BS;
  s.dr[6] = dr6 >>> 0;
  try {
    deliverEvent(cpu, Vector.DB, EVENT_EXCEPTION, s.eip);
  } catch (e) {
    if (e instanceof EngineError) {
      const cs = s.seg[CS]!;
      e.locate(cs, s.eip, `${hex(cs, 4)}:${hex(s.eip, 8)}`);
    }
    throw e;
  }
}
