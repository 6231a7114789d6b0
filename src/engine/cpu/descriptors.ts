// Segment and gate descriptors in the GDT and LDT (Intel SDM vol. 3A, 3.4.5 "Segment descriptors" and 5.8 "Gates").

import type { Cpu } from './cpu';
import { CpuFault } from './faults';

/** Descriptor type bits (access byte, SDM 3A tables 3-1 and 3-2). */
export const DESC_ACCESSED = 0x01;
export const DESC_WRITABLE = 0x02; // data; for code: readable
export const DESC_CONFORMING = 0x04; // code; for data: expand-down
export const DESC_CODE = 0x08;
export const DESC_S = 0x10; // code or data (not system)
export const DESC_P = 0x80;

/** System descriptor types (S = 0). */
export const SYS_TSS16_AVAIL = 0x1;
export const SYS_LDT = 0x2;
export const SYS_TSS16_BUSY = 0x3;
export const SYS_CALL_GATE16 = 0x4;
export const SYS_TASK_GATE = 0x5;
export const SYS_INT_GATE16 = 0x6;
export const SYS_TRAP_GATE16 = 0x7;
export const SYS_TSS32_AVAIL = 0x9;
export const SYS_TSS32_BUSY = 0xb;
export const SYS_CALL_GATE32 = 0xc;
export const SYS_INT_GATE32 = 0xe;
export const SYS_TRAP_GATE32 = 0xf;

/**
 * One decoded descriptor. Callers keep a few of these as scratch objects and refill them,
 * so descriptor loads allocate nothing.
 */
export class Descriptor {
  lo = 0;
  hi = 0;
  /** Access byte plus the G, D/B, L, AVL nibble at bits 12-15: the segment-cache format. */
  attr = 0;
  base = 0;
  /** Byte-granular limit (G applied). */
  limit = 0;
  /** Access byte bits 0-4: S and the type. */
  type = 0;
  dpl = 0;
  present = false;
  /** Gates: target selector, offset and (call gates) parameter count. */
  gateSelector = 0;
  gateOffset = 0;
  gateParams = 0;

  /** Decodes the two dwords of a descriptor. */
  decode(lo: number, hi: number): this {
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.attr = (hi >>> 8) & 0xf0ff;
    this.type = (hi >>> 8) & 0x1f;
    this.dpl = (hi >>> 13) & 3;
    this.present = (hi & 0x8000) !== 0;
    this.base = ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
    const raw = (lo & 0xffff) | (hi & 0xf0000);
    this.limit = (hi & 0x800000) !== 0 ? ((raw << 12) | 0xfff) >>> 0 : raw;
    this.gateSelector = (lo >>> 16) & 0xffff;
    this.gateOffset = ((lo & 0xffff) | (hi & 0xffff0000)) >>> 0;
    this.gateParams = hi & 0x1f;
    return this;
  }

  /** True for a code or data segment descriptor. */
  get isSegment(): boolean {
    return (this.type & DESC_S) !== 0;
  }

  get isCode(): boolean {
    return (this.type & (DESC_S | DESC_CODE)) === (DESC_S | DESC_CODE);
  }

  get isData(): boolean {
    return (this.type & (DESC_S | DESC_CODE)) === DESC_S;
  }

  get isConforming(): boolean {
    return this.isCode && (this.type & DESC_CONFORMING) !== 0;
  }

  /** Readable code or any data segment. */
  get isReadable(): boolean {
    return this.isData || (this.isCode && (this.type & DESC_WRITABLE) !== 0);
  }

  get isWritableData(): boolean {
    return this.isData && (this.type & DESC_WRITABLE) !== 0;
  }

  /** The system type (0..15) when S = 0, else -1. */
  get systemType(): number {
    return this.isSegment ? -1 : this.type & 0xf;
  }
}

/** Linear address of `selector`'s descriptor, or -1 when it lies past the table limit. */
export function descriptorAddress(cpu: Cpu, selector: number): number {
  const s = cpu.s;
  const index = selector & 0xfff8;
  if ((selector & 4) !== 0) {
    if ((s.ldtr & 0xfffc) === 0 || (s.ldtrAttr & DESC_P) === 0) return -1;
    if (index + 7 > s.ldtrLimit) return -1;
    return (s.ldtrBase + index) >>> 0;
  }
  if (index + 7 > s.gdtrLimit) return -1;
  return (s.gdtrBase + index) >>> 0;
}

/**
 * Reads `selector`'s descriptor into `out` (a supervisor access, whatever the CPL).
 * Past the table limit it throws `vector` with the selector as error code (EXT added).
 */
export function readDescriptor(
  cpu: Cpu,
  selector: number,
  out: Descriptor,
  vector: number,
  ext = 0,
): Descriptor {
  const addr = descriptorAddress(cpu, selector);
  if (addr < 0) throw new CpuFault(vector, (selector & 0xfffc) | ext);
  return out.decode(cpu.readLinear32(addr, 0), cpu.readLinear32((addr + 4) >>> 0, 0));
}

/** Sets the accessed bit of a code or data descriptor in memory, as a segment load does. */
export function markAccessed(cpu: Cpu, selector: number, d: Descriptor): void {
  if ((d.type & DESC_ACCESSED) !== 0) return;
  const addr = descriptorAddress(cpu, selector);
  if (addr < 0) return;
  d.hi = (d.hi | 0x100) >>> 0;
  d.type |= DESC_ACCESSED;
  d.attr |= DESC_ACCESSED;
  cpu.writeLinear32((addr + 4) >>> 0, d.hi, 0);
}

/** Sets the busy bit of the TSS descriptor `selector` in the GDT (LTR, task switches). */
export function markTssBusy(cpu: Cpu, selector: number, d: Descriptor): void {
  const addr = descriptorAddress(cpu, selector);
  d.hi = (d.hi | 0x200) >>> 0;
  d.decode(d.lo, d.hi);
  cpu.writeLinear32((addr + 4) >>> 0, d.hi, 0);
}
