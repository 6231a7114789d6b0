// Machine RAM: one ArrayBuffer split into 4 KiB frames, little-endian access, the A20 gate, MMIO above RAM.

import type { MmioBus } from './mmio-bus';

/** Size of a physical frame (an x86 page). */
export const FRAME_SIZE = 4096;

/** Saved contents of physical memory. */
export interface PhysicalMemoryState {
  size: number;
  bytes: Uint8Array;
  /** A20 gate open; absent in states saved before the gate existed (then open). */
  a20?: boolean;
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
    this.codeFrames = new Uint8Array(size / FRAME_SIZE);
    this.frameGen = new Int32Array(size / FRAME_SIZE);
  }

  /**
   * 1 for a frame the CPU's decode cache holds instructions from (set by the cache). A write
   * to such a frame clears the flag and bumps the frame's generation, which retires those
   * decoded instructions; writes to other frames cost one array load (DESIGN.md 2.1 "Speed").
   */
  readonly codeFrames: Uint8Array;
  /** Per-frame write generation, bumped by a write to a frame flagged in codeFrames. */
  readonly frameGen: Int32Array;
  /** Count of accesses that reached MMIO devices: the fast tier ends a block after one. */
  mmioAccesses = 0;

  /** Retires decoded code in the frames of [addr, addr + length); callers that write `bytes` directly use it. */
  touch(addr: number, length: number): void {
    const frames = this.codeFrames;
    const last = Math.min(addr + length - 1, this.size - 1) >>> 12;
    for (let f = addr >>> 12; f <= last; f++) {
      if (frames[f] !== 0) {
        frames[f] = 0;
        this.frameGen[f]!++;
      }
    }
  }

  private codeWritten(a: number, size: number): void {
    this.touch(a, size);
  }

  /** Number of 4 KiB frames. */
  get frameCount(): number {
    return this.size / FRAME_SIZE;
  }

  /**
   * AND-mask applied to every physical address: all ones with the A20 gate open, bit 20 clear
   * with it closed, so the 8086 wrap-around at 1 MiB is real (port 92h, 8042 output port).
   */
  private a20Mask = 0xffffffff;
  /** Devices mapped past the end of RAM (local and I/O APIC pages), if any. */
  private mmio: MmioBus | null = null;

  /** Maps `bus` at the addresses RAM does not cover; RAM accesses never consult it. */
  attachMmio(bus: MmioBus): void {
    this.mmio = bus;
  }

  /** True when the A20 gate is open (address bit 20 passes through). */
  get a20Enabled(): boolean {
    return this.a20Mask === 0xffffffff;
  }

  /** Opens or closes the A20 gate. */
  setA20(enabled: boolean): void {
    this.a20Mask = enabled ? 0xffffffff : 0xffefffff;
  }

  /** Reads the byte at `addr`. */
  read8(addr: number): number {
    const a = (addr & this.a20Mask) >>> 0;
    if (a < this.size) return this.bytes[a]!;
    if (!this.mmio) return 0xff;
    this.mmioAccesses++;
    return this.mmio.read(a, 1);
  }

  /** Reads the little-endian word at `addr`. */
  read16(addr: number): number {
    const a = (addr & this.a20Mask) >>> 0;
    if (a + 1 < this.size) return this.bytes[a]! | (this.bytes[a + 1]! << 8);
    if (a >= this.size && this.mmio) {
      this.mmioAccesses++;
      return this.mmio.read(a, 2);
    }
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }

  /** Reads the little-endian dword at `addr` as an unsigned number. */
  read32(addr: number): number {
    const a = (addr & this.a20Mask) >>> 0;
    const b = this.bytes;
    if (a + 3 < this.size) {
      return (b[a]! | (b[a + 1]! << 8) | (b[a + 2]! << 16) | (b[a + 3]! << 24)) >>> 0;
    }
    if (a >= this.size && this.mmio) {
      this.mmioAccesses++;
      return this.mmio.read(a, 4) >>> 0;
    }
    return (this.read16(addr) | (this.read16(addr + 2) << 16)) >>> 0;
  }

  /** Writes the low byte of `value` at `addr`. */
  write8(addr: number, value: number): void {
    const a = (addr & this.a20Mask) >>> 0;
    if (a < this.size) {
      this.bytes[a] = value;
      if (this.codeFrames[a >>> 12] !== 0) this.codeWritten(a, 1);
    } else if (this.mmio) {
      this.mmioAccesses++;
      this.mmio.write(a, 1, value & 0xff);
    }
  }

  /** Writes the low word of `value` at `addr`, little-endian. */
  write16(addr: number, value: number): void {
    const a = (addr & this.a20Mask) >>> 0;
    if (a + 1 < this.size) {
      this.bytes[a] = value;
      this.bytes[a + 1] = value >>> 8;
      const f = this.codeFrames;
      if ((f[a >>> 12]! | f[(a + 1) >>> 12]!) !== 0) this.codeWritten(a, 2);
    } else if (a >= this.size && this.mmio) {
      this.mmioAccesses++;
      this.mmio.write(a, 2, value & 0xffff);
    } else {
      this.write8(addr, value);
      this.write8(addr + 1, value >>> 8);
    }
  }

  /** Writes `value` at `addr` as a little-endian dword. */
  write32(addr: number, value: number): void {
    const a = (addr & this.a20Mask) >>> 0;
    if (a + 3 < this.size) {
      const b = this.bytes;
      b[a] = value;
      b[a + 1] = value >>> 8;
      b[a + 2] = value >>> 16;
      b[a + 3] = value >>> 24;
      const f = this.codeFrames;
      if ((f[a >>> 12]! | f[(a + 3) >>> 12]!) !== 0) this.codeWritten(a, 4);
    } else if (a >= this.size && this.mmio) {
      this.mmioAccesses++;
      this.mmio.write(a, 4, value >>> 0);
    } else {
      this.write16(addr, value);
      this.write16(addr + 2, value >>> 16);
    }
  }

  /**
   * Fills `length` bytes at `addr` with `byte` in one call (REP STOSB fast path). Returns false,
   * touching nothing, when the area is not plain RAM or crosses the A20 wrap, so the caller
   * falls back to byte-by-byte access.
   */
  fill(addr: number, length: number, byte: number): boolean {
    if (!this.isPlainRam(addr, length)) return false;
    this.bytes.fill(byte, addr, addr + length);
    this.touch(addr, length);
    return true;
  }

  /**
   * Fills `length` bytes at `addr` with the little-endian `elementBytes`-byte `value` repeated
   * (REP STOSW/STOSD fast path); `length` is a multiple of `elementBytes`. Returns false,
   * touching nothing, when the area is not plain RAM.
   */
  fillPattern(addr: number, length: number, value: number, elementBytes: number): boolean {
    if (!this.isPlainRam(addr, length)) return false;
    const b = this.bytes;
    const v = value >>> 0;
    const uniform =
      elementBytes === 1 || (v & 0xff) * (elementBytes === 2 ? 0x101 : 0x1010101) === v;
    if (uniform) {
      b.fill(v & 0xff, addr, addr + length);
    } else {
      // One element written, then doubled in place: log2(length) native copies.
      for (let i = 0; i < elementBytes; i++) b[addr + i] = v >>> (8 * i);
      let filled = elementBytes;
      while (filled < length) {
        const n = Math.min(filled, length - filled);
        b.copyWithin(addr + filled, addr, addr + n);
        filled += n;
      }
    }
    this.touch(addr, length);
    return true;
  }

  /**
   * Copies `length` bytes from `src` to `dst` as memmove does (REP MOVS fast path; the caller
   * keeps to areas where element order cannot matter). Returns false, touching nothing, unless
   * both areas are plain RAM.
   */
  copyWithin(dst: number, src: number, length: number): boolean {
    if (!this.isPlainRam(dst, length) || !this.isPlainRam(src, length)) return false;
    this.bytes.copyWithin(dst, src, src + length);
    this.touch(dst, length);
    return true;
  }

  /** True when [addr, addr + length) is RAM and unaffected by the A20 mask. */
  private isPlainRam(addr: number, length: number): boolean {
    if (addr < 0 || length < 0 || addr + length > this.size) return false;
    if (this.a20Mask === 0xffffffff || length === 0) return true;
    // With A20 closed, only areas inside one 1 MiB-aligned even megabyte map straight.
    return ((addr >>> 20) & 1) === 0 && (addr + length - 1) >>> 20 === addr >>> 20;
  }

  /** Copies `data` into memory at `addr`; the caller checks that it fits. */
  load(addr: number, data: ArrayLike<number>): void {
    if (addr + data.length > this.size) throw new RangeError('load past the end of memory');
    this.bytes.set(data, addr);
    this.touch(addr, data.length);
  }

  /** Zeroes all of memory and opens the A20 gate, as the firmware leaves it for the guest. */
  reset(): void {
    this.bytes.fill(0);
    this.touch(0, this.size);
    this.a20Mask = 0xffffffff;
  }

  /** Captures the contents of memory. */
  saveState(): PhysicalMemoryState {
    return { size: this.size, bytes: this.bytes.slice(), a20: this.a20Enabled };
  }

  /** Restores contents captured by saveState on a memory of the same size. */
  loadState(state: PhysicalMemoryState): void {
    if (state.size !== this.size || state.bytes.length !== this.size) {
      throw new RangeError(`memory state of ${state.size} bytes does not fit ${this.size} bytes`);
    }
    // A snapshot decoded straight into this memory is already in place.
    if (state.bytes !== this.bytes) this.bytes.set(state.bytes);
    this.touch(0, this.size);
    this.setA20(state.a20 ?? true);
  }
}
