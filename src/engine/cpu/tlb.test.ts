import { describe, expect, it } from 'vitest';
import { TLB_GLOBAL, TLB_READ_SUP, Tlb } from './tlb';

describe('software TLB', () => {
  it('caches, invalidates one page, and flushes all or all but global pages', () => {
    const t = new Tlb();
    t.set(0x400, 0x12345000 | TLB_READ_SUP);
    t.set(0x401, 0x00002000 | TLB_READ_SUP | TLB_GLOBAL);
    t.set(0x402, 0x00003000 | TLB_READ_SUP);
    t.invalidate(0x402);
    expect(t.entries[0x402]).toBe(0);
    t.flush(true);
    expect(t.entries[0x400]).toBe(0);
    expect(t.entries[0x401]).toBe(0x2000 | TLB_READ_SUP | TLB_GLOBAL);
    t.flush(false);
    expect(t.entries[0x401]).toBe(0);
  });

  it('still flushes everything after more pages than it tracks', () => {
    const t = new Tlb();
    for (let p = 0; p < 5000; p++)
      t.set(p, (p << 12) | TLB_READ_SUP | (p === 4999 ? TLB_GLOBAL : 0));
    t.flush(true);
    expect(t.entries[4998]).toBe(0);
    expect(t.entries[4999]).not.toBe(0);
    t.flush(false);
    expect(t.entries.some((e) => e !== 0)).toBe(false);
  });
});
