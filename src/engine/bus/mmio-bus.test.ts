import { describe, expect, it } from 'vitest';
import type { AccessSize } from './device';
import { MmioBus } from './mmio-bus';
import { PhysicalMemory } from './physical-memory';

function range(base: number, length: number, log: string[]) {
  return {
    base,
    length,
    read: (offset: number, size: AccessSize) => {
      log.push(`r${offset.toString(16)}/${size}`);
      return 0x12345678;
    },
    write: (offset: number, size: AccessSize, value: number) => {
      log.push(`w${offset.toString(16)}/${size}=${value.toString(16)}`);
    },
  };
}

describe('MMIO bus', () => {
  it('hands devices offsets, rejects overlaps and reads all ones where nothing is mapped', () => {
    const bus = new MmioBus();
    const log: string[] = [];
    bus.register(range(0xfee00000, 0x1000, log));
    expect(() => bus.register(range(0xfee00800, 0x1000, log))).toThrow(/overlaps/);
    expect(bus.read(0xfee00020, 4)).toBe(0x12345678);
    bus.write(0xfee000b0, 4, 0);
    expect(bus.read(0xfec00000, 4)).toBe(0xffffffff);
    expect(log).toEqual(['r20/4', 'wb0/4=0']);
  });

  it('is reached from physical memory only past the end of RAM', () => {
    const mem = new PhysicalMemory(1 << 20);
    const bus = new MmioBus();
    const log: string[] = [];
    bus.register(range(0xfee00000, 0x1000, log));
    mem.attachMmio(bus);
    mem.write32(0x1000, 7);
    expect(mem.read32(0x1000)).toBe(7);
    expect(mem.read32(0xfee00030)).toBe(0x12345678);
    mem.write32(0xfee000f0, 0x1ff);
    expect(log).toEqual(['r30/4', 'wf0/4=1ff']);
  });
});
