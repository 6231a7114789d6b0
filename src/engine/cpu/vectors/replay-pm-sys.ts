// The system-table suite's additions to the protected-mode replay (generate.mjs --suite sys, harness-pm.asm with SYS): I/O bitmap, extra IDT gates, a loaded LDT, frames told apart by their size (Intel SDM vol. 3A, 6.12.1 "Exception- or interrupt-handler procedures").

import type { PhysicalMemory } from '../../bus/physical-memory';
import type { Cpu } from '../cpu';
import { Descriptor } from '../descriptors';
import { getEflags } from '../flags';
import { SS } from '../state';
import { load, type Outcome, type SysRegs } from './replay';
import type { PmLayout, PmVector } from './replay-pm';

/** What the suite's file header adds to the layout. */
export interface SysLayout {
  /** The TSS limit: room for an I/O permission bitmap from offset 68h. */
  tssLimit: number;
  /** The LDT's address, its bytes and the GDT selector LDTR holds. */
  ldt: { base: number; bytes: string; selector: number };
  /** IDT gates by vector (hex bytes), written over the base IDT. */
  gates: Record<string, string>;
  /** Where gate n leads: stub32 or stub16 + (n - first) * stride; an EIP there names n. */
  stubs: { stub32: number; stub16: number; stride: number; first: number };
}

const STUB_COUNT = 0x12;
const RF = 0x10000;
const scratch = new Descriptor();

/** Writes the suite's extra IDT gates. */
export function sysGates(mem: PhysicalMemory, l: PmLayout): void {
  for (const [n, bytes] of Object.entries(l.sys!.gates))
    load(mem, l.idtBase + Number(n) * 8, bytes);
}

/** Per case: the TSS limit, the case's I/O map base and bitmap, the LDT and LDTR. */
export function sysTables(cpu: Cpu, l: PmLayout, v: PmVector): void {
  const { mem, s } = cpu;
  const sys = l.sys!;
  s.trLimit = sys.tssLimit;
  if (v.io) {
    mem.write16(l.tssBase + 0x66, v.io.base);
    load(mem, l.tssBase + 0x68, v.io.map);
  }
  load(mem, sys.ldt.base, sys.ldt.bytes);
  const at = l.gdtBase + (sys.ldt.selector & 0xfff8);
  scratch.decode(mem.read32(at), mem.read32(at + 4));
  s.ldtr = sys.ldt.selector;
  s.ldtrBase = scratch.base;
  s.ldtrLimit = scratch.limit;
  s.ldtrAttr = scratch.attr;
}

/** The vector whose RAM stub EIP is at, or -1. */
export function sysVector(eip: number, sys: SysLayout): number {
  const { stub32, stub16, stride, first } = sys.stubs;
  for (const base of [stub32, stub16]) {
    const k = eip - base;
    if (k >= 0 && k < STUB_COUNT * stride && k % stride === 0) return first + k / stride;
  }
  return -1;
}

/**
 * Fills `o` from the frame the way harness-pm.asm's SYS fault handler reads it: the distance
 * of ESP from the stack top (the case's 7000h at CPL 0, the ring-0 stack from CPL 3) gives the
 * gate size and whether an error code was pushed.
 */
export function sysFrame(
  cpu: Cpu,
  o: Outcome,
  vector: number,
  cpl: number,
  ring0: number,
  rfClear: boolean,
): void {
  const s = cpu.s;
  const outer = cpl === 3;
  let d = ((outer ? ring0 : 0x7000) - s.regs[4]!) >>> 0;
  if (outer) {
    d -= 4;
    if (d >= 12) d -= 4;
  }
  const width = d > 8 ? 4 : 2;
  let at = s.regs[4]!;
  const base = s.segBase[SS]!;
  const next = (): number => {
    const v = cpu.mem.read32((base + at) >>> 0);
    at = (at + width) >>> 0;
    return width === 2 ? v & 0xffff : v;
  };
  o.vector = vector;
  o.error = d === 8 || d === 16 ? next() : 0;
  o.eip = next();
  o.sregs[1] = next() & 0xffff;
  // QEMU leaves RF clear in the frame: the replay does the same in its frame for its files.
  if (rfClear && width === 4)
    cpu.mem.write32((base + at) >>> 0, cpu.mem.read32((base + at) >>> 0) & ~RF);
  o.eflags = next();
  if (outer) {
    o.regs[4] = next();
    o.sregs[2] = next() & 0xffff;
  } else {
    o.regs[4] = at;
  }
}

/** The table registers as the harness stores them after the case, and the handler's EFLAGS. */
export function sysRegs(cpu: Cpu, l: PmLayout, faulted: boolean): SysRegs {
  const s = cpu.s;
  return {
    gdtr: [s.gdtrLimit, s.gdtrBase],
    idtr: [s.idtrLimit, s.idtrBase],
    ldtr: s.ldtr,
    tr: s.tr,
    trAccess: cpu.mem.read8(l.gdtBase + (s.tr & 0xfff8) + 5),
    hflags: faulted ? (getEflags(s) & ~RF) >>> 0 : 0,
  };
}
