import { describe, expect, it } from 'vitest';
import { MemoryDisk } from '../disks/memory-disk';
import { IdeChannel } from './ide-ata';
import { busWith, ports, RecordingIrq, roundTrip } from './test-support';

function channel(sectors = 64) {
  const image = new Uint8Array(sectors * 512);
  for (let s = 0; s < sectors; s++) image.fill(s, s * 512, s * 512 + 512);
  const disk = new MemoryDisk(image);
  const irq = new RecordingIrq();
  const dev = new IdeChannel(0x1f0, 0x3f6, irq, [disk, undefined]);
  const io = ports(busWith(dev));
  const lba = (n: number, count: number) => {
    io.out(0x1f6, 0xe0 | ((n >> 24) & 0x0f));
    io.out(0x1f2, count);
    io.out(0x1f3, n & 0xff);
    io.out(0x1f4, (n >> 8) & 0xff);
    io.out(0x1f5, (n >> 16) & 0xff);
  };
  const readWords = (n: number) => Array.from({ length: n }, () => io.inw(0x1f0));
  return { disk, irq, dev, io, lba, readWords };
}

describe('IDE/ATA PIO channel', () => {
  it('identifies the disk with geometry, LBA capacity and model', () => {
    const t = channel(2048);
    t.io.out(0x1f6, 0xa0);
    t.io.out(0x1f7, 0xec);
    expect(t.irq.level).toBe(true);
    expect(t.io.inb(0x1f7)).toBe(0x58); // DRDY DSC DRQ; reading status acknowledges
    expect(t.irq.level).toBe(false);
    const w = t.readWords(256);
    expect(w[0]).toBe(0x0040);
    expect([w[1], w[3], w[6]]).toEqual([2, 16, 63]);
    expect(w[60]! | (w[61]! << 16)).toBe(2048);
    const model = w
      .slice(27, 47)
      .map((x) => String.fromCharCode(x >> 8, x & 0xff))
      .join('');
    expect(model.trim()).toBe('VMLAB HARDDISK');
    expect(t.io.inb(0x1f7)).toBe(0x50);
  });

  it('reads sectors in LBA28 and CHS form, one DRQ block and interrupt each', () => {
    const t = channel();
    t.lba(5, 2);
    t.io.out(0x1f7, 0x20);
    expect(t.io.inb(0x1f7)).toBe(0x58); // the interrupt handler acknowledges first
    expect(t.readWords(256).every((x) => x === 0x0505)).toBe(true);
    expect(t.irq.edges).toBe(2);
    expect(t.readWords(256)[0]).toBe(0x0606);
    expect(t.io.inb(0x3f6)).toBe(0x50); // alternate status
    // CHS: cylinder 0, head 1, sector 1 = LBA 63 on a 16x63 geometry; disk too small, so IDNF.
    t.io.out(0x1f6, 0xa1);
    t.io.out(0x1f2, 1);
    t.io.out(0x1f3, 1);
    t.io.out(0x1f4, 0);
    t.io.out(0x1f5, 0);
    t.io.out(0x1f7, 0x20);
    expect(t.readWords(256)[0]).toBe(0x3f3f);
  });

  it('writes sectors and multiple blocks after SET MULTIPLE', () => {
    const t = channel();
    t.io.out(0x1f2, 4);
    t.io.out(0x1f7, 0xc6); // SET MULTIPLE 4
    expect(t.io.inb(0x1f7) & 1).toBe(0);
    t.lba(10, 8);
    t.io.out(0x1f7, 0xc5); // WRITE MULTIPLE
    expect(t.io.inb(0x1f7) & 0x08).toBe(0x08);
    for (let i = 0; i < 4 * 256; i++) t.io.out(0x1f0, 0xabcd, 2);
    expect(t.io.inb(0x1f7) & 0x08).toBe(0x08); // second block wanted
    for (let i = 0; i < 4 * 256; i++) t.io.out(0x1f0, 0x1234, 2);
    expect(t.io.inb(0x1f7)).toBe(0x50);
    expect(t.disk.bytes[10 * 512]).toBe(0xcd);
    expect(t.disk.bytes[17 * 512 + 1]).toBe(0x12);
    t.lba(10, 8);
    t.io.out(0x1f7, 0xc4); // READ MULTIPLE: 4 sectors per DRQ block
    expect(t.readWords(1024)[1023]).toBe(0xabcd);
    expect(t.readWords(1024)[0]).toBe(0x1234);
  });

  it('reads and writes with LBA48 (EXT) commands, high-order bytes written first', () => {
    const t = channel();
    const lba48 = (n: number, count: number) => {
      t.io.out(0x1f6, 0x40);
      for (const [port, hi, lo] of [
        [0x1f2, count >> 8, count & 0xff],
        [0x1f3, (n >> 24) & 0xff, n & 0xff],
        [0x1f4, 0, (n >> 8) & 0xff],
        [0x1f5, 0, (n >> 16) & 0xff],
      ] as const) {
        t.io.out(port, hi);
        t.io.out(port, lo);
      }
    };
    lba48(40, 2);
    t.io.out(0x1f7, 0x24);
    expect(t.readWords(256)[0]).toBe(0x2828);
    expect(t.readWords(256)[255]).toBe(0x2929);
    expect(t.io.inb(0x1f3)).toBe(41); // the last sector transferred
    t.io.out(0x3f6, 0x80);
    expect(t.io.inb(0x1f3)).toBe(0); // HOB: high-order byte
    t.io.out(0x3f6, 0x00);
    lba48(50, 1);
    t.io.out(0x1f7, 0x34);
    for (let i = 0; i < 256; i++) t.io.out(0x1f0, 0x7777, 2);
    expect(t.disk.bytes[50 * 512]).toBe(0x77);
    lba48(0x1000000, 1); // beyond the disk
    t.io.out(0x1f7, 0x24);
    expect(t.io.inb(0x1f1)).toBe(0x10);
  });

  it('reports errors: out-of-range sectors (IDNF) and unknown commands (ABRT)', () => {
    const t = channel(16);
    t.lba(15, 2);
    t.io.out(0x1f7, 0x20);
    expect(t.io.inb(0x1f7) & 0x01).toBe(1);
    expect(t.io.inb(0x1f1)).toBe(0x10);
    t.io.out(0x1f7, 0xc4); // READ MULTIPLE before SET MULTIPLE
    expect(t.io.inb(0x1f1)).toBe(0x04);
    t.io.out(0x1f6, 0xb0); // the absent slave
    expect(t.io.inb(0x1f7)).toBe(0);
  });

  it('masks its interrupt with nIEN and resets with SRST', () => {
    const t = channel();
    t.io.out(0x3f6, 0x02);
    t.lba(0, 1);
    t.io.out(0x1f7, 0x20);
    expect(t.irq.level).toBe(false);
    t.io.out(0x3f6, 0x04);
    expect(t.io.inb(0x3f6) & 0x80).toBe(0x80);
    t.io.out(0x3f6, 0x00);
    expect(t.io.inb(0x1f7)).toBe(0x50);
    expect([t.io.inb(0x1f2), t.io.inb(0x1f3), t.io.inb(0x1f4)]).toEqual([1, 1, 0]);
  });

  it('round-trips its state mid-transfer', () => {
    const t = channel();
    t.lba(3, 2);
    t.io.out(0x1f7, 0x20);
    t.readWords(10);
    const other = channel();
    const { saved, again } = roundTrip(t.dev, other.dev);
    expect(again).toEqual(saved);
    expect(other.readWords(246).at(-1)).toBe(0x0303);
    expect(other.readWords(1)[0]).toBe(0x0404);
  });
});
