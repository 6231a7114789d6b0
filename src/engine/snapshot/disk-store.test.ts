import { describe, expect, it } from 'vitest';
import { type DiskDelta, decodeDisks, encodeDisks } from './disk-store';
import { SnapshotError } from './errors';

function delta(identity: string, sectors: Record<number, number>): DiskDelta {
  const lbas = Object.keys(sectors)
    .map(Number)
    .sort((a, b) => a - b);
  const data = new Uint8Array(lbas.length * 512);
  lbas.forEach((lba, k) => {
    data.fill(sectors[lba]!, k * 512, (k + 1) * 512);
  });
  return { identity, sectors: lbas, data };
}

describe('disk sections', () => {
  it('round-trips full deltas, empty slots included', () => {
    const disks = [delta('8:aa', { 1: 7, 5: 9 }), null, delta('4:bb', {})];
    const { section, stats } = encodeDisks(disks);
    expect(stats).toEqual({ sectors: 2, stored: 2 });
    expect(decodeDisks(section)).toEqual(disks);
  });

  it('stores only changed sectors against a parent, and sectors the child no longer has', () => {
    const parent = [delta('8:aa', { 1: 7, 2: 3, 5: 9 })];
    // Sector 2 unchanged, 5 changed, 6 new, 1 gone (the VM went back to before it was written).
    const child = [delta('8:aa', { 2: 3, 5: 10, 6: 1 })];
    const { section, stats } = encodeDisks(child, parent);
    expect(stats).toEqual({ sectors: 3, stored: 2 });
    expect(decodeDisks(section, parent)).toEqual(child);
  });

  it('stores a disk whole when the parent had another disk in that position', () => {
    const parent = [delta('8:aa', { 1: 7 })];
    const child = [delta('8:cc', { 1: 7 })];
    const { section, stats } = encodeDisks(child, parent);
    expect(stats.stored).toBe(1);
    expect(decodeDisks(section, parent)).toEqual(child);
  });

  it('refuses sections that are truncated, malformed or need a parent they lack', () => {
    const parent = [delta('8:aa', { 1: 7 })];
    const { section } = encodeDisks([delta('8:aa', { 1: 8 })], parent);
    expect(() => decodeDisks(section)).toThrow(/does not have/);
    expect(() => decodeDisks(section.subarray(0, section.length - 10), parent)).toThrow(
      /shorter than its header/,
    );
    expect(() => decodeDisks(section.subarray(0, 2))).toThrow(SnapshotError);
    const garbage = section.slice();
    garbage[5] = 0x7b; // '{' where the JSON needs a quote
    expect(() => decodeDisks(garbage, parent)).toThrow(/not JSON|describes a disk badly/);
  });
});
