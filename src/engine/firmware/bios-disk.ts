// BIOS fixed-disk services, int 13h, including the EDD extensions (IBM PC/AT BIOS; Phoenix "BIOS Enhanced Disk Drive Specification" 1.1).

import { DS, EBX, ECX, EDX, ES, ESI } from '../cpu/state';
import type { BlockDevice } from '../disks/block-device';
import { SECTOR_SIZE } from '../disks/block-device';
import { BiosCall } from './bios-call';

/** The CHS geometry the BIOS reports and translates with: 16 heads, 63 sectors a track. */
export const BIOS_HEADS = 16;
export const BIOS_SECTORS = 63;

/** BIOS data area byte holding the last int 13h status, and the fixed-disk count. */
const BDA_DISK_STATUS = 0x474;
const BDA_DISK_COUNT = 0x475;

const OK = 0x00;
const BAD_COMMAND = 0x01;
const SECTOR_NOT_FOUND = 0x04;
const WRITE_PROTECTED = 0x03;
const NOT_READY = 0xaa;

/** Cylinders reported for `disk` (at most 1024, the int 13h CHS limit). */
export function biosCylinders(disk: BlockDevice): number {
  return Math.max(1, Math.min(1024, Math.ceil(disk.sectorCount / (BIOS_HEADS * BIOS_SECTORS))));
}

/** Writes the fixed-disk count into the BIOS data area. */
export function initDiskBda(
  c: { mem: { write8(a: number, v: number): void } },
  disks: readonly (BlockDevice | undefined)[],
): void {
  c.mem.write8(BDA_DISK_COUNT, disks.filter((d) => d).length);
}

