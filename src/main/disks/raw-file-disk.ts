// A raw disk image file (.img) as a disk backend, on node:fs with synchronous positional I/O.

import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { type BlockDevice, SECTOR_SIZE } from '../../engine';

/**
 * A raw image file, read and written in place. Access is synchronous on purpose: the engine
 * runs on its own worker thread (or the CLI's), a PIO transfer or int 13h call must complete
 * inside one guest instruction, and blocking there stalls only the guest, as a real disk
 * would. It also keeps runs deterministic: no completion can arrive at a host-chosen time.
 * A file whose size is not a multiple of 512 reads as zero-padded to the next sector.
 */
export class RawFileDisk implements BlockDevice {
  readonly sectorCount: number;
  private fd: number | null;

  private constructor(
    fd: number,
    size: number,
    readonly readOnly: boolean,
    readonly path: string,
  ) {
    this.fd = fd;
    this.sectorCount = Math.ceil(size / SECTOR_SIZE);
  }

  /** Opens `path`; read-only when asked or when the file cannot be opened for writing. */
  static open(path: string, options: { readOnly?: boolean } = {}): RawFileDisk {
    let readOnly = options.readOnly ?? false;
    let fd: number;
    try {
      fd = openSync(path, readOnly ? 'r' : 'r+');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (readOnly || (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM')) throw e;
      fd = openSync(path, 'r');
      readOnly = true;
    }
    return new RawFileDisk(fd, fstatSync(fd).size, readOnly, path);
  }

  read(lba: number, count: number, into: Uint8Array, offset: number): void {
    const fd = this.handle();
    this.check(lba, count);
    const length = count * SECTOR_SIZE;
    let done = 0;
    while (done < length) {
      const n = readSync(fd, into, offset + done, length - done, lba * SECTOR_SIZE + done);
      if (n === 0) break;
      done += n;
    }
    into.fill(0, offset + done, offset + length); // past the end of a short last sector
  }

  write(lba: number, count: number, from: Uint8Array, offset: number): void {
    const fd = this.handle();
    this.check(lba, count);
    if (this.readOnly) throw new RangeError(`${this.path} is read-only`);
    const length = count * SECTOR_SIZE;
    let done = 0;
    while (done < length) {
      done += writeSync(fd, from, offset + done, length - done, lba * SECTOR_SIZE + done);
    }
  }

  flush(): void {
    if (!this.readOnly) fsyncSync(this.handle());
  }

  /** Closes the file; further access throws. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private handle(): number {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    return this.fd;
  }

  private check(lba: number, count: number): void {
    if (lba < 0 || count < 0 || lba + count > this.sectorCount) {
      throw new RangeError(
        `sectors ${lba}+${count} are outside ${this.path} (${this.sectorCount} sectors)`,
      );
    }
  }
}
