// The one routing point for exceptions and interrupts: host hook, IVT (real mode) or IDT gates with ring transitions (Intel SDM vol. 3A, 6.12-6.15 and 20.1.4).

import { EngineError, hex, UnimplementedError } from '../bus/errors';
import type { Cpu } from './cpu';
import {
  Descriptor,
  markAccessed,
  readDescriptor,
  SYS_INT_GATE16,
  SYS_INT_GATE32,
  SYS_TASK_GATE,
  SYS_TRAP_GATE16,
  SYS_TRAP_GATE32,
} from './descriptors';
import { CpuFault, Vector, vectorName } from './faults';
import { getEflags, IF, NT, RF, setEflags, TF, VM } from './flags';
import { loadCodeSegment, setCodeSegment, setSegmentCache } from './segmentation';
import { push } from './stack';
import { StackCursor } from './stack-cursor';
import { CS, ESP, SS } from './state';
import { tssOut, tssStack } from './tss';

/** What raised an event: it decides EXT, the gate DPL check and the double-fault rules. */
export const EVENT_EXCEPTION = 0; // a fault or trap raised by the CPU
export const EVENT_SOFTWARE = 1; // INT n, INT3, INTO: gate DPL checked, EXT = 0
export const EVENT_EXTERNAL = 2; // INTR line
export const EVENT_NMI = 3;

// Exception classes for the double-fault rules (SDM 3A table 6-4/6-5).
const CONTRIBUTORY =
  (1 << Vector.DE) | (1 << Vector.TS) | (1 << Vector.NP) | (1 << Vector.SS) | (1 << Vector.GP);
// Faults (return to the faulting instruction) that set RF in the saved EFLAGS (SDM 3A 17.3.1.1).
const FAULTS =
  CONTRIBUTORY |
  (1 << Vector.BR) |
  (1 << Vector.UD) |
  (1 << Vector.NM) |
  (1 << Vector.PF) |
  (1 << 16) |
  (1 << 17);
// Exceptions that push an error code (SDM 3A table 6-1).
const HAS_ERROR_CODE =
  (1 << Vector.DF) |
  (1 << Vector.TS) |
  (1 << Vector.NP) |
  (1 << Vector.SS) |
  (1 << Vector.GP) |
  (1 << Vector.PF) |
  (1 << Vector.AC);

const gate = new Descriptor();
const code = new Descriptor();
const stackDesc = new Descriptor();
const frame = new StackCursor();

/** True when exception `vector` pushes an error code in protected mode. */
export function hasErrorCode(vector: number): boolean {
  return vector < 32 && ((HAS_ERROR_CODE >>> vector) & 1) !== 0;
}

/**
 * Delivers interrupt or exception `vector`, returning to `returnEip` (the faulting
 * instruction for faults, the next one for traps and interrupts). The host hook sees it
 * first; otherwise it goes through the IVT (real mode) or the IDT. A fault during delivery
 * follows the double-fault rules; a fault while delivering #DF is a triple fault, reported as
 * an EngineError of kind 'triple-fault'. During INT n a fault propagates to the caller, which
 * delivers it as a fault of the INT instruction.
 */
export function deliverEvent(
  cpu: Cpu,
  vector: number,
  type: number,
  returnEip: number,
  errorCode = -1,
): void {
  const s = cpu.s;
  if (type === EVENT_EXCEPTION) s.lastException = vector;
  if (cpu.eventHook?.(vector, type, errorCode)) {
    s.halted = false;
    return;
  }
  try {
    if ((s.cr0 & 1) === 0) deliverReal(cpu, vector, returnEip);
    else deliverProtected(cpu, vector, type, returnEip, errorCode);
    if (type === EVENT_NMI) s.nmiBlocked = true;
    s.halted = false;
  } catch (e) {
    if (!(e instanceof CpuFault) || type === EVENT_SOFTWARE) throw e;
    // A fault raised while delivering an external event or an exception carries EXT.
    let nested = e.errorCode;
    if (nested >= 0 && e.vector !== Vector.PF) nested |= 1;
    if (type === EVENT_EXCEPTION && vector === Vector.DF) throw tripleFault(cpu, e.vector);
    if (type === EVENT_EXCEPTION && isDoubleFault(vector, e.vector)) {
      deliverEvent(cpu, Vector.DF, EVENT_EXCEPTION, returnEip, 0);
      return;
    }
    deliverEvent(cpu, e.vector, EVENT_EXCEPTION, returnEip, nested);
  }
}

