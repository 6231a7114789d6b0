// String instructions with REP/REPE/REPNE: MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS (Intel SDM vol. 2, "REP" and each op).

import type { AccessSize } from '../../bus/device';
import type { Cpu, Handler } from '../cpu';
import type { DecodedInstruction } from '../decoded-instruction';
import { DF, getZF, sub, TF } from '../flags';
import { ACCESS_WRITE } from '../paging';
import { DS, EAX, ECX, EDI, EDX, ES, ESI, getReg, setReg } from '../state';
import { checkIoPermission } from '../tss';
import { bulkRep } from './string-bulk';

/** Iterations a REP instruction runs per step before yielding; it resumes at the same EIP. */
export const REP_CHUNK = 4096;

const OP_MOVS = 0;
const OP_CMPS = 1;
const OP_STOS = 2;
const OP_LODS = 3;
const OP_SCAS = 4;
const OP_INS = 5;
const OP_OUTS = 6;

/** Advances index register `r` by one element, backwards when DF is set. */
function step(c: Cpu, d: DecodedInstruction, r: number, bytes: number): void {
  const s = c.s;
  const delta = (s.eflags & DF) !== 0 ? -bytes : bytes;
  if (d.adSize === 16) s.regs[r] = (s.regs[r]! & 0xffff0000) | ((s.regs[r]! + delta) & 0xffff);
  else s.regs[r] = s.regs[r]! + delta;
}

function index(c: Cpu, d: DecodedInstruction, r: number): number {
  return d.adSize === 16 ? c.s.regs[r]! & 0xffff : c.s.regs[r]!;
}

/** One iteration of string operation `op` on elements of `size` bits. */
function once(c: Cpu, d: DecodedInstruction, op: number, size: number): void {
  const s = c.s;
  const bytes = size >> 3;
  const srcSeg = d.segOverride >= 0 ? d.segOverride : DS; // DS:SI is overridable, ES:DI never
  switch (op) {
    case OP_MOVS:
      c.writeMem(ES, index(c, d, EDI), size, c.readMem(srcSeg, index(c, d, ESI), size));
      step(c, d, ESI, bytes);
      step(c, d, EDI, bytes);
      break;
    case OP_CMPS:
      sub(
        s,
        size,
        c.readMem(srcSeg, index(c, d, ESI), size),
        c.readMem(ES, index(c, d, EDI), size),
        0,
      );
      step(c, d, ESI, bytes);
      step(c, d, EDI, bytes);
      break;
    case OP_STOS:
      c.writeMem(ES, index(c, d, EDI), size, getReg(s, size, EAX));
      step(c, d, EDI, bytes);
      break;
    case OP_LODS:
      setReg(s, size, EAX, c.readMem(srcSeg, index(c, d, ESI), size));
      step(c, d, ESI, bytes);
      break;
    case OP_SCAS:
      sub(s, size, getReg(s, size, EAX), c.readMem(ES, index(c, d, EDI), size), 0);
      step(c, d, EDI, bytes);
      break;
    case OP_INS: {
      // The destination is checked before the port is read: a faulting INS reads no port.
      const port = s.regs[EDX]! & 0xffff;
      const di = index(c, d, EDI);
      const lin = c.linear(ES, di, bytes, true);
      c.translate(lin, ACCESS_WRITE | c.userAccess);
      c.translate((lin + bytes - 1) >>> 0, ACCESS_WRITE | c.userAccess);
      c.writeMem(ES, di, size, c.io.read(port, bytes as AccessSize));
      step(c, d, EDI, bytes);
      break;
    }
    default: {
      const port = s.regs[EDX]! & 0xffff;
      c.io.write(port, bytes as AccessSize, c.readMem(srcSeg, index(c, d, ESI), size));
      step(c, d, ESI, bytes);
    }
  }
}

/**
 * Runs string operation `op`, repeated while (E)CX is not zero under a REP prefix. CMPS and
 * SCAS also stop on ZF = 0 (REPE) or ZF = 1 (REPNE). After REP_CHUNK iterations the
 * instruction yields with EIP at its start, so a long REP cannot stall the run loop. Under
 * TF it yields after every iteration, so the single-step trap comes after each one, as on
 * hardware (SDM 3B 18.3.1.4). STOS and MOVS take page-sized runs through the bulk path where
 * that gives the same result.
 */
function run(c: Cpu, d: DecodedInstruction, op: number, size: number): void {
  if (op === OP_INS || op === OP_OUTS) checkIoPermission(c, c.s.regs[EDX]! & 0xffff, size >> 3);
  if (d.rep === 0) {
    once(c, d, op, size);
    return;
  }
  const s = c.s;
  const compares = op === OP_CMPS || op === OP_SCAS;
  const bulk = op === OP_STOS || op === OP_MOVS;
  const chunk = (s.eflags & TF) !== 0 ? 1 : REP_CHUNK;
  let n = 0;
  while (n < chunk) {
    if (index(c, d, ECX) === 0) return;
    if (bulk) {
      const ran = bulkRep(c, d, op === OP_MOVS, size >> 3, chunk - n);
      n += ran;
      if (ran > 0) continue;
    }
    n++;
    once(c, d, op, size);
    if (d.adSize === 16) s.regs[ECX] = (s.regs[ECX]! & 0xffff0000) | ((s.regs[ECX]! - 1) & 0xffff);
    else s.regs[ECX] = s.regs[ECX]! - 1;
    if (compares && getZF(s) !== (d.rep === 0xf3 ? 1 : 0)) return;
    if (c.debugTrapHits !== 0) break; // a data breakpoint traps after the iteration that hit
  }
  if (index(c, d, ECX) !== 0) {
    s.eip = c.instructionStart;
    c.repPending = true;
  }
}

/** String handlers by exec name. */
export const stringHandlers: Record<string, Handler> = {
  MOVSB: (c, d) => run(c, d, OP_MOVS, 8),
  MOVSV: (c, d) => run(c, d, OP_MOVS, d.opSize),
  CMPSB: (c, d) => run(c, d, OP_CMPS, 8),
  CMPSV: (c, d) => run(c, d, OP_CMPS, d.opSize),
  STOSB: (c, d) => run(c, d, OP_STOS, 8),
  STOSV: (c, d) => run(c, d, OP_STOS, d.opSize),
  LODSB: (c, d) => run(c, d, OP_LODS, 8),
  LODSV: (c, d) => run(c, d, OP_LODS, d.opSize),
  SCASB: (c, d) => run(c, d, OP_SCAS, 8),
  SCASV: (c, d) => run(c, d, OP_SCAS, d.opSize),
  INSB: (c, d) => run(c, d, OP_INS, 8),
  INSV: (c, d) => run(c, d, OP_INS, d.opSize),
  OUTSB: (c, d) => run(c, d, OP_OUTS, 8),
  OUTSV: (c, d) => run(c, d, OP_OUTS, d.opSize),
};
