// The 512-byte IDENTIFY DEVICE data of an ATA disk (ATA/ATAPI-6, T13 1410D, table 27).

import type { BlockDevice } from '../disks/block-device';

/** The default CHS translation every vmlab disk reports: 16 heads, 63 sectors a track. */
export const ATA_HEADS = 16;
export const ATA_SECTORS = 63;

/**
 * IDENTIFY data for `disk` as drive `drive` (0 master, 1 slave): fixed disk, CHS geometry,
 * LBA28 and LBA48 capacity, READ/WRITE MULTIPLE up to `maxMultiple` sectors (`multiple` set now).
 */
export function identifyData(
  disk: BlockDevice,
  drive: number,
  multiple: number,
  maxMultiple: number,
): Uint16Array {
  const words = new Uint16Array(256);
  const cyls = Math.min(16383, Math.floor(disk.sectorCount / (ATA_HEADS * ATA_SECTORS)));
  // ATA strings hold two characters a word, the first in the high byte.
  const text = (at: number, len: number, s: string) => {
    const padded = s.padEnd(len * 2, ' ');
    for (let i = 0; i < len; i++) {
      words[at + i] = (padded.charCodeAt(i * 2) << 8) | padded.charCodeAt(i * 2 + 1);
    }
  };
  words[0] = 0x0040; // fixed disk
  words[1] = cyls;
  words[3] = ATA_HEADS;
  words[6] = ATA_SECTORS;
  text(10, 10, `VMLAB000${drive}`);
  text(23, 4, '1.0');
  text(27, 20, 'VMLAB HARDDISK');
  words[47] = 0x8000 | maxMultiple;
  words[49] = 0x0200; // LBA supported
  words[53] = 0x0001; // words 54-58 valid
  words[54] = cyls;
  words[55] = ATA_HEADS;
  words[56] = ATA_SECTORS;
  const chs = cyls * ATA_HEADS * ATA_SECTORS;
  words[57] = chs & 0xffff;
  words[58] = chs >>> 16;
  words[59] = multiple ? 0x100 | multiple : 0;
  const lba28 = Math.min(disk.sectorCount, 0x0fffffff);
  words[60] = lba28 & 0xffff;
  words[61] = lba28 >>> 16;
  words[80] = 0x007e; // ATA-1 to ATA-6
  words[82] = 0x4000;
  words[83] = 0x4400; // 48-bit addressing supported
  words[84] = 0x4000;
  words[86] = 0x0400; // ...and enabled
  let total = disk.sectorCount;
  for (let w = 100; w < 104; w++) {
    words[w] = total % 0x10000;
    total = Math.floor(total / 0x10000);
  }
  return words;
}