/** SDM 3A table 6-5: which pairs of first and second exception make a double fault. */
function isDoubleFault(first: number, second: number): boolean {
  const contributory = (v: number) => v < 32 && ((CONTRIBUTORY >>> v) & 1) !== 0;
  if (contributory(first)) return contributory(second);
  if (first === Vector.PF) return contributory(second) || second === Vector.PF;
  return false;
}

function tripleFault(cpu: Cpu, last: number): EngineError {
  const s = cpu.s;
  return new EngineError(
    'triple-fault',
    `triple fault (${vectorName(last)} while delivering #DF), last exception ${vectorName(last)}: ` +
      `CS:EIP=${hex(s.seg[CS]!, 4)}:${hex(cpu.instructionStart, 8)} CR0=${hex(s.cr0, 8)} ` +
      `CR2=${hex(s.cr2, 8)} CR3=${hex(s.cr3, 8)} CPL=${s.cpl}`,
  );
}

function deliverReal(cpu: Cpu, vector: number, returnEip: number): void {
  const s = cpu.s;
  const entry = vector * 4;
  if (entry + 3 > s.idtrLimit) throw new CpuFault(Vector.GP, entry + 2);
  const offset = cpu.readLinear16((s.idtrBase + entry) >>> 0, 0);
  const selector = cpu.readLinear16((s.idtrBase + entry + 2) >>> 0, 0);
  push(cpu, 16, getEflags(s));
  push(cpu, 16, s.seg[CS]!);
  push(cpu, 16, returnEip);
  setEflags(s, 0, IF | TF | 0x40000 | RF);
  loadCodeSegment(cpu, selector, offset);
}

