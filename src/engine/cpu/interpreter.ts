// The reference interpreter: decode and execute one instruction at a time, no caches (DESIGN.md 2.1).

import { EngineError, hex } from '../bus/errors';
import type { Cpu, Handler } from './cpu';
import { afterInstruction, checkInstructionBreakpoints } from './debug';
import { type DecodedInstruction, MAX_INSTRUCTION_LENGTH } from './decoded-instruction';
import { decode } from './decoder';
import { HANDLERS } from './exec/index';
import { CpuFault, Vector } from './faults';
import { openFetchWindow } from './fetch';
import { RF, TF } from './flags';
import { acceptEvent, deliverEvent, EVENT_EXCEPTION } from './interrupts';
import { quiet, runLean } from './lean-run';
import { leanStep } from './lean-step';
import { OPCODE_TABLE } from './opcode-table';
import { lockViolation, missingInstructionError } from './opcode-validity';
import { effectiveAddress } from './operands';
import { CS } from './state';

/** Handler for each opcode-table entry, undefined where the instruction is not implemented. */
export const DISPATCH: (Handler | undefined)[] = OPCODE_TABLE.map((e) => HANDLERS[e.exec]);

/** Formats CS:IP as the SDM writes it, e.g. 0000:7C1A. */
export function formatLocation(cs: number, ip: number): string {
  return `${hex(cs, 4)}:${hex(ip, ip > 0xffff ? 8 : 4)}`;
}

/**
 * Executes one instruction. A CpuFault rolls EIP back to the instruction and is delivered
 * through the routing point; an EngineError (unimplemented instruction, device or BIOS
 * service, triple fault) propagates with the instruction's CS:IP added to its message.
 * Returns true when the instruction retired (icount counts it).
 */
export function step(cpu: Cpu): boolean {
  const s = cpu.s;
  const start = s.eip;
  if (!atBoundary(cpu)) return false;
  const flagsAtStart = s.eflags;
  try {
    if ((s.dr[7]! & 0xff) !== 0 && (flagsAtStart & RF) === 0) checkInstructionBreakpoints(cpu);
    const codeSize = (s.segAttr[CS]! & 0x4000) !== 0 ? 32 : 16;
    const w = openFetchWindow(cpu);
    // The common forms run straight from the window (lean-step.ts); the rest are decoded.
    if (w.avail < MAX_INSTRUCTION_LENGTH || !leanStep(cpu, w.bytes, w.base, start, codeSize)) {
      const d = cpu.d;
      decode(w, d, codeSize);
      const entry = d.entry;
      execute(cpu, d, entry ? DISPATCH[entry.index] : undefined, start, codeSize);
    }
  } catch (e) {
    return settleException(cpu, e, start);
  }
  return retire(cpu, flagsAtStart);
}

/**
 * The instruction boundary: NMI and INTR are recognised unless STI / MOV SS / POP SS left a
 * shadow. Returns false when no instruction runs now (an event was taken, or the CPU halts).
 */
export function atBoundary(cpu: Cpu): boolean {
  const s = cpu.s;
  cpu.instructionStart = s.eip;
  cpu.repPending = false;
  if (!s.interruptShadow && acceptEvent(cpu)) return false;
  s.interruptShadow = false;
  if (s.halted) return false;
  cpu.debugTrapHits = 0;
  cpu.stackLoaded = false;
  return true;
}

/** Runs a decoded instruction: its LOCK check, EIP past it, its effective address, its body. */
export function execute(
  cpu: Cpu,
  d: DecodedInstruction,
  handler: Handler | null | undefined,
  start: number,
  codeSize: 16 | 32,
): void {
  const s = cpu.s;
  if (!handler) throw missingInstructionError(d);
  if (d.lock && lockViolation(d)) throw new CpuFault(Vector.UD);
  s.eip = codeSize === 16 ? (start + d.length) & 0xffff : (start + d.length) >>> 0;
  if (d.hasMem) cpu.ea = effectiveAddress(s, d);
  handler(cpu, d);
}

/**
 * The catch of a step: a CpuFault rolls EIP back to the instruction and is delivered through
 * the routing point; an EngineError gets the instruction's CS:IP and propagates.
 */
export function settleException(cpu: Cpu, e: unknown, start: number): false {
  const s = cpu.s;
  s.eip = start;
  const cs = s.seg[CS]!;
  if (e instanceof CpuFault) {
    try {
      deliverEvent(cpu, e.vector, EVENT_EXCEPTION, start, e.errorCode);
    } catch (inner) {
      if (inner instanceof EngineError) inner.locate(cs, start, formatLocation(cs, start));
      throw inner;
    }
    return false;
  }
  if (e instanceof EngineError) e.locate(cs, start, formatLocation(cs, start));
  throw e;
}

/**
 * The end of a completed instruction: a REP that stopped early to be resumed did not retire;
 * anything else is counted, then single-step and breakpoint traps are raised.
 */
export function retire(cpu: Cpu, flagsAtStart: number): boolean {
  const debug =
    (flagsAtStart & (TF | RF)) !== 0 || cpu.debugTrapHits !== 0 || cpu.s.debugPending !== 0;
  if (cpu.repPending) {
    if (debug) afterInstruction(cpu, flagsAtStart);
    return false;
  }
  cpu.s.icount++;
  if (debug) afterInstruction(cpu, flagsAtStart);
  return true;
}

/** The deadline of the next timer event, in retired instructions (the machine's virtual time). */
export interface IcountDeadline {
  readonly nextIcount: number;
}

/**
 * Steps at least once and up to `maxSteps` times, stopping early when an instruction asks to
 * stop the run (Cpu.stopRequested), the CPU halts, or icount reaches `deadline.nextIcount`;
 * returns the number of steps. A run loop that checks those after every step sees the same.
 */
export function runSteps(cpu: Cpu, maxSteps: number, deadline: IcountDeadline): number {
  const s = cpu.s;
  let n = 0;
  do {
    const limit = Math.min(maxSteps - n, deadline.nextIcount - s.icount);
    if (limit > 1 && quiet(cpu)) {
      n += runLean(cpu, limit, step, settleException);
    } else {
      step(cpu);
      n++;
    }
  } while (n < maxSteps && !cpu.stopRequested && !s.halted && s.icount < deadline.nextIcount);
  return n;
}
