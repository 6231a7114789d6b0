// Machine RAM: one ArrayBuffer split into 4 KiB frames, little-endian byte/word/dword access.

/** Size of a physical frame (an x86 page). */
export const FRAME_SIZE = 4096;

/** Saved contents of physical memory. */
export interface PhysicalMemoryState {
  size: number;
  bytes: Uint8Array;
}

/**
 * Physical memory of the machine. Accesses past the end of RAM read all ones and ignore
 * writes, as an open bus does; MMIO will claim such ranges later. It only accesses, never manages.
 */
export class PhysicalMemory {
  /** The backing store, exposed for device models and snapshots that copy whole frames. */
  readonly bytes: Uint8Array;
  /** RAM size in bytes, a multiple of FRAME_SIZE. */
  readonly size: number;

  constructor(size: number) {
    if (!Number.isInteger(size) || size <= 0 || size % FRAME_SIZE !== 0) {
      throw new RangeError(`memory size ${size} is not a positive multiple of ${FRAME_SIZE}`);
    }
    this.size = size;
    this.bytes = new Uint8Array(new ArrayBuffer(size));
  }

  /** Number of 4 KiB frames. */
  get frameCount(): number {
    return this.size / FRAME_SIZE;
  }

  /** Reads the byte at `addr`. */
  read8(addr: number): number {
    return addr < this.size ? this.bytes[addr]! : 0xff;
  }

  /** Reads the little-endian word at `addr`. */
  read16(addr: number): number {
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }

  /** Reads the little-endian dword at `addr` as an unsigned number. */
  read32(addr: number): number {
    return (this.read16(addr) | (this.read16(addr + 2) << 16)) >>> 0;
  }

  /** Writes the low byte of `value` at `addr`. */
  write8(addr: number, value: number): void {
    if (addr < this.size) this.bytes[addr] = value;
  }

  /** Writes the low word of `value` at `addr`, little-endian. */
  write16(addr: number, value: number): void {
    this.write8(addr, value);
    this.write8(addr + 1, value >>> 8);
  }

  /** Writes `value` at `addr` as a little-endian dword. */
  write32(addr: number, value: number): void {
    this.write16(addr, value);
    this.write16(addr + 2, value >>> 16);
  }

  /** Copies `data` into memory at `addr`; the caller checks that it fits. */
  load(addr: number, data: ArrayLike<number>): void {
    if (addr + data.length > this.size) throw new RangeError('load past the end of memory');
    this.bytes.set(data, addr);
  }

  /** Zeroes all of memory. */
  reset(): void {
    this.bytes.fill(0);
  }

  /** Captures the contents of memory. */
  saveState(): PhysicalMemoryState {
    return { size: this.size, bytes: this.bytes.slice() };
  }

  /** Restores contents captured by saveState on a memory of the same size. */
  loadState(state: PhysicalMemoryState): void {
    if (state.size !== this.size || state.bytes.length !== this.size) {
      throw new RangeError(`memory state of ${state.size} bytes does not fit ${this.size} bytes`);
    }
    this.bytes.set(state.bytes);
  }
}
