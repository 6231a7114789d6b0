// Far transfers and software interrupts: far JMP/CALL through code segments and call gates, RETF, IRET, INT n/INT3/INTO (Intel SDM vol. 2, "JMP", "CALL", "RET", "IRET", "INT n"; vol. 3A 5.8).

import { UnimplementedError } from '../../bus/errors';
import type { Cpu, Handler } from '../cpu';
import { type DecodedInstruction, OPK_FAR } from '../decoded-instruction';
import {
  Descriptor,
  markAccessed,
  readDescriptor,
  SYS_CALL_GATE16,
  SYS_CALL_GATE32,
  SYS_TASK_GATE,
  SYS_TSS16_AVAIL,
  SYS_TSS32_AVAIL,
} from '../descriptors';
import { CpuFault, Vector } from '../faults';
import { getEflags, getOF, NT, setEflags, VM } from '../flags';
import { deliverEvent, EVENT_EXCEPTION, EVENT_SOFTWARE } from '../interrupts';
import {
  isProtected,
  loadCodeSegment,
  revalidateDataSegments,
  setCodeSegment,
  setSegmentCache,
} from '../segmentation';
import { adjustSp, pop, push } from '../stack';
import { StackCursor } from '../stack-cursor';
import { CS, ESP, SS } from '../state';
import { tssOut, tssStack } from '../tss';

const target = new Descriptor();
const gateDesc = new Descriptor();
const ssDesc = new Descriptor();
const oldStack = new StackCursor();
const newStack = new StackCursor();

const ID = 0x200000;
const AC = 0x40000;
const RF = 0x10000;

function unimplemented(what: string): never {
  throw new UnimplementedError('unimplemented-instruction', `${what} not implemented`);
}

function requireNotV86(c: Cpu): void {
  if ((c.s.eflags & VM) !== 0) unimplemented('virtual-8086 mode is');
}

// Far pointer operand: ptr16:16/32 immediate or m16:16/32 in memory.
let farSelector = 0;
let farOffset = 0;
function readFarTarget(c: Cpu, d: DecodedInstruction): void {
  if (d.kind[0] === OPK_FAR) {
    farSelector = d.farSeg;
    farOffset = d.imm[0]!;
    return;
  }
  farOffset = c.readMem(d.memSeg, c.ea, d.opSize);
  farSelector = c.read16(d.memSeg, (c.ea + d.opSize / 8) & (d.adSize === 16 ? 0xffff : 0xffffffff));
}

/** Checks a code-segment target of JMP/CALL (direct, not through a gate), SDM 3A 5.8.1. */
function checkDirectCode(c: Cpu, selector: number, d: Descriptor): void {
  const cpl = c.s.cpl;
  const err = selector & 0xfffc;
  if (d.isConforming) {
    if (d.dpl > cpl) throw new CpuFault(Vector.GP, err);
  } else if ((selector & 3) > cpl || d.dpl !== cpl) {
    throw new CpuFault(Vector.GP, err);
  }
  if (!d.present) throw new CpuFault(Vector.NP, err);
}

/** Reads and checks a call gate's target code segment into `target`. */
function gateTarget(c: Cpu, forCall: boolean): number {
  const sel = gateDesc.gateSelector;
  if ((sel & 0xfffc) === 0) throw new CpuFault(Vector.GP, 0);
  readDescriptor(c, sel, target, Vector.GP);
  const err = sel & 0xfffc;
  if (!target.isCode || target.dpl > c.s.cpl) throw new CpuFault(Vector.GP, err);
  // JMP through a call gate cannot change privilege: a non-conforming target must be at CPL.
  if (!forCall && !target.isConforming && target.dpl !== c.s.cpl)
    throw new CpuFault(Vector.GP, err);
  if (!target.present) throw new CpuFault(Vector.NP, err);
  return sel;
}