/** Int 13h: disk services for drives 80h and up (the machine's disks in IDE order). */
export function int13(
  c: BiosCall,
  disks: readonly (BlockDevice | undefined)[],
  scratch: Uint8Array,
): void {
  const present = disks.filter((d): d is BlockDevice => d !== undefined);
  const dl = c.dl;
  const disk = dl >= 0x80 ? present[dl - 0x80] : undefined;
  const finish = (status: number) => {
    c.mem.write8(BDA_DISK_STATUS, status);
    c.setAh(status);
    c.setCarry(status !== OK);
  };
  const ah = c.ah;
  if (ah === 0x01) {
    const last = c.mem.read8(BDA_DISK_STATUS);
    c.setAh(last);
    c.setCarry(last !== OK);
    return;
  }
  if (!disk) {
    // A drive that does not exist: floppies included, since vmlab has none.
    if (ah === 0x08 || ah === 0x15) c.set8(EDX, false, 0);
    finish(ah === 0x15 ? OK : NOT_READY);
    if (ah === 0x15) c.setAh(0); // no such drive
    return;
  }
  switch (ah) {
    case 0x00: // reset
    case 0x0c: // seek
    case 0x0d: // alternate reset
    case 0x10: // test ready
    case 0x11: // recalibrate
    case 0x47: // extended seek
      finish(OK);
      return;
    case 0x02:
    case 0x03: {
      const count = c.al;
      const sector = c.cl & 0x3f;
      const cyl = c.ch | ((c.cl & 0xc0) << 2);
      const head = c.dh;
      if (sector === 0 || head >= BIOS_HEADS || count === 0) {
        c.setAl(0);
        finish(sector === 0 ? SECTOR_NOT_FOUND : BAD_COMMAND);
        return;
      }
      const lba = (cyl * BIOS_HEADS + head) * BIOS_SECTORS + sector - 1;
      const addr = BiosCall.linear(c.s.seg[ES]!, c.bx);
      const status = transfer(c, disk, ah === 0x03, lba, count, addr, scratch);
      c.setAl(status === OK ? count : 0);
      finish(status);
      return;
    }
    case 0x08: {
      const maxCyl = biosCylinders(disk) - 1;
      c.set8(ECX, true, maxCyl & 0xff);
      c.set8(ECX, false, BIOS_SECTORS | ((maxCyl >> 2) & 0xc0));
      c.set8(EDX, true, BIOS_HEADS - 1);
      c.set8(EDX, false, present.length);
      c.set16(EBX, 0);
      finish(OK);
      return;
    }
    case 0x15: {
      const n = Math.min(disk.sectorCount, biosCylinders(disk) * BIOS_HEADS * BIOS_SECTORS);
      c.set16(ECX, n >>> 16);
      c.set16(EDX, n & 0xffff);
      c.mem.write8(BDA_DISK_STATUS, OK);
      c.setAh(0x03); // fixed disk present
      c.setCarry(false);
      return;
    }
    case 0x41:
      if (c.bx !== 0x55aa) {
        finish(BAD_COMMAND);
        return;
      }
      c.set16(EBX, 0xaa55);
      c.set16(ECX, 0x0001); // fixed-disk access subset (42h-44h, 47h, 48h)
      c.mem.write8(BDA_DISK_STATUS, OK);
      c.setAh(0x21); // EDD 1.1
      c.setCarry(false);
      return;
    case 0x42:
    case 0x43:
    case 0x44: {
      const dap = BiosCall.linear(c.s.seg[DS]!, c.s.regs[ESI]! & 0xffff);
      const count = c.mem.read16(dap + 2);
      const addr = BiosCall.linear(c.mem.read16(dap + 6), c.mem.read16(dap + 4));
      const lbaHigh = c.mem.read32(dap + 12);
      const lba = lbaHigh !== 0 ? Number.MAX_SAFE_INTEGER : c.mem.read32(dap + 8);
      if (ah === 0x44) {
        finish(lba + count <= disk.sectorCount ? OK : SECTOR_NOT_FOUND);
        return;
      }
      const status = transfer(c, disk, ah === 0x43, lba, count, addr, scratch);
      if (status !== OK) c.mem.write16(dap + 2, 0);
      finish(status);
      return;
    }
    case 0x48: {
      const buf = BiosCall.linear(c.s.seg[DS]!, c.s.regs[ESI]! & 0xffff);
      const size = c.mem.read16(buf);
      if (size < 0x1a) {
        finish(BAD_COMMAND);
        return;
      }
      c.mem.write16(buf, 0x1a);
      c.mem.write16(buf + 2, 0x0002); // CHS information valid
      c.mem.write32(buf + 4, biosCylinders(disk));
      c.mem.write32(buf + 8, BIOS_HEADS);
      c.mem.write32(buf + 12, BIOS_SECTORS);
      c.mem.write32(buf + 16, disk.sectorCount);
      c.mem.write32(buf + 20, 0);
      c.mem.write16(buf + 24, SECTOR_SIZE);
      finish(OK);
      return;
    }
    default:
      finish(BAD_COMMAND);
  }
}

/** Moves `count` sectors between the disk and guest memory at `addr`; returns a status. */
function transfer(
  c: BiosCall,
  disk: BlockDevice,
  write: boolean,
  lba: number,
  count: number,
  addr: number,
  scratch: Uint8Array,
): number {
  if (lba + count > disk.sectorCount) return SECTOR_NOT_FOUND;
  if (write && disk.readOnly) return WRITE_PROTECTED;
  const mem = c.mem;
  for (let i = 0; i < count; i++) {
    const at = addr + i * SECTOR_SIZE;
    if (at + SECTOR_SIZE > mem.size) return SECTOR_NOT_FOUND;
    if (write) {
      for (let j = 0; j < SECTOR_SIZE; j++) scratch[j] = mem.read8(at + j);
      disk.write(lba + i, 1, scratch, 0);
    } else {
      disk.read(lba + i, 1, scratch, 0);
      for (let j = 0; j < SECTOR_SIZE; j++) mem.write8(at + j, scratch[j]!);
    }
  }
  return OK;
}
