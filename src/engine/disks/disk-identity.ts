// A name for a disk's contents, so a snapshot's disk delta is only ever applied to the disk it was taken on.

import { checksum32 } from '../snapshot/checksum';
import { type BlockDevice, SECTOR_SIZE } from './block-device';

/** Sectors read per checksum chunk (1 MiB). */
const CHUNK_SECTORS = 2048;

/**
 * `sectors:hash` for `disk`: its size and a 64-bit digest of every sector, read a MiB at a
 * time. Two disks with the same identity hold the same bytes (barring a hash collision).
 */
export function diskIdentity(disk: BlockDevice): string {
  const buffer = new Uint8Array(CHUNK_SECTORS * SECTOR_SIZE);
  let lo = 0x811c9dc5;
  let hi = 0x01000193;
  for (let lba = 0; lba < disk.sectorCount; lba += CHUNK_SECTORS) {
    const count = Math.min(CHUNK_SECTORS, disk.sectorCount - lba);
    const chunk = buffer.subarray(0, count * SECTOR_SIZE);
    disk.read(lba, count, chunk, 0);
    const h = checksum32(chunk);
    lo = Math.imul(lo ^ h, 0x01000193) >>> 0;
    hi = Math.imul(hi + h + lba, 0x9e3779b1) >>> 0;
  }
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return `${disk.sectorCount}:${hex(hi)}${hex(lo)}`;
}