function deliverProtected(
  cpu: Cpu,
  vector: number,
  type: number,
  returnEip: number,
  errorCode: number,
): void {
  const s = cpu.s;
  if ((s.eflags & VM) !== 0) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      `delivery of ${vectorName(vector)} from virtual-8086 mode is not implemented`,
    );
  }
  const ext = type === EVENT_SOFTWARE ? 0 : 1;
  const idtCode = vector * 8 + 2 + ext;
  if (vector * 8 + 7 > s.idtrLimit) throw new CpuFault(Vector.GP, idtCode);
  const at = (s.idtrBase + vector * 8) >>> 0;
  gate.decode(cpu.readLinear32(at, 0), cpu.readLinear32((at + 4) >>> 0, 0));
  const kind = gate.systemType;
  if (kind === SYS_TASK_GATE) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      `hardware task switch not implemented (task gate for ${vectorName(vector)})`,
    );
  }
  if (
    kind !== SYS_INT_GATE16 &&
    kind !== SYS_TRAP_GATE16 &&
    kind !== SYS_INT_GATE32 &&
    kind !== SYS_TRAP_GATE32
  ) {
    throw new CpuFault(Vector.GP, idtCode);
  }
  if (type === EVENT_SOFTWARE && gate.dpl < s.cpl) throw new CpuFault(Vector.GP, idtCode);
  if (!gate.present) throw new CpuFault(Vector.NP, idtCode);
  const selector = gate.gateSelector;
  if ((selector & 0xfffc) === 0) throw new CpuFault(Vector.GP, ext);
  const selCode = (selector & 0xfffc) | ext;
  readDescriptor(cpu, selector, code, Vector.GP, ext);
  if (!code.isCode || code.dpl > s.cpl) throw new CpuFault(Vector.GP, selCode);
  if (!code.present) throw new CpuFault(Vector.NP, selCode);
  const size = kind >= 8 ? 32 : 16;
  const offset = size === 32 ? gate.gateOffset : gate.gateOffset & 0xffff;
  let flags = getEflags(s);
  if (type === EVENT_EXCEPTION && vector !== Vector.DB && ((FAULTS >>> vector) & 1) !== 0)
    flags |= RF;
  // RF is cleared at the start of every instruction, so INT n, INT3 and INTO push it as 0
  // even right after an IRET that set it (SDM 3A 17.3.1.1).
  if (type === EVENT_SOFTWARE) flags &= ~RF;
  const pushCode = type === EVENT_EXCEPTION && hasErrorCode(vector);
  if (errorCode < 0) errorCode = 0; // an exception raised without a code still pushes one
  let newCpl = s.cpl;
  if (!code.isConforming && code.dpl < s.cpl) {
    // Inner privilege: switch to the TSS stack of the handler's ring.
    newCpl = code.dpl;
    tssStack(cpu, newCpl, ext);
    const ss = tssOut.ss;
    const ssCode = (ss & 0xfffc) | ext;
    if ((ss & 0xfffc) === 0) throw new CpuFault(Vector.TS, ext);
    readDescriptor(cpu, ss, stackDesc, Vector.TS, ext);
    if ((ss & 3) !== newCpl || stackDesc.dpl !== newCpl || !stackDesc.isWritableData) {
      throw new CpuFault(Vector.TS, ssCode);
    }
    if (!stackDesc.present) throw new CpuFault(Vector.SS, ssCode);
    if (offset > code.limit) throw new CpuFault(Vector.GP, ext);
    frame.openDescriptor(stackDesc, tssOut.esp, newCpl, ssCode);
    frame.push(cpu, size, s.seg[SS]!);
    frame.push(cpu, size, s.regs[ESP]!);
    frame.push(cpu, size, flags);
    frame.push(cpu, size, s.seg[CS]!);
    frame.push(cpu, size, returnEip);
    if (pushCode) frame.push(cpu, size, errorCode);
    markAccessed(cpu, ss, stackDesc);
    setSegmentCache(s, SS, ss, stackDesc);
    s.regs[ESP] = 0;
  } else if (code.isConforming || code.dpl === s.cpl) {
    if (offset > code.limit) throw new CpuFault(Vector.GP, ext);
    frame.openCurrent(cpu);
    frame.faultCode = ext;
    frame.push(cpu, size, flags);
    frame.push(cpu, size, s.seg[CS]!);
    frame.push(cpu, size, returnEip);
    if (pushCode) frame.push(cpu, size, errorCode);
  } else {
    throw new CpuFault(Vector.GP, selCode);
  }
  frame.commitEsp(cpu);
  setCodeSegment(cpu, selector, code, newCpl, offset);
  let clear = TF | NT | RF | VM;
  if (kind === SYS_INT_GATE16 || kind === SYS_INT_GATE32) clear |= IF;
  setEflags(s, 0, clear);
}

/**
 * At an instruction boundary without an interrupt shadow: delivers a pending NMI (unless an
 * NMI handler is still running) or, with IF set, the INTR line's vector. Returns true when an
 * event was delivered; it wakes a halted CPU.
 */
export function acceptEvent(cpu: Cpu): boolean {
  const s = cpu.s;
  let vector: number;
  let type: number;
  if (s.nmiPending && !s.nmiBlocked) {
    s.nmiPending = false;
    vector = Vector.NMI;
    type = EVENT_NMI;
  } else if ((s.eflags & IF) !== 0 && cpu.interruptController?.hasInterrupt()) {
    vector = cpu.interruptController.acknowledge();
    type = EVENT_EXTERNAL;
  } else {
    return false;
  }
  cpu.instructionStart = s.eip;
  try {
    deliverEvent(cpu, vector, type, s.eip);
  } catch (e) {
    if (e instanceof EngineError) {
      const cs = s.seg[CS]!;
      e.locate(cs, s.eip, `${hex(cs, 4)}:${hex(s.eip, 8)}`);
    }
    throw e;
  }
  return true;
}
