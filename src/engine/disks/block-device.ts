// The disk backend interface: fixed-size 512-byte sectors, synchronous access (the engine runs on its own worker thread).

/** Size of a disk sector in bytes. */
export const SECTOR_SIZE = 512;

/**
 * A disk backend. Access is synchronous so a device model can complete a PIO transfer inside
 * one instruction; backends that live on slow storage load or cache ahead of time.
 */
export interface BlockDevice {
  /** Capacity in sectors. */
  readonly sectorCount: number;
  /** True when writes are refused (the guest sees write errors). */
  readonly readOnly: boolean;
  /** Reads `count` sectors from `lba` into `into` at `offset`; the range must be in bounds. */
  read(lba: number, count: number, into: Uint8Array, offset: number): void;
  /** Writes `count` sectors at `lba` from `from` at `offset`; the range must be in bounds. */
  write(lba: number, count: number, from: Uint8Array, offset: number): void;
  /** Pushes buffered writes to storage (ATA FLUSH CACHE). */
  flush(): void;
}

/** Throws a RangeError unless sectors [lba, lba + count) exist on `disk`. */
export function checkRange(disk: BlockDevice, lba: number, count: number): void {
  if (
    !Number.isInteger(lba) ||
    !Number.isInteger(count) ||
    lba < 0 ||
    count < 0 ||
    lba + count > disk.sectorCount
  ) {
    throw new RangeError(
      `sectors ${lba}+${count} are outside a disk of ${disk.sectorCount} sectors`,
    );
  }
}
