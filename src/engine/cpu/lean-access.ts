// The lean path's data accesses off its inline RAM path, and its lazy-flags record kept in locals (Intel SDM vol. 3A, 5.3; vol. 1, 3.4.3).

import type { Cpu } from './cpu';
import { ramAddress } from './ram-access';
import type { CpuState } from './state';

// runLean32 reads and writes aligned dwords of RAM itself when the segment, the TLB entry and
// the frame allow it (as ramAddress decides); any other access comes here, to the Cpu's full
// path, with icount brought up to date first since a device behind MMIO may read the clock.

/** The dword at `seg`:`ea` as int32, through ramAddress or Cpu.read32. */
export function load32(cpu: Cpu, seg: number, ea: number, icount: number): number {
  const p = ramAddress(cpu, seg, ea, 4, false);
  if (p >= 0) return readRam32(cpu, p);
  cpu.s.icount = icount;
  return cpu.read32(seg, ea) | 0;
}

/** load32 for a read-modify-write destination: checked as a write (Cpu.readRmw). */
export function loadRmw32(cpu: Cpu, seg: number, ea: number, icount: number): number {
  const p = ramAddress(cpu, seg, ea, 4, true);
  if (p >= 0) return readRam32(cpu, p);
  cpu.s.icount = icount;
  return cpu.readRmw(seg, ea, 32) | 0;
}

/** Writes dword `v` at `seg`:`ea`, through ramAddress or Cpu.write32. */
export function store32(cpu: Cpu, seg: number, ea: number, v: number, icount: number): void {
  const p = ramAddress(cpu, seg, ea, 4, true);
  if (p >= 0) {
    const b = cpu.mem.bytes;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    return;
  }
  cpu.s.icount = icount;
  cpu.write32(seg, ea, v >>> 0);
}

/** The dword at RAM address `p` (inside RAM) as int32, at any alignment. */
function readRam32(cpu: Cpu, p: number): number {
  const b = cpu.mem.bytes;
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

/**
 * Stores a lazy-flags record and EFLAGS held in locals (int32 operands) as the handlers
 * store them (flags.ts: operands unsigned), so that `x | 0` then this gives `x` back.
 */
export function storeFlags(
  s: CpuState,
  op: number,
  size: number,
  dst: number,
  src: number,
  res: number,
  eflags: number,
): void {
  s.lazyOp = op;
  s.lazySize = size;
  s.lazyDst = dst >>> 0;
  s.lazySrc = src >>> 0;
  s.lazyRes = res >>> 0;
  s.eflags = eflags;
}
