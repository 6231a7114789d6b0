// A copy-on-write overlay over any disk backend: snapshots and linked clones keep the base untouched.

import { type BlockDevice, checkRange, SECTOR_SIZE } from './block-device';
import { diskIdentity } from './disk-identity';

/** Written sectors of an overlay: their numbers, ascending, and their contents in that order. */
export interface CowOverlayState {
  sectors: number[];
  data: Uint8Array;
}

/**
 * Reads come from the overlay where a sector was written, else from `base`; writes never
 * reach `base`. Sector numbers index a sorted list plus a dense lookup so reads stay cheap.
 */
export class CowOverlay implements BlockDevice {
  readonly sectorCount: number;
  /** Refuses writes; a base the machine got read-only stays so (writes fail as on the base). */
  readonly readOnly: boolean;
  /** Overlay slot + 1 per sector, 0 when the sector comes from the base. */
  private slotOf: Uint32Array;
  private data = new Uint8Array(64 * SECTOR_SIZE);
  private used = 0;

  private identity: string | undefined;

  /** By default the overlay takes writes even over a read-only base (linked clones). */
  constructor(
    private readonly base: BlockDevice,
    options: { readOnly?: boolean } = {},
  ) {
    this.sectorCount = base.sectorCount;
    this.readOnly = options.readOnly ?? false;
    this.slotOf = new Uint32Array(this.sectorCount);
  }

  /**
   * Names the base's contents (diskIdentity), computed once: the base never changes under an
   * overlay, so a saved delta can later be checked against the disk it is applied to.
   */
  baseIdentity(): string {
    this.identity ??= diskIdentity(this.base);
    return this.identity;
  }

  /** Writes every overlay sector through to the base and empties the overlay. */
  commit(): void {
    if (this.used === 0) return;
    for (let lba = 0; lba < this.sectorCount; lba++) {
      const slot = this.slotOf[lba]!;
      if (slot !== 0) this.base.write(lba, 1, this.data, (slot - 1) * SECTOR_SIZE);
    }
    this.base.flush();
    this.slotOf.fill(0);
    this.used = 0;
    this.identity = undefined;
  }

  /** Number of sectors written through the overlay. */
  get dirtyCount(): number {
    return this.used;
  }

  read(lba: number, count: number, into: Uint8Array, offset: number): void {
    checkRange(this, lba, count);
    for (let i = 0; i < count; i++) {
      const slot = this.slotOf[lba + i]!;
      const at = offset + i * SECTOR_SIZE;
      if (slot === 0) this.base.read(lba + i, 1, into, at);
      else into.set(this.data.subarray((slot - 1) * SECTOR_SIZE, slot * SECTOR_SIZE), at);
    }
  }

  write(lba: number, count: number, from: Uint8Array, offset: number): void {
    checkRange(this, lba, count);
    if (this.readOnly) throw new RangeError('disk is read-only');
    for (let i = 0; i < count; i++) {
      let slot = this.slotOf[lba + i]!;
      if (slot === 0) slot = this.allocate(lba + i);
      const at = offset + i * SECTOR_SIZE;
      this.data.set(from.subarray(at, at + SECTOR_SIZE), (slot - 1) * SECTOR_SIZE);
    }
  }

  flush(): void {}

  /** Captures the written sectors. */
  saveState(): CowOverlayState {
    const sectors: number[] = [];
    for (let lba = 0; lba < this.sectorCount; lba++) if (this.slotOf[lba] !== 0) sectors.push(lba);
    const data = new Uint8Array(sectors.length * SECTOR_SIZE);
    sectors.forEach((lba, i) => {
      const slot = this.slotOf[lba]!;
      data.set(this.data.subarray((slot - 1) * SECTOR_SIZE, slot * SECTOR_SIZE), i * SECTOR_SIZE);
    });
    return { sectors, data };
  }

  /** Replaces the overlay's contents with a captured state (the base must be the same disk). */
  loadState(state: CowOverlayState): void {
    this.slotOf.fill(0);
    this.used = 0;
    state.sectors.forEach((lba, i) => {
      const slot = this.allocate(lba);
      this.data.set(
        state.data.subarray(i * SECTOR_SIZE, (i + 1) * SECTOR_SIZE),
        (slot - 1) * SECTOR_SIZE,
      );
    });
  }

  private allocate(lba: number): number {
    if ((this.used + 1) * SECTOR_SIZE > this.data.length) {
      const bigger = new Uint8Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.used++;
    this.slotOf[lba] = this.used;
    return this.used;
  }
}