/** Loads the descriptor of a far JMP/CALL selector; returns true for a call gate. */
function farDescriptor(c: Cpu, selector: number): boolean {
  if ((selector & 0xfffc) === 0) throw new CpuFault(Vector.GP, 0);
  readDescriptor(c, selector, target, Vector.GP);
  if (target.isSegment) {
    if (!target.isCode) throw new CpuFault(Vector.GP, selector & 0xfffc);
    checkDirectCode(c, selector, target);
    return false;
  }
  const t = target.systemType;
  if (t === SYS_TASK_GATE || t === SYS_TSS16_AVAIL || t === SYS_TSS32_AVAIL) {
    unimplemented('hardware task switch (far transfer to a task gate or TSS) is');
  }
  if (t !== SYS_CALL_GATE16 && t !== SYS_CALL_GATE32)
    throw new CpuFault(Vector.GP, selector & 0xfffc);
  const err = selector & 0xfffc;
  if (target.dpl < c.s.cpl || target.dpl < (selector & 3)) throw new CpuFault(Vector.GP, err);
  if (!target.present) throw new CpuFault(Vector.NP, err);
  gateDesc.decode(target.lo, target.hi);
  return true;
}

function checkedOffset(d: Descriptor, offset: number): number {
  if (offset > d.limit) throw new CpuFault(Vector.GP, 0);
  return offset;
}

const JMP_FAR: Handler = (c, d) => {
  readFarTarget(c, d);
  const offset = d.opSize === 16 ? farOffset & 0xffff : farOffset >>> 0;
  if (!isProtected(c.s)) {
    loadCodeSegment(c, farSelector, offset);
    return;
  }
  requireNotV86(c);
  if (!farDescriptor(c, farSelector)) {
    setCodeSegment(c, farSelector, target, c.s.cpl, checkedOffset(target, offset));
    return;
  }
  const sel = gateTarget(c, false);
  const gateOffset =
    gateDesc.systemType === SYS_CALL_GATE32 ? gateDesc.gateOffset : gateDesc.gateOffset & 0xffff;
  setCodeSegment(c, sel, target, c.s.cpl, checkedOffset(target, gateOffset));
};

const CALL_FAR: Handler = (c, d) => {
  readFarTarget(c, d);
  const s = c.s;
  const size = d.opSize;
  const offset = size === 16 ? farOffset & 0xffff : farOffset >>> 0;
  if (!isProtected(s)) {
    push(c, size, s.seg[CS]!);
    push(c, size, s.eip);
    loadCodeSegment(c, farSelector, offset);
    return;
  }
  requireNotV86(c);
  if (!farDescriptor(c, farSelector)) {
    checkedOffset(target, offset);
    oldStack.openCurrent(c);
    oldStack.push(c, size, s.seg[CS]!);
    oldStack.push(c, size, s.eip);
    oldStack.commitEsp(c);
    setCodeSegment(c, farSelector, target, s.cpl, offset);
    return;
  }
  callGate(c);
};

