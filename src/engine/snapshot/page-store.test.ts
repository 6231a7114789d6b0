import { describe, expect, it } from 'vitest';
import { SnapshotError } from './errors';
import { decodePages, encodePages, PAGE_SIZE } from './page-store';

function memory(pages: number, fill: (page: number) => number | null): Uint8Array {
  const mem = new Uint8Array(pages * PAGE_SIZE);
  for (let p = 0; p < pages; p++) {
    const v = fill(p);
    if (v !== null) mem.fill(v, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
  }
  return mem;
}

describe('page store', () => {
  it('leaves zero pages out and stores identical pages once', () => {
    const mem = memory(64, (p) => (p < 32 ? null : p % 4 === 0 ? 0xaa : p));
    mem[40 * PAGE_SIZE + 5] = 1; // one page that differs in a single byte from its twins' pattern
    const { section, stats } = encodePages(mem);
    expect(stats).toMatchObject({ pages: 64, zero: 32 });
    expect(stats.stored + stats.shared).toBe(32);
    expect(stats.shared).toBe(6); // seven identical 0xAA pages (page 40 differs): one stored
    expect(section.length).toBeLessThan((stats.stored + 1) * PAGE_SIZE);
    const back = new Uint8Array(mem.length).fill(0x55);
    decodePages(section, back);
    expect(firstDifference(back, mem)).toBe(-1);
  });

  it('a mostly zero memory costs only its non-zero pages plus a small header', () => {
    const mem = new Uint8Array(16 << 20);
    mem.set([1, 2, 3], 0x7c00);
    mem.set([9], 5 << 20);
    const { section } = encodePages(mem);
    expect(section.length).toBe(2 * PAGE_SIZE + 16 + 2 * 8);
  });

  it('an incremental section holds only what changed since the parent, zeroed pages too', () => {
    const parent = memory(32, (p) => p + 1);
    const child = parent.slice();
    child.fill(0xee, 3 * PAGE_SIZE, 4 * PAGE_SIZE);
    child.fill(0, 10 * PAGE_SIZE, 11 * PAGE_SIZE);
    child[20 * PAGE_SIZE + 100] = 0x42;
    const { section, stats } = encodePages(child, parent);
    expect(stats).toMatchObject({ unchanged: 29, stored: 2, zero: 1 });
    expect(section.length).toBe(16 + 3 * 8 + 2 * PAGE_SIZE);
    const back = new Uint8Array(child.length);
    decodePages(section, back, parent);
    expect(firstDifference(back, child)).toBe(-1);
  });

  it('refuses sections that do not fit the target, without touching it', () => {
    const { section } = encodePages(memory(4, (p) => p));
    const target = new Uint8Array(8 * PAGE_SIZE).fill(7);
    expect(() => decodePages(section, target)).toThrow(SnapshotError);
    expect(target.every((b) => b === 7)).toBe(true);
    const broken = section.slice();
    new DataView(broken.buffer).setUint32(16, 99, true); // a record pointing past memory
    const small = new Uint8Array(4 * PAGE_SIZE).fill(7);
    expect(() => decodePages(broken, small)).toThrow(/points outside/);
    expect(small.every((b) => b === 7)).toBe(true);
  });
});

/** Index of the first differing byte, or -1 (vitest's deep equality is slow on MiBs). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
