import { describe, expect, it } from 'vitest';
import { ExitPortF4 } from './exit-port-f4';

describe('exit port 0xF4 (isa-debug-exit)', () => {
  it.each([
    [0, 1, 1],
    [1, 1, 3],
    [0x10, 1, 0x21],
    [0x1ff, 1, 0x1ff],
    [0x1234, 2, 0x2469],
  ])('a write of %i (size %i) exits with status %i', (value, size, status) => {
    const seen: number[] = [];
    const e = new ExitPortF4((s) => seen.push(s));
    e.portRanges[0]!.write(0, size as 1 | 2, value);
    expect(seen).toEqual([status]);
    expect([e.exited, e.status]).toEqual([true, status]);
  });

  it('round-trips its state and resets', () => {
    const e = new ExitPortF4(() => {});
    e.portRanges[0]!.write(0, 1, 3);
    const saved = JSON.parse(JSON.stringify(e.saveState()));
    const other = new ExitPortF4(() => {});
    other.loadState(saved);
    expect(other.saveState()).toEqual(saved);
    other.reset();
    expect(other.exited).toBe(false);
  });
});
