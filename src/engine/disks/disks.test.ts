import { describe, expect, it } from 'vitest';
import { CowOverlay } from './cow-overlay';
import { MemoryDisk } from './memory-disk';

describe('disk backends', () => {
  it('memory disk: pads to whole sectors, reads and writes, refuses out-of-range and read-only writes', () => {
    const d = new MemoryDisk(new Uint8Array(700).fill(7));
    expect(d.sectorCount).toBe(2);
    const buf = new Uint8Array(1024);
    d.read(0, 2, buf, 0);
    expect([buf[699], buf[700]]).toEqual([7, 0]);
    d.write(1, 1, new Uint8Array(512).fill(9), 0);
    expect(d.bytes[512]).toBe(9);
    expect(() => d.read(1, 2, buf, 0)).toThrow(RangeError);
    expect(() => new MemoryDisk(512, true).write(0, 1, buf, 0)).toThrow(/read-only/);
  });

  it('copy-on-write overlay: writes stay in the overlay, reads merge, state round-trips', () => {
    const base = new MemoryDisk(new Uint8Array(4 * 512).fill(1), true);
    const cow = new CowOverlay(base);
    cow.write(2, 1, new Uint8Array(512).fill(5), 0);
    const buf = new Uint8Array(4 * 512);
    cow.read(0, 4, buf, 0);
    expect([buf[0], buf[1024], buf[1536]]).toEqual([1, 5, 1]);
    expect(base.bytes[1024]).toBe(1);
    expect(cow.dirtyCount).toBe(1);
    for (let i = 0; i < 100; i++) cow.write(i % 4, 1, new Uint8Array(512).fill(i), 0);
    const state = cow.saveState();
    const other = new CowOverlay(base);
    other.loadState(structuredClone(state));
    expect(other.saveState()).toEqual(state);
    other.read(3, 1, buf, 0);
    expect(buf[0]).toBe(99);
  });
});
