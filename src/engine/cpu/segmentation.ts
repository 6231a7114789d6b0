// Segment register loads in real and protected mode (Intel SDM vol. 3A, 3.4.3, 5.5-5.6, and vol. 2 "MOV", "POP", "LDS/LES/LFS/LGS/LSS").

import { UnimplementedError } from '../bus/errors';
import type { Cpu } from './cpu';
import { Descriptor, markAccessed, readDescriptor } from './descriptors';
import { CpuFault, Vector } from './faults';
import { VM } from './flags';
import { type CpuState, CS, SS } from './state';

const scratch = new Descriptor();

/** True in protected mode (CR0.PE) outside virtual-8086 mode. */
export function isProtected(s: CpuState): boolean {
  return (s.cr0 & 1) !== 0;
}

/** Fills segment register `seg`'s selector and cache from descriptor `d`. */
export function setSegmentCache(s: CpuState, seg: number, selector: number, d: Descriptor): void {
  s.seg[seg] = selector & 0xffff;
  s.segBase[seg] = d.base;
  s.segLimit[seg] = d.limit;
  s.segAttr[seg] = d.attr;
}

/** Loads a null selector into a data segment register: any use then raises #GP(0). */
export function setNullSegment(s: CpuState, seg: number, selector: number): void {
  s.seg[seg] = selector & 0xffff;
  s.segBase[seg] = 0;
  s.segLimit[seg] = 0;
  s.segAttr[seg] = 0;
}

function requireNotV86(s: CpuState): void {
  if ((s.eflags & VM) !== 0) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      'virtual-8086 mode is not implemented',
    );
  }
}

/**
 * Loads segment register `seg` (not CS) with `selector`. In real mode the base becomes
 * selector * 16 and the cached limit and rights stay as they are ("unreal mode"). In
 * protected mode it runs every check of the SDM's MOV/POP Sreg pseudo-code.
 */
export function loadSegment(cpu: Cpu, seg: number, selector: number): void {
  const s = cpu.s;
  selector &= 0xffff;
  if (!isProtected(s)) {
    s.seg[seg] = selector;
    s.segBase[seg] = selector << 4;
  } else {
    requireNotV86(s);
    if (seg === SS) loadStackSegment(cpu, selector);
    else loadDataSegment(cpu, seg, selector);
  }
  // A load of SS inhibits interrupts and debug traps until after the next instruction
  // (SDM 3A 6.8.3), so a stack switch by MOV SS; MOV ESP is never split by a handler.
  if (seg === SS) {
    s.interruptShadow = true;
    cpu.stackLoaded = true;
  }
}

function loadStackSegment(cpu: Cpu, selector: number): void {
  const s = cpu.s;
  const err = selector & 0xfffc;
  if (err === 0) {
    throw new CpuFault(Vector.GP, 0);
  }
  const d = readDescriptor(cpu, selector, scratch, Vector.GP);
  if ((selector & 3) !== s.cpl || !d.isWritableData || d.dpl !== s.cpl) {
    throw new CpuFault(Vector.GP, err);
  }
  if (!d.present) throw new CpuFault(Vector.SS, err);
  markAccessed(cpu, selector, d);
  setSegmentCache(s, SS, selector, d);
}

function loadDataSegment(cpu: Cpu, seg: number, selector: number): void {
  const s = cpu.s;
  const err = selector & 0xfffc;
  if ((selector & 0xfffc) === 0) {
    setNullSegment(s, seg, selector);
    return;
  }
  const d = readDescriptor(cpu, selector, scratch, Vector.GP);
  if (!d.isReadable) throw new CpuFault(Vector.GP, err);
  if (!d.isConforming && ((selector & 3) > d.dpl || s.cpl > d.dpl)) {
    throw new CpuFault(Vector.GP, err);
  }
  if (!d.present) throw new CpuFault(Vector.NP, err);
  markAccessed(cpu, selector, d);
  setSegmentCache(s, seg, selector, d);
}

/**
 * After a return to an outer ring: a data segment register whose DPL is below the new CPL
 * (unless it holds conforming code) is nulled (SDM 2A "RET", "IRET").
 */
export function revalidateDataSegments(s: CpuState): void {
  for (const seg of [0, 3, 4, 5]) {
    const attr = s.segAttr[seg]!;
    const dpl = (attr >> 5) & 3;
    const isConformingCode = (attr & 0x1c) === 0x1c;
    if ((s.seg[seg]! & 0xfffc) === 0 || (attr & 0x10) === 0) continue;
    if (!isConformingCode && dpl < s.cpl) setNullSegment(s, seg, 0);
  }
}

/** Loads CS:EIP for a far transfer in real mode. */
export function loadCodeSegment(cpu: Cpu, selector: number, eip: number): void {
  const s = cpu.s;
  if (isProtected(s)) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      'loadCodeSegment is the real-mode path; protected mode uses far-control',
    );
  }
  s.seg[CS] = selector & 0xffff;
  s.segBase[CS] = (selector & 0xffff) << 4;
  s.eip = eip;
}

/** Loads CS with `selector` and its checked descriptor `d`, at privilege `cpl`, and sets EIP. */
export function setCodeSegment(
  cpu: Cpu,
  selector: number,
  d: Descriptor,
  cpl: number,
  eip: number,
): void {
  const s = cpu.s;
  markAccessed(cpu, selector, d);
  setSegmentCache(s, CS, (selector & 0xfffc) | cpl, d);
  s.cpl = cpl;
  s.eip = eip;
}
