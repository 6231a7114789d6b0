// The fast path of a data access: a flat-enough segment, a TLB hit and plain RAM, with no check left to fail (Intel SDM vol. 3A, 5.3 and 4.10).

import type { Cpu } from './cpu';

const CR0_PG = 0x80000000;
const CR0_AM = 0x40000;
const PAGE_MASK = 0xfffff000;

// Access-rights bits that make a segment's type check pass: present (80h), code/data (10h),
// data (08h clear), expand-up (04h clear), and for writes writable (02h) (SDM 3A 3.4.5.1).
const READ_MASK = 0x9c;
const READ_OK = 0x90;
const WRITE_MASK = 0x9e;
const WRITE_OK = 0x92;

/** Little-endian host (every host V8 runs on today): RAM may be read through a 32-bit view. */
export const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Physical RAM address of `size` bytes at `seg`:`offset` when the slow path could not fault
 * nor reach anything but RAM: segment type and limit pass, no data breakpoint is armed, no
 * alignment check applies, the access stays in one page, the TLB holds the page with this
 * access right (or paging is off), the A20 gate is open, and for a write, the frame holds no
 * decoded code. Otherwise -1, and the caller takes the full path (cpu.ts), which decides.
 * In real mode the type check is skipped, so passing it here changes nothing there either.
 */
export function ramAddress(
  cpu: Cpu,
  seg: number,
  offset: number,
  size: number,
  write: boolean,
): number {
  const s = cpu.s;
  const attr = s.segAttr[seg]!;
  const typeOk = write ? (attr & WRITE_MASK) === WRITE_OK : (attr & READ_MASK) === READ_OK;
  if (!typeOk || offset + size - 1 > s.segLimit[seg]! || cpu.dataWatch) return -1;
  const lin = (s.segBase[seg]! + offset) >>> 0;
  if ((lin & 0xfff) > 4096 - size) return -1;
  const cr0 = s.cr0;
  if ((lin & (size - 1)) !== 0 && (cr0 & CR0_AM) !== 0) return -1;
  let p = lin;
  if ((cr0 & CR0_PG) !== 0) {
    const e = cpu.tlb.entries[lin >>> 12]!;
    // TLB_READ_SUP 1, TLB_WRITE_SUP 2, TLB_READ_USER 4, TLB_WRITE_USER 8 (tlb.ts).
    const bit = (write ? 2 : 1) << (s.cpl === 3 ? 2 : 0);
    if ((e & bit) === 0) return -1;
    p = ((e & PAGE_MASK) | (lin & 0xfff)) >>> 0;
  }
  const mem = cpu.mem;
  if (p + size > mem.size || !mem.a20Enabled) return -1;
  if (write && mem.codeFrames[p >>> 12] !== 0) return -1;
  return p;
}

/** The dword at RAM address `p` (inside RAM), unsigned. */
export function ram32(cpu: Cpu, p: number): number {
  if ((p & 3) === 0 && HOST_LE) return cpu.ram32[p >>> 2]! >>> 0;
  const b = cpu.mem.bytes;
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

/** Stores `v` as a dword at RAM address `p` (inside RAM, in a frame without code). */
export function setRam32(cpu: Cpu, p: number, v: number): void {
  if ((p & 3) === 0 && HOST_LE) {
    cpu.ram32[p >>> 2] = v;
    return;
  }
  const b = cpu.mem.bytes;
  b[p] = v;
  b[p + 1] = v >>> 8;
  b[p + 2] = v >>> 16;
  b[p + 3] = v >>> 24;
}
