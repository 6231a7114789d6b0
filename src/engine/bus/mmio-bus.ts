// Memory-mapped I/O above RAM (APIC pages): routes physical accesses to the device that claims an address.

import type { AccessSize, MmioRange } from './device';
import { hex } from './errors';

/**
 * MMIO bus. Ranges never overlap; lookups scan a short list, which is fine because only
 * addresses past the end of RAM ever come here (RAM keeps its fast path).
 */
export class MmioBus {
  private readonly ranges: MmioRange[] = [];

  /** Claims `range`; throws if it overlaps a claimed range. */
  register(range: MmioRange): void {
    const end = range.base + range.length;
    if (range.length <= 0 || range.base < 0 || end > 0x1_0000_0000) {
      throw new RangeError(`invalid MMIO range ${hex(range.base, 8)}h+${range.length}`);
    }
    for (const r of this.ranges) {
      if (range.base < r.base + r.length && r.base < end) {
        throw new RangeError(
          `MMIO range ${hex(range.base, 8)}h+${range.length} overlaps ${hex(r.base, 8)}h+${r.length}`,
        );
      }
    }
    this.ranges.push(range);
  }

  /** The range that holds `addr`, or undefined. */
  find(addr: number): MmioRange | undefined {
    for (const r of this.ranges) {
      if (addr >= r.base && addr < r.base + r.length) return r;
    }
    return undefined;
  }

  /** Reads `size` bytes at `addr`; unclaimed addresses read all ones. */
  read(addr: number, size: AccessSize): number {
    const r = this.find(addr);
    if (!r) return size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff;
    return r.read(addr - r.base, size);
  }

  /** Writes `size` bytes at `addr`; unclaimed addresses ignore writes. */
  write(addr: number, size: AccessSize, value: number): void {
    const r = this.find(addr);
    if (r) r.write(addr - r.base, size, value);
  }
}
