import { describe, expect, it } from 'vitest';
import { Pic8259 } from './pic-8259';
import { busWith, ports, roundTrip } from './test-support';

/** A PIC pair initialised as the PC BIOS does: vectors 08h/70h, cascade on IR2. */
function pcPic(icw4 = 0x01) {
  const pic = new Pic8259();
  const io = ports(busWith(pic));
  for (const [p, v] of [
    [0x20, 0x11],
    [0xa0, 0x11],
    [0x21, 0x08],
    [0xa1, 0x70],
    [0x21, 0x04],
    [0xa1, 0x02],
    [0x21, icw4],
    [0xa1, icw4],
    [0x21, 0x00],
    [0xa1, 0x00],
  ] as const)
    io.out(p, v);
  return { pic, io };
}

describe('8259 PIC pair', () => {
  it('delivers the highest-priority request and holds lower ones until EOI', () => {
    const { pic, io } = pcPic();
    pic.setIrq(3, true);
    pic.setIrq(1, true);
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x09);
    expect(pic.hasInterrupt()).toBe(false); // IRQ 3 is lower priority than IRQ 1 in service
    io.out(0x20, 0x0b);
    expect(io.inb(0x20)).toBe(0x02); // ISR via OCW3
    io.out(0x20, 0x20); // non-specific EOI
    expect(pic.acknowledge()).toBe(0x0b);
    io.out(0x20, 0x63); // specific EOI for IR3
    io.out(0x20, 0x0b);
    expect(io.inb(0x20)).toBe(0);
  });

  it('is edge-triggered: a held line raises one request', () => {
    const { pic, io } = pcPic();
    pic.setIrq(0, true);
    expect(pic.acknowledge()).toBe(0x08);
    io.out(0x20, 0x20);
    pic.setIrq(0, true);
    expect(pic.hasInterrupt()).toBe(false);
    pic.setIrq(0, false);
    pic.setIrq(0, true);
    expect(pic.hasInterrupt()).toBe(true);
  });

  it('cascades the slave through IR2 and masks with IMR', () => {
    const { pic, io } = pcPic();
    io.out(0xa1, 0x01); // mask IRQ 8
    pic.setIrq(8, true);
    expect(pic.hasInterrupt()).toBe(false);
    expect(io.inb(0xa1)).toBe(0x01);
    pic.setIrq(14, true);
    expect(pic.acknowledge()).toBe(0x76);
    io.out(0xa0, 0x0b);
    expect(io.inb(0xa0)).toBe(0x40);
    io.out(0x20, 0x0b);
    expect(io.inb(0x20)).toBe(0x04);
    expect(pic.delivered[14]).toBe(1);
  });

  it('answers INTA with IR7 when the request went away (spurious IRQ 7 and 15)', () => {
    const { pic, io } = pcPic();
    expect(pic.acknowledge()).toBe(0x0f);
    io.out(0x20, 0x0b);
    expect(io.inb(0x20)).toBe(0); // spurious: not in service
  });

  it('supports auto-EOI and poll mode', () => {
    const { pic, io } = pcPic(0x03);
    pic.setIrq(4, true);
    expect(pic.acknowledge()).toBe(0x0c);
    io.out(0x20, 0x0b);
    expect(io.inb(0x20)).toBe(0); // auto-EOI leaves ISR clear
    const b = pcPic();
    b.pic.setIrq(5, true);
    b.io.out(0x20, 0x0c); // OCW3 poll
    expect(b.io.inb(0x20)).toBe(0x85);
    b.io.out(0x20, 0x0c);
    expect(b.io.inb(0x20)).toBe(0);
  });

  it('rotates priorities on rotate-on-non-specific-EOI', () => {
    const { pic, io } = pcPic();
    pic.setIrq(0, true);
    expect(pic.acknowledge()).toBe(0x08);
    io.out(0x20, 0xa0); // rotate on non-specific EOI: IR0 becomes lowest
    pic.setIrq(0, false);
    pic.setIrq(0, true);
    pic.setIrq(5, true);
    expect(pic.acknowledge()).toBe(0x0d);
  });

  it('round-trips its state', () => {
    const { pic, io } = pcPic();
    io.out(0x21, 0x5a);
    pic.setIrq(9, true);
    pic.acknowledge();
    const { saved, again } = roundTrip(pic, new Pic8259());
    expect(again).toEqual(saved);
  });
});
