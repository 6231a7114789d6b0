import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../bus/physical-memory';
import { SystemPort92 } from './system-port-92';
import { busWith, ports, roundTrip } from './test-support';

describe('port 92h', () => {
  it('closes and opens the A20 gate, which really wraps addresses at 1 MiB', () => {
    const mem = new PhysicalMemory(2 << 20);
    let resets = 0;
    const dev = new SystemPort92(mem, () => resets++);
    const io = ports(busWith(dev));
    mem.write8(0x100010, 0xaa);
    mem.write8(0x000010, 0x55);
    expect(io.inb(0x92)).toBe(0x02);
    io.out(0x92, 0x00);
    expect(mem.read8(0x100010)).toBe(0x55); // wraps to 0x10
    io.out(0x92, 0x02);
    expect(mem.read8(0x100010)).toBe(0xaa);
    io.out(0x92, 0x03);
    expect(resets).toBe(1);
    const { saved, again } = roundTrip(dev, new SystemPort92(mem, () => {}));
    expect(again).toEqual(saved);
  });
});
