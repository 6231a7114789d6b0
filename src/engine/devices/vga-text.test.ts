import { describe, expect, it } from 'vitest';
import { ManualClock } from '../bus/device';
import { busWith, ports, roundTrip } from './test-support';
import { textScreenLines, VGA_TEXT_BUFFER, VgaText } from './vga-text';

describe('VGA text mode', () => {
  it('keeps the cursor in CRTC registers 0Eh/0Fh and its shape in 0Ah/0Bh', () => {
    const vga = new VgaText(new ManualClock());
    const io = ports(busWith(vga));
    io.out(0x3d4, 0x0e);
    io.out(0x3d5, 0x01);
    io.out(0x3d4, 0x0f);
    io.out(0x3d5, 0x42);
    expect(vga.cursor()).toEqual({ offset: 0x142, visible: true });
    io.out(0x3d4, 0x0a);
    io.out(0x3d5, 0x20);
    expect(vga.cursor().visible).toBe(false);
    io.out(0x3d4, 0x0f);
    expect(io.inb(0x3d5)).toBe(0x42);
    io.out(0x3d4, 0x010e, 2); // word write: index then data
    io.out(0x3d4, 0x000f | (0x10 << 8), 2);
    expect(vga.cursor().offset).toBe(0x110);
  });

  it('shows vertical retrace on 3DAh from virtual time and resets the attribute flip-flop', () => {
    const clock = new ManualClock();
    const vga = new VgaText(clock);
    const io = ports(busWith(vga));
    clock.time = 0;
    expect(io.inb(0x3da) & 0x08).toBe(0);
    clock.time = 14_000_000;
    expect(io.inb(0x3da) & 0x08).toBe(0x08);
    io.out(0x3c0, 0x10);
    io.out(0x3c0, 0x0c);
    io.inb(0x3da);
    io.out(0x3c0, 0x10);
    expect(io.inb(0x3c1)).toBe(0x0c);
  });

  it('renders the text buffer as lines', () => {
    const mem = new Uint8Array(1 << 20);
    mem[VGA_TEXT_BUFFER] = 0x48;
    mem[VGA_TEXT_BUFFER + 2] = 0x69;
    mem[VGA_TEXT_BUFFER + 160] = 0x21;
    expect(textScreenLines(mem).slice(0, 3)).toEqual(['Hi', '!', '']);
  });

  it('round-trips its state', () => {
    const vga = new VgaText(new ManualClock());
    const io = ports(busWith(vga));
    io.out(0x3c8, 1);
    io.out(0x3c9, 0x3f);
    vga.setCursor(500);
    const { saved, again } = roundTrip(vga, new VgaText(new ManualClock()));
    expect(again).toEqual(saved);
  });
});
