import { describe, expect, it } from 'vitest';
import { ManualClock } from '../bus/device';
import { PIT_HZ, Pit8254 } from './pit-8254';
import { SystemPort61 } from './system-port-61';
import { busWith, ports, RecordingIrq, roundTrip } from './test-support';

const tickNs = (ticks: number) => Math.ceil((ticks * 1e9) / PIT_HZ);

function pit() {
  const clock = new ManualClock();
  const irq = new RecordingIrq();
  const dev = new Pit8254(clock, irq);
  const p61 = new SystemPort61(dev, clock);
  return { clock, irq, dev, io: ports(busWith(dev, p61)) };
}

describe('8254 PIT', () => {
  it('raises IRQ 0 periodically in mode 2 at the programmed rate', () => {
    const t = pit();
    t.io.out(0x43, 0x34);
    t.io.out(0x40, 100);
    t.io.out(0x40, 0);
    expect(t.dev.nextDeadline()).toBe(tickNs(100));
    for (let i = 1; i <= 3; i++) {
      t.clock.time = t.dev.nextDeadline();
      t.dev.advance(t.clock.time);
    }
    expect(t.irq.edges).toBe(3);
    expect(t.dev.nextDeadline()).toBe(tickNs(400));
  });

  it('counts down and latches the count (mode 3 counts by two)', () => {
    const t = pit();
    t.io.out(0x43, 0x34);
    t.io.out(0x40, 0x00);
    t.io.out(0x40, 0x10); // 4096
    t.clock.time = tickNs(96);
    t.io.out(0x43, 0x00); // latch channel 0
    t.clock.time = tickNs(500);
    expect(t.io.inb(0x40) | (t.io.inb(0x40) << 8)).toBe(4000);
    t.io.out(0x43, 0x36);
    t.io.out(0x40, 0);
    t.io.out(0x40, 0x10);
    t.clock.time += tickNs(10);
    expect(t.io.inb(0x40) | (t.io.inb(0x40) << 8)).toBe(4096 - 20);
  });

  it('fires once in mode 0 and reads back status', () => {
    const t = pit();
    t.io.out(0x43, 0x30);
    t.io.out(0x40, 10);
    t.io.out(0x40, 0);
    t.io.out(0x43, 0xe2); // read-back status of channel 0
    expect(t.io.inb(0x40)).toBe(0x30); // OUT low, count loaded, LSB/MSB, mode 0
    t.clock.time = tickNs(10);
    t.dev.advance(t.clock.time);
    expect(t.irq.edges).toBe(1);
    expect(t.dev.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
  });

  it('gates channel 2 and shows its output on port 61h', () => {
    const t = pit();
    t.io.out(0x61, 0x00);
    t.io.out(0x43, 0xb0); // channel 2, mode 0
    t.io.out(0x42, 50);
    t.io.out(0x42, 0);
    t.io.out(0x61, 0x01); // gate on: counting starts
    expect(t.io.inb(0x61) & 0x20).toBe(0);
    t.clock.time += tickNs(60);
    expect(t.io.inb(0x61) & 0x21).toBe(0x21);
  });

  it('supports LSB-only access and BCD counts', () => {
    const t = pit();
    t.io.out(0x43, 0x53); // channel 1, LSB only, mode 1, BCD
    t.io.out(0x41, 0x99);
    expect(t.io.inb(0x41)).toBe(0x99);
  });

  it('round-trips its state', () => {
    const t = pit();
    t.io.out(0x43, 0x34);
    t.io.out(0x40, 0x34);
    t.io.out(0x40, 0x12);
    t.io.out(0x43, 0x00);
    const { saved, again } = roundTrip(t.dev, new Pit8254(new ManualClock(), new RecordingIrq()));
    expect(again).toEqual(saved);
  });
});
