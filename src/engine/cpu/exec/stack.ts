// Stack instructions: PUSH, POP (register, segment, immediate, r/m), PUSHA, POPA, ENTER, LEAVE (Intel SDM vol. 2); PUSHF/POPF are in eflags.ts.

import type { Cpu, Handler } from '../cpu';
import { OPK_MEM } from '../decoded-instruction';
import { effectiveAddress, readOp, writeOp } from '../operands';
import { ACCESS_WRITE } from '../paging';
import { loadSegment } from '../segmentation';
import { adjustSp, peek, pop, push } from '../stack';
import { EBP, ESP, SS } from '../state';

// PUSH SP pushes the value SP had before the push (286 and later).
const PUSH: Handler = (c, d) => push(c, d.opSize, readOp(c, d, 0));

// POP r/m with ESP as a base computes the address after the increment (SDM 2B "POP"); ESP
// itself moves only after the write to memory succeeded, so a fault leaves it.
const POP: Handler = (c, d) => {
  const bytes = d.opSize >> 3;
  if (d.kind[0] !== OPK_MEM) {
    writeOp(c, d, 0, pop(c, d.opSize));
    return;
  }
  const value = peek(c, d.opSize);
  if (d.memBase === ESP || d.memIndex === ESP) {
    const sp = c.s.regs[ESP]!;
    adjustSp(c, bytes);
    c.ea = effectiveAddress(c.s, d);
    c.s.regs[ESP] = sp;
  }
  writeOp(c, d, 0, value);
  adjustSp(c, bytes);
};

// Segment pushes move a 16-bit selector; with a 32-bit operand size the slot is 4 bytes and
// only its low word is written, as recent Intel CPUs and Bochs do (SDM 2B "PUSH": either way
// is allowed).
const PUSH_SREG: Handler = (c, d) => {
  const selector = c.s.seg[d.reg[0]!]!;
  if (d.opSize === 16) {
    push(c, 16, selector);
    return;
  }
  const mask = spMask(c);
  const sp = ((c.s.regs[ESP]! - 4) & mask) >>> 0;
  c.writeMem(SS, sp, 16, selector);
  setSp(c, mask, sp);
};

// ESP moves only once the segment load has passed its checks: a faulting POP leaves it.
const POP_SREG: Handler = (c, d) => {
  const selector = peek(c, d.opSize) & 0xffff;
  loadSegment(c, d.reg[0]!, selector);
  adjustSp(c, d.opSize >> 3);
};

/** Mask of the stack pointer: ESP with a 32-bit stack segment (SS.B), SP otherwise. */
function spMask(c: Cpu): number {
  return (c.s.segAttr[SS]! & 0x4000) !== 0 ? 0xffffffff : 0xffff;
}

/** Sets the stack pointer (ESP or SP, by `mask`) to `sp`. */
function setSp(c: Cpu, mask: number, sp: number): void {
  const s = c.s;
  s.regs[ESP] = mask === 0xffff ? (s.regs[ESP]! & 0xffff0000) | (sp & 0xffff) : sp;
}

// PUSHA pushes EAX, ECX, EDX, EBX, the original ESP, EBP, ESI, EDI. All writes happen before
// ESP changes, so a fault leaves the registers as they were (each address wraps on its own).
const PUSHA: Handler = (c, d) => {
  const s = c.s;
  const size = d.opSize;
  const bytes = size >> 3;
  const mask = spMask(c);
  const sp = s.regs[ESP]!;
  for (let r = 0; r < 8; r++) {
    c.writeMem(SS, ((sp - (r + 1) * bytes) & mask) >>> 0, size, s.regs[r]!);
  }
  setSp(c, mask, (sp - 8 * bytes) >>> 0);
};

// POPA pops EDI, ESI, EBP, (skipped ESP slot), EBX, EDX, ECX, EAX; a 16-bit POPA writes words.
const POPA: Handler = (c, d) => {
  const s = c.s;
  const size = d.opSize;
  const bytes = size >> 3;
  const mask = spMask(c);
  const sp = s.regs[ESP]!;
  const values = popaScratch;
  for (let i = 0; i < 8; i++) values[7 - i] = c.readMem(SS, ((sp + i * bytes) & mask) >>> 0, size);
  for (let r = 0; r < 8; r++) {
    if (r === ESP) continue;
    s.regs[r] = size === 16 ? (s.regs[r]! & 0xffff0000) | values[r]! : values[r]!;
  }
  setSp(c, mask, (sp + 8 * bytes) >>> 0);
};
const popaScratch = new Uint32Array(8);

/**
 * ENTER imm16, imm8 (SDM 2A "ENTER"): pushes EBP, copies level - 1 frame pointers from the
 * enclosing frame, pushes the new frame pointer, then allocates imm16 bytes. The level is
 * taken modulo 32. ESP and EBP change only at the end, so a fault leaves them alone.
 */
const ENTER: Handler = (c, d) => {
  const s = c.s;
  const size = d.opSize;
  const bytes = size >> 3;
  const mask = spMask(c);
  const alloc = d.imm[0]!;
  let level = d.imm[1]! & 0x1f;
  let sp = s.regs[ESP]!;
  sp = ((sp - bytes) & mask) >>> 0;
  c.writeMem(SS, sp, size, s.regs[EBP]!);
  const frame = sp;
  if (level > 0) {
    let bp = s.regs[EBP]!;
    while (--level > 0) {
      bp = ((bp - bytes) & mask) >>> 0;
      const v = c.readMem(SS, bp, size);
      sp = ((sp - bytes) & mask) >>> 0;
      c.writeMem(SS, sp, size, v);
    }
    sp = ((sp - bytes) & mask) >>> 0;
    c.writeMem(SS, sp, size, frame);
  }
  // The allocated frame's lowest slot must be writable: #SS(0) past the limit (SDM 2A
  // "ENTER"), and a page fault where Bochs probes it too.
  const top = ((sp - alloc) & mask) >>> 0;
  c.translate(c.linear(SS, top, bytes, true), ACCESS_WRITE | c.userAccess);
  setSp(c, mask, top);
  // The new frame pointer is ESP after the first push, written at the operand size (Bochs).
  const framePointer = mask === 0xffff ? (s.regs[ESP]! & 0xffff0000) | frame : frame;
  if (size === 16) s.regs[EBP] = (s.regs[EBP]! & 0xffff0000) | (frame & 0xffff);
  else s.regs[EBP] = framePointer;
};

// LEAVE: ESP = EBP (SP = BP on a 16-bit stack), then pops EBP (BP with a 16-bit operand size).
const LEAVE: Handler = (c, d) => {
  const s = c.s;
  const mask = spMask(c);
  const sp = (s.regs[EBP]! & mask) >>> 0;
  const value = c.readMem(SS, sp, d.opSize);
  setSp(c, mask, sp + (d.opSize >> 3));
  if (d.opSize === 16) s.regs[EBP] = (s.regs[EBP]! & 0xffff0000) | value;
  else s.regs[EBP] = value;
};

/** Stack handlers by exec name. */
export const stackHandlers: Record<string, Handler> = {
  PUSH,
  POP,
  PUSH_SREG,
  POP_SREG,
  PUSHA,
  POPA,
  ENTER,
  LEAVE,
};
