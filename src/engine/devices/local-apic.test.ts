import { describe, expect, it } from 'vitest';
import { ManualClock } from '../bus/device';
import { APIC_TICK_NS, LocalApic, type LocalApicSinks } from './local-apic';
import { roundTrip } from './test-support';

function apic() {
  const clock = new ManualClock();
  const log: string[] = [];
  const sinks: LocalApicSinks = {
    eoi: (v) => log.push(`eoi ${v}`),
    nmi: () => log.push('nmi'),
    ipi: (kind, dest, v) => log.push(`${kind} ${dest} ${v}`),
    changed: () => {},
  };
  const dev = new LocalApic(clock, sinks);
  const mmio = dev.mmioRanges[0]!;
  const rd = (off: number) => mmio.read(off, 4) >>> 0;
  const wr = (off: number, v: number) => mmio.write(off, 4, v);
  return { clock, log, dev, rd, wr };
}

describe('local APIC', () => {
  it('reports ID and version and stays silent until enabled through SVR', () => {
    const t = apic();
    expect(t.rd(0x20)).toBe(0);
    expect(t.rd(0x30) & 0xff).toBe(0x14);
    t.dev.accept(0x40, false);
    expect(t.dev.hasInterrupt()).toBe(false);
    expect(t.dev.passesExtInt()).toBe(true);
    t.wr(0xf0, 0x1ff);
    expect(t.dev.hasInterrupt()).toBe(true);
    expect(t.dev.passesExtInt()).toBe(false); // LINT0 masked
  });

  it('delivers by priority, honours TPR, and EOIs the highest in-service vector', () => {
    const t = apic();
    t.wr(0xf0, 0x1ff);
    t.dev.accept(0x31, false);
    t.dev.accept(0x52, true);
    expect(t.dev.acknowledge()).toBe(0x52);
    expect(t.dev.hasInterrupt()).toBe(false); // 0x31 is below the in-service class
    expect(t.rd(0x100 + 0x20)).toBe(1 << (0x52 - 0x40)); // ISR bits 64-95
    t.wr(0xb0, 0);
    expect(t.log).toEqual(['eoi 82']); // level-triggered: the I/O APIC hears the EOI
    t.wr(0x80, 0x40);
    expect(t.dev.hasInterrupt()).toBe(false);
    t.wr(0x80, 0);
    expect(t.dev.acknowledge()).toBe(0x31);
    expect(t.dev.acknowledge()).toBe(0xff); // nothing left: spurious vector
  });

  it('runs the timer one-shot and periodic with the divider', () => {
    const t = apic();
    t.wr(0xf0, 0x1ff);
    t.wr(0x3e0, 0x3); // divide by 16
    t.wr(0x320, 0x20040); // periodic, vector 40h
    t.wr(0x380, 100);
    const period = 100 * 16 * APIC_TICK_NS;
    expect(t.dev.nextDeadline()).toBe(period);
    t.clock.time = period / 2;
    expect(t.rd(0x390)).toBe(50);
    t.clock.time = period;
    t.dev.advance(period);
    expect(t.dev.acknowledge()).toBe(0x40);
    expect(t.dev.nextDeadline()).toBe(2 * period);
    t.wr(0x320, 0x00041); // one-shot
    t.wr(0x380, 10);
    t.clock.time += 10 * 16 * APIC_TICK_NS;
    t.dev.advance(t.clock.time);
    expect(t.dev.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
    expect(t.rd(0x390)).toBe(0);
    expect(t.dev.timerInterrupts).toBe(2);
  });

  it('sends IPIs: fixed to self, INIT and STARTUP to others; flags illegal vectors in ESR', () => {
    const t = apic();
    t.wr(0xf0, 0x1ff);
    t.wr(0x300, 0x40000 | 0x45); // self, fixed
    expect(t.dev.acknowledge()).toBe(0x45);
    t.wr(0x310, 1 << 24);
    t.wr(0x300, 0x4500);
    t.wr(0x300, 0x4608);
    expect(t.log).toEqual(['init 1 0', 'startup 1 8']);
    t.wr(0x300, 0x40000 | 0x05);
    t.wr(0x280, 0);
    expect(t.rd(0x280)).toBe(0x20);
  });

  it('keeps LDR, DFR and LVT LINT entries', () => {
    const t = apic();
    t.wr(0xf0, 0x1ff);
    t.wr(0xd0, 0x01000000);
    t.wr(0xe0, 0x0fffffff);
    t.wr(0x350, 0x700);
    expect([t.rd(0xd0), t.rd(0xe0), t.rd(0x350)]).toEqual([0x01000000, 0x0fffffff, 0x700]);
    expect(t.dev.passesExtInt()).toBe(true);
  });

  it('round-trips its state', () => {
    const t = apic();
    t.wr(0xf0, 0x1ff);
    t.wr(0x320, 0x20030);
    t.wr(0x380, 1000);
    t.dev.accept(0x60, true);
    const { saved, again } = roundTrip(t.dev, apic().dev);
    expect(again).toEqual(saved);
  });
});
