import { describe, expect, it } from 'vitest';
import { WallClockPacer } from './wall-clock-pacer';

describe('wall-clock pacer', () => {
  it('lets idle virtual time advance as far as the wall clock has since the anchor', () => {
    const pacer = new WallClockPacer();
    pacer.anchor(1000, 5e6);
    expect(pacer.horizon(1000, 5e6)).toBe(5e6);
    expect(pacer.horizon(1010, 6e6)).toBe(15e6);
    expect(pacer.waitMs(1010, 25e6)).toBe(10);
    expect(pacer.waitMs(1010, 1e6)).toBe(0);
  });

  it('catches up at most 100 ms after the guest fell behind the wall clock', () => {
    const pacer = new WallClockPacer();
    pacer.anchor(0, 0);
    expect(pacer.horizon(5000, 1e9)).toBe(1.1e9);
    expect(pacer.horizon(5010, 1.1e9)).toBe(1.11e9);
  });

  it('waits at most 100 ms for the wall clock after the guest ran ahead of it', () => {
    const pacer = new WallClockPacer();
    pacer.anchor(0, 0);
    expect(pacer.horizon(1000, 5e9)).toBe(4.9e9);
    expect(pacer.waitMs(1000, 5e9)).toBe(100);
  });
});
