// ATA task-file addressing: the sector a command names in CHS, LBA28 or LBA48 form, and the
// address the drive writes back when a command ends (ATA/ATAPI-6, T13 1410D, 6.2 and 7.x).

import { ATA_HEADS as HEADS, ATA_SECTORS as SPT } from './ata-identify';
import type { IdeChannelState } from './ide-ata';

/** READ/WRITE SECTORS EXT and MULTIPLE EXT: their addresses are LBA48. */
export const isExtCommand = (cmd: number) =>
  cmd === 0x24 || cmd === 0x29 || cmd === 0x34 || cmd === 0x39;

/** The LBA the task file addresses, in LBA48, LBA28 or CHS form; -1 for an invalid CHS sector. */
export function taskFileLba(st: IdeChannelState, ext = false): number {
  const low24 = (st.lbaHigh << 16) | (st.lbaMid << 8) | st.lbaLow;
  if (ext) return ((st.hob[3]! * 256 + st.hob[2]!) * 256 + st.hob[1]!) * 0x1000000 + low24;
  if ((st.device & 0x40) !== 0) {
    return ((st.device & 0x0f) << 24) | (st.lbaHigh << 16) | (st.lbaMid << 8) | st.lbaLow;
  }
  const cyl = (st.lbaHigh << 8) | st.lbaMid;
  const head = st.device & 0x0f;
  const sector = st.lbaLow;
  if (sector === 0 || sector > SPT) return -1;
  return (cyl * HEADS + head) * SPT + sector - 1;
}

/** Writes `lba` back into the task file, as the drive does at the end of a command. */
export function storeTaskFileLba(st: IdeChannelState, lba: number): void {
  if (isExtCommand(st.command)) {
    const high = Math.floor(lba / 0x1000000);
    st.hob[1] = high & 0xff;
    st.hob[2] = (high >> 8) & 0xff;
    st.hob[3] = (high >> 16) & 0xff;
    st.lbaLow = lba & 0xff;
    st.lbaMid = (lba >> 8) & 0xff;
    st.lbaHigh = (lba >> 16) & 0xff;
  } else if ((st.device & 0x40) !== 0) {
    st.lbaLow = lba & 0xff;
    st.lbaMid = (lba >> 8) & 0xff;
    st.lbaHigh = (lba >> 16) & 0xff;
    st.device = (st.device & 0xf0) | ((lba >> 24) & 0x0f);
  } else {
    const sector = (lba % SPT) + 1;
    const head = Math.floor(lba / SPT) % HEADS;
    const cyl = Math.floor(lba / (SPT * HEADS));
    st.lbaLow = sector;
    st.lbaMid = cyl & 0xff;
    st.lbaHigh = (cyl >> 8) & 0xff;
    st.device = (st.device & 0xf0) | head;
  }
}
