import { describe, expect, it } from 'vitest';
import { FRAME_SIZE, PhysicalMemory } from './physical-memory';

describe('PhysicalMemory', () => {
  it('is split into 4 KiB frames and rejects other sizes', () => {
    expect(new PhysicalMemory(1 << 20).frameCount).toBe(256);
    expect(() => new PhysicalMemory(FRAME_SIZE + 1)).toThrow(RangeError);
    expect(() => new PhysicalMemory(0)).toThrow(RangeError);
  });

  it('reads and writes bytes, words and dwords little-endian', () => {
    const m = new PhysicalMemory(FRAME_SIZE);
    m.write32(0x10, 0x12345678);
    expect([...m.bytes.slice(0x10, 0x14)]).toEqual([0x78, 0x56, 0x34, 0x12]);
    expect(m.read16(0x11)).toBe(0x3456);
    expect(m.read32(0x10)).toBe(0x12345678);
    m.write16(0x20, 0xabcdef);
    expect(m.read16(0x20)).toBe(0xcdef);
    m.write8(0x30, 0x1ff);
    expect(m.read8(0x30)).toBe(0xff);
    m.write32(0x40, 0xffffffff);
    expect(m.read32(0x40)).toBe(0xffffffff);
  });

  it('reads all ones past the end of RAM and ignores writes there', () => {
    const m = new PhysicalMemory(FRAME_SIZE);
    m.write8(FRAME_SIZE, 0);
    expect(m.read8(FRAME_SIZE)).toBe(0xff);
    m.write16(FRAME_SIZE - 1, 0x1234);
    expect(m.read8(FRAME_SIZE - 1)).toBe(0x34);
    expect(m.read16(FRAME_SIZE - 1)).toBe(0xff34);
  });

  it('round-trips its state through structuredClone', () => {
    const m = new PhysicalMemory(2 * FRAME_SIZE);
    m.load(0x100, [1, 2, 3]);
    const saved = structuredClone(m.saveState());
    const other = new PhysicalMemory(2 * FRAME_SIZE);
    other.loadState(saved);
    expect(other.saveState()).toEqual(m.saveState());
    expect(() => new PhysicalMemory(FRAME_SIZE).loadState(saved)).toThrow(RangeError);
  });
});

describe('PhysicalMemory bulk access', () => {
  it('fills and copies plain RAM, refusing areas past RAM or across a closed A20 gate', () => {
    const m = new PhysicalMemory(4 * FRAME_SIZE);
    expect(m.fill(0x10, 8, 0xab)).toBe(true);
    expect(m.read32(0x10)).toBe(0xabababab);
    expect(m.fill(4 * FRAME_SIZE - 4, 8, 0)).toBe(false);
    m.load(0x100, [1, 2, 3, 4]);
    expect(m.copyWithin(0x200, 0x100, 4)).toBe(true);
    expect(m.read32(0x200)).toBe(0x04030201);
    expect(m.copyWithin(0x101, 0x100, 3)).toBe(true); // overlapping areas: memmove
    expect([...m.bytes.slice(0x100, 0x104)]).toEqual([1, 1, 2, 3]);
    expect(m.fillPattern(0x300, 10, 0xbbaa, 2)).toBe(true);
    expect([...m.bytes.slice(0x300, 0x30c)]).toEqual([
      170, 187, 170, 187, 170, 187, 170, 187, 170, 187, 0, 0,
    ]);
    expect(m.fillPattern(0x400, 12, 0x44332211, 4)).toBe(true);
    expect(m.read32(0x408)).toBe(0x44332211);
    expect(m.fillPattern(4 * FRAME_SIZE - 4, 8, 0, 4)).toBe(false);
    const big = new PhysicalMemory(2 << 20);
    big.setA20(false);
    expect(big.fill(0x100000, 16, 1)).toBe(false);
    expect(big.fill(0x1000, 16, 1)).toBe(true);
    expect(big.saveState().a20).toBe(false);
  });
});
