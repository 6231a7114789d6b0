// A disk held in memory: tests, templates built in the UI, and images small enough to keep whole.

import { type BlockDevice, checkRange, SECTOR_SIZE } from './block-device';

/** A BlockDevice over a byte array; an image not a multiple of 512 bytes is padded with zeros. */
export class MemoryDisk implements BlockDevice {
  /** The disk's contents. */
  readonly bytes: Uint8Array;
  readonly sectorCount: number;

  constructor(
    image: Uint8Array | number,
    readonly readOnly = false,
  ) {
    const size = typeof image === 'number' ? image : image.length;
    this.sectorCount = Math.ceil(size / SECTOR_SIZE);
    this.bytes = new Uint8Array(this.sectorCount * SECTOR_SIZE);
    if (typeof image !== 'number') this.bytes.set(image);
  }

  read(lba: number, count: number, into: Uint8Array, offset: number): void {
    checkRange(this, lba, count);
    into.set(this.bytes.subarray(lba * SECTOR_SIZE, (lba + count) * SECTOR_SIZE), offset);
  }

  write(lba: number, count: number, from: Uint8Array, offset: number): void {
    checkRange(this, lba, count);
    if (this.readOnly) throw new RangeError('disk is read-only');
    this.bytes.set(from.subarray(offset, offset + count * SECTOR_SIZE), lba * SECTOR_SIZE);
  }

  flush(): void {}
}