/** CALL through a call gate, to the same or a more privileged ring (SDM 3A 5.8.5). */
function callGate(c: Cpu): void {
  const s = c.s;
  const sel = gateTarget(c, true);
  const gateSize = gateDesc.systemType === SYS_CALL_GATE32 ? 32 : 16;
  const offset = checkedOffset(
    target,
    gateSize === 32 ? gateDesc.gateOffset : gateDesc.gateOffset & 0xffff,
  );
  if (target.isConforming || target.dpl === s.cpl) {
    oldStack.openCurrent(c);
    oldStack.push(c, gateSize, s.seg[CS]!);
    oldStack.push(c, gateSize, s.eip);
    oldStack.commitEsp(c);
    setCodeSegment(c, sel, target, s.cpl, offset);
    return;
  }
  const newCpl = target.dpl;
  tssStack(c, newCpl, 0);
  const ss = tssOut.ss;
  const ssErr = ss & 0xfffc;
  if (ssErr === 0) throw new CpuFault(Vector.TS, 0);
  readDescriptor(c, ss, ssDesc, Vector.TS);
  if ((ss & 3) !== newCpl || ssDesc.dpl !== newCpl || !ssDesc.isWritableData) {
    throw new CpuFault(Vector.TS, ssErr);
  }
  if (!ssDesc.present) throw new CpuFault(Vector.SS, ssErr);
  newStack.openDescriptor(ssDesc, tssOut.esp, newCpl, ssErr);
  newStack.push(c, gateSize, s.seg[SS]!);
  newStack.push(c, gateSize, s.regs[ESP]!);
  // Parameters are copied from the caller's stack, deepest first, at the gate's size.
  oldStack.openCurrent(c);
  const count = gateDesc.gateParams;
  for (let i = count - 1; i >= 0; i--) {
    newStack.push(c, gateSize, oldStack.peek(c, gateSize, i * (gateSize >> 3)));
  }
  newStack.push(c, gateSize, s.seg[CS]!);
  newStack.push(c, gateSize, s.eip);
  markAccessed(c, ss, ssDesc);
  setSegmentCache(s, SS, ss, ssDesc);
  s.regs[ESP] = 0;
  newStack.commitEsp(c);
  setCodeSegment(c, sel, target, newCpl, offset);
}

/**
 * Checks the CS selector popped by RETF or IRET (SDM 2A "RET" protected-mode checks) and
 * loads its descriptor into `target`.
 */
function checkReturnCode(c: Cpu, selector: number): void {
  const err = selector & 0xfffc;
  if (err === 0) throw new CpuFault(Vector.GP, 0);
  readDescriptor(c, selector, target, Vector.GP);
  const rpl = selector & 3;
  if (!target.isCode || rpl < c.s.cpl) throw new CpuFault(Vector.GP, err);
  if (target.isConforming ? target.dpl > rpl : target.dpl !== rpl)
    throw new CpuFault(Vector.GP, err);
  if (!target.present) throw new CpuFault(Vector.NP, err);
}

/** Checks the SS selector popped by a return to an outer ring into `ssDesc`. */
function checkReturnStack(c: Cpu, ss: number, rpl: number): void {
  const err = ss & 0xfffc;
  if (err === 0) throw new CpuFault(Vector.GP, 0);
  readDescriptor(c, ss, ssDesc, Vector.GP);
  if ((ss & 3) !== rpl || !ssDesc.isWritableData || ssDesc.dpl !== rpl) {
    throw new CpuFault(Vector.GP, err);
  }
  if (!ssDesc.present) throw new CpuFault(Vector.SS, err);
}

/** Switches to the outer ring's stack popped by RETF/IRET and revalidates DS, ES, FS, GS. */
function returnToOuter(c: Cpu, csSel: number, eip: number, ss: number, esp: number): void {
  const s = c.s;
  const rpl = csSel & 3;
  setCodeSegment(c, csSel, target, rpl, eip);
  markAccessed(c, ss, ssDesc);
  setSegmentCache(s, SS, ss, ssDesc);
  s.regs[ESP] =
    (ssDesc.attr & 0x4000) !== 0 ? esp >>> 0 : (s.regs[ESP]! & 0xffff0000) | (esp & 0xffff);
  revalidateDataSegments(s);
}

