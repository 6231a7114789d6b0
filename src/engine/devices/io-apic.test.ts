import { describe, expect, it } from 'vitest';
import { IoApic } from './io-apic';
import { roundTrip } from './test-support';

function ioapic() {
  const got: string[] = [];
  const dev = new IoApic({
    deliver: (v, level) => got.push(`${v}${level ? 'L' : 'E'}`),
    nmi: () => got.push('nmi'),
  });
  const m = dev.mmioRanges[0]!;
  const rd = (reg: number) => {
    m.write(0, 4, reg);
    return m.read(0x10, 4) >>> 0;
  };
  const wr = (reg: number, v: number) => {
    m.write(0, 4, reg);
    m.write(0x10, 4, v);
  };
  return { dev, got, rd, wr };
}

describe('I/O APIC', () => {
  it('reports ID and version with 24 entries, all masked at reset', () => {
    const t = ioapic();
    t.wr(0, 0x05000000);
    expect(t.rd(0)).toBe(0x05000000);
    expect(t.rd(1)).toBe(0x00170011);
    expect(t.rd(0x10)).toBe(0x10000);
    t.dev.setIrq(1, true);
    expect(t.got).toEqual([]);
  });

  it('delivers edge-triggered pins on rising edges only', () => {
    const t = ioapic();
    t.wr(0x10 + 2, 0x30);
    t.dev.setIrq(1, true);
    t.dev.setIrq(1, true);
    t.dev.setIrq(1, false);
    t.dev.setIrq(1, true);
    expect(t.got).toEqual(['48E', '48E']);
  });

  it('holds level-triggered pins in Remote IRR until EOI', () => {
    const t = ioapic();
    t.wr(0x10 + 20, 0x8041); // pin 10, level, vector 41h
    t.dev.setIrq(10, true);
    t.dev.setIrq(10, true);
    expect(t.got).toEqual(['65L']);
    expect(t.rd(0x10 + 20) & 0x4000).toBe(0x4000);
    t.dev.eoi(0x41);
    expect(t.got).toEqual(['65L', '65L']); // still asserted: delivered again
    t.dev.setIrq(10, false);
    t.dev.eoi(0x41);
    expect(t.rd(0x10 + 20) & 0x4000).toBe(0);
    expect(t.dev.delivered[10]).toBe(2);
  });

  it('routes NMI entries and keeps the destination', () => {
    const t = ioapic();
    t.wr(0x10 + 7, 0x0f000000);
    t.wr(0x10 + 6, 0x400);
    t.dev.setIrq(3, true);
    expect(t.got).toEqual(['nmi']);
    expect(t.rd(0x10 + 7)).toBe(0x0f000000);
  });

  it('round-trips its state', () => {
    const t = ioapic();
    t.wr(0x10 + 4, 0x8033);
    t.dev.setIrq(2, true);
    const { saved, again } = roundTrip(t.dev, ioapic().dev);
    expect(again).toEqual(saved);
  });
});
