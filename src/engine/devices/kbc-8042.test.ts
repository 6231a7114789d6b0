import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../bus/physical-memory';
import { Kbc8042 } from './kbc-8042';
import { busWith, ports, RecordingIrq, roundTrip } from './test-support';

function kbc() {
  const mem = new PhysicalMemory(2 << 20);
  const irq = new RecordingIrq();
  let resets = 0;
  const dev = new Kbc8042(irq, mem, () => resets++);
  return { mem, irq, dev, io: ports(busWith(dev)), resets: () => resets };
}

describe('8042 keyboard controller', () => {
  it('delivers host keys as scancode set 1 on IRQ 1', () => {
    const t = kbc();
    expect(t.io.inb(0x64) & 1).toBe(0);
    t.dev.key('KeyA', true);
    t.dev.key('KeyA', false);
    t.dev.key('ArrowUp', true);
    expect(t.irq.level).toBe(true);
    expect(t.io.inb(0x64) & 1).toBe(1);
    expect([t.io.inb(0x60), t.io.inb(0x60), t.io.inb(0x60), t.io.inb(0x60)]).toEqual([
      0x1e, 0x9e, 0xe0, 0x48,
    ]);
    expect(t.irq.level).toBe(false);
    expect(t.irq.edges).toBe(4); // a new edge for every byte
    t.dev.type([0x41]); // 'A' needs Shift
    expect([t.io.inb(0x60), t.io.inb(0x60)]).toEqual([0x2a, 0x1e]);
  });

  it('answers controller commands: self-test, command byte, interface test', () => {
    const t = kbc();
    t.io.out(0x64, 0xaa);
    expect(t.io.inb(0x60)).toBe(0x55);
    t.io.out(0x64, 0x60);
    t.io.out(0x60, 0x44); // IRQ 1 off
    t.io.out(0x64, 0x20);
    expect(t.io.inb(0x60)).toBe(0x44);
    t.dev.key('Space', true);
    expect(t.irq.level).toBe(false);
    t.io.inb(0x60);
    t.io.out(0x64, 0xab);
    expect(t.io.inb(0x60)).toBe(0x00);
  });

  it('answers keyboard commands: reset, LEDs, scancode set, echo', () => {
    const t = kbc();
    t.io.out(0x60, 0xff);
    expect([t.io.inb(0x60), t.io.inb(0x60)]).toEqual([0xfa, 0xaa]);
    t.io.out(0x60, 0xed);
    t.io.out(0x60, 0x05);
    expect([t.io.inb(0x60), t.io.inb(0x60)]).toEqual([0xfa, 0xfa]);
    expect(t.dev.leds).toBe(5);
    t.io.out(0x60, 0xf0);
    t.io.out(0x60, 0x00);
    expect([t.io.inb(0x60), t.io.inb(0x60), t.io.inb(0x60)]).toEqual([0xfa, 0xfa, 0x02]);
    t.io.out(0x60, 0xee);
    expect(t.io.inb(0x60)).toBe(0xee);
  });

  it('drives A20 through the output port and resets the CPU', () => {
    const t = kbc();
    t.io.out(0x64, 0xdd);
    expect(t.mem.a20Enabled).toBe(false);
    t.io.out(0x64, 0xd1);
    t.io.out(0x60, 0xdf);
    expect(t.mem.a20Enabled).toBe(true);
    t.io.out(0x64, 0xd0);
    expect(t.io.inb(0x60) & 0x02).toBe(0x02);
    t.io.out(0x64, 0xfe);
    expect(t.resets()).toBe(1);
  });

  it('round-trips its state', () => {
    const t = kbc();
    t.dev.key('KeyQ', true);
    t.io.out(0x60, 0xed);
    const { saved, again } = roundTrip(t.dev, kbc().dev);
    expect(again).toEqual(saved);
  });
});
