import { describe, expect, it } from 'vitest';
import { DebugPortE9 } from './debug-port-e9';

describe('debug port 0xE9', () => {
  it('sends written bytes to the sink and reads back 0xE9', () => {
    const out: number[] = [];
    const d = new DebugPortE9((b) => out.push(b));
    const port = d.portRanges[0]!;
    expect([port.base, port.length]).toEqual([0xe9, 1]);
    port.write(0, 1, 0x148);
    expect(out).toEqual([0x48]);
    expect(port.read(0, 1)).toBe(0xe9);
  });

  it('round-trips its (empty) state', () => {
    const d = new DebugPortE9(() => {});
    const saved = JSON.parse(JSON.stringify(d.saveState()));
    d.loadState(saved);
    expect(d.saveState()).toEqual(saved);
  });
});
