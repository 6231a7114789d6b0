import { describe, expect, it } from 'vitest';
import { ManualClock } from '../bus/device';
import { CmosRtc, cmosMemoryBytes } from './cmos-rtc';
import { busWith, ports, RecordingIrq, roundTrip } from './test-support';

function rtc(epoch = Date.UTC(2026, 4, 17, 13, 45, 30)) {
  const clock = new ManualClock();
  const irq = new RecordingIrq();
  const dev = new CmosRtc(clock, irq, epoch);
  const io = ports(busWith(dev));
  const read = (i: number) => {
    io.out(0x70, i);
    return io.inb(0x71);
  };
  const write = (i: number, v: number) => {
    io.out(0x70, i);
    io.out(0x71, v);
  };
  return { clock, irq, dev, read, write, io };
}

describe('CMOS/RTC', () => {
  it('reads the injected time in BCD, 24-hour, and follows virtual time', () => {
    const t = rtc();
    expect([t.read(0), t.read(2), t.read(4)]).toEqual([0x30, 0x45, 0x13]);
    expect([t.read(7), t.read(8), t.read(9), t.read(0x32)]).toEqual([0x17, 0x05, 0x26, 0x20]);
    expect(t.read(6)).toBe(1); // Sunday
    t.clock.time = 90e9;
    expect([t.read(0), t.read(2)]).toEqual([0x00, 0x47]);
  });

  it('switches to binary and 12-hour formats through register B', () => {
    const t = rtc();
    t.write(0x0b, 0x04); // binary, 12-hour
    expect(t.read(4)).toBe(0x80 | 1); // 1 PM
    expect(t.read(2)).toBe(45);
  });

  it('lets the guest set the time', () => {
    const t = rtc();
    t.write(0x0b, 0x82); // SET
    t.write(4, 0x08);
    t.write(2, 0x00);
    t.write(0x0b, 0x02);
    expect([t.read(4), t.read(2)]).toEqual([0x08, 0x00]);
  });

  it('raises periodic interrupts on IRQ 8 until register C is read', () => {
    const t = rtc();
    t.write(0x0a, 0x26); // 1024 Hz
    t.write(0x0b, 0x42); // PIE
    const first = t.dev.nextDeadline();
    expect(first).toBeCloseTo(1e9 / 1024, 3);
    t.clock.time = first;
    t.dev.advance(first);
    expect(t.irq.level).toBe(true);
    expect(t.read(0x0c)).toBe(0xc0);
    expect(t.irq.level).toBe(false);
    expect(t.read(0x0c)).toBe(0);
  });

  it('raises update-ended interrupts once a second', () => {
    const t = rtc();
    t.write(0x0b, 0x12); // UIE
    expect(t.dev.nextDeadline()).toBe(1e9);
    t.clock.time = 1e9;
    t.dev.advance(1e9);
    expect(t.read(0x0c)).toBe(0x90);
    expect(t.dev.nextDeadline()).toBe(2e9);
  });

  it('keeps the NMI mask bit and memory-size bytes', () => {
    const t = rtc();
    t.io.out(0x70, 0x8f);
    expect(t.dev.nmiMasked).toBe(true);
    for (const [i, v] of cmosMemoryBytes(256 * 1024 * 1024)) t.dev.setByte(i, v);
    expect(t.read(0x15) | (t.read(0x16) << 8)).toBe(640);
    expect(t.read(0x34) | (t.read(0x35) << 8)).toBe((256 - 16) * 16);
    expect(t.read(0x30) | (t.read(0x31) << 8)).toBe(0xffff);
  });

  it('round-trips its state', () => {
    const t = rtc();
    t.write(0x0b, 0x52);
    t.write(0x20, 0x77);
    const { saved, again } = roundTrip(t.dev, new CmosRtc(new ManualClock(), new RecordingIrq()));
    expect(again).toEqual(saved);
  });
});