// CB RETF and CA RETF imm16: the immediate releases parameters on both stacks.
const RETF: Handler = (c, d) => {
  const s = c.s;
  const size = d.opSize;
  const release = d.count === 1 ? d.imm[0]! : 0;
  if (!isProtected(s)) {
    const ip = pop(c, size);
    const cs = pop(c, size) & 0xffff;
    loadCodeSegment(c, cs, ip);
    if (release) adjustSp(c, release);
    return;
  }
  requireNotV86(c);
  oldStack.openCurrent(c);
  const eip = size === 16 ? oldStack.pop(c, 16) : oldStack.pop(c, 32);
  const cs = oldStack.pop(c, size) & 0xffff;
  checkReturnCode(c, cs);
  const rpl = cs & 3;
  if (rpl === s.cpl) {
    checkedOffset(target, eip);
    oldStack.skip(release);
    oldStack.commitEsp(c);
    setCodeSegment(c, cs, target, s.cpl, eip);
    return;
  }
  oldStack.skip(release);
  const esp = oldStack.pop(c, size);
  const ss = oldStack.pop(c, size) & 0xffff;
  checkReturnStack(c, ss, rpl);
  checkedOffset(target, eip);
  returnToOuter(c, cs, eip, ss, (esp + release) >>> 0);
};

/** The EFLAGS bits IRET may change at `cpl` with `iopl` (SDM 2A "IRET"). */
function iretMask(size: number, cpl: number, iopl: number): number {
  let mask = 0x4dd5 | RF | AC | ID; // CF PF AF ZF SF TF DF OF NT, RF, AC, ID
  if (cpl <= iopl) mask |= 0x200; // IF
  // IOPL, and with a 32-bit frame VIF and VIP (SDM 2A "IRET": RETURN-TO-SAME-PRIVILEGE-LEVEL).
  if (cpl === 0) mask |= 0x3000 | 0x80000 | 0x100000;
  return size === 16 ? mask & 0xffff : mask;
}

const IRET: Handler = (c, d) => {
  const s = c.s;
  const size = d.opSize;
  s.nmiBlocked = false;
  if (!isProtected(s)) {
    const ip = pop(c, size);
    const cs = pop(c, size) & 0xffff;
    const flags = pop(c, size);
    loadCodeSegment(c, cs, ip);
    setEflags(s, flags, size === 16 ? 0x7fd5 : 0x257fd5);
    return;
  }
  requireNotV86(c);
  if ((s.eflags & NT) !== 0) unimplemented('hardware task switch (IRET with NT=1, task return) is');
  oldStack.openCurrent(c);
  const eip = oldStack.pop(c, size);
  const cs = oldStack.pop(c, size) & 0xffff;
  const flags = oldStack.pop(c, size);
  if (size === 32 && (flags & VM) !== 0 && s.cpl === 0) {
    unimplemented('IRET to virtual-8086 mode is');
  }
  checkReturnCode(c, cs);
  const rpl = cs & 3;
  const mask = iretMask(size, s.cpl, (getEflags(s) >>> 12) & 3);
  if (rpl === s.cpl) {
    checkedOffset(target, eip);
    oldStack.commitEsp(c);
    setCodeSegment(c, cs, target, s.cpl, eip);
    setEflags(s, flags, mask);
    return;
  }
  const esp = oldStack.pop(c, size);
  const ss = oldStack.pop(c, size) & 0xffff;
  checkReturnStack(c, ss, rpl);
  checkedOffset(target, eip);
  returnToOuter(c, cs, eip, ss, esp);
  setEflags(s, flags, mask);
};

const INT: Handler = (c, d) => deliverEvent(c, d.imm[0]!, EVENT_SOFTWARE, c.s.eip);

const INT3: Handler = (c) => deliverEvent(c, Vector.BP, EVENT_SOFTWARE, c.s.eip);

/** INT1 (ICEBP) raises #DB as the CPU's own trap would: no DPL check, DR6 untouched. */
const INT1: Handler = (c) => deliverEvent(c, Vector.DB, EVENT_EXCEPTION, c.s.eip);

const INTO: Handler = (c) => {
  if (getOF(c.s)) deliverEvent(c, Vector.OF, EVENT_SOFTWARE, c.s.eip);
};

/** Far-transfer and software-interrupt handlers by exec name. */
export const farControlHandlers: Record<string, Handler> = {
  JMP_FAR,
  CALL_FAR,
  RETF,
  IRET,
  INT,
  INT3,
  INT1,
  INTO,
};
