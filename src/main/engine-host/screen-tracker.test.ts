import { describe, expect, it } from 'vitest';
import type { Machine, TextScreen } from '../../engine';
import { encodeScreen, ScreenTracker } from './screen-tracker';

function screen(text: string, column = 0): TextScreen {
  const cells = new Uint16Array(80 * 25).fill(0x0720);
  for (let i = 0; i < text.length; i++) cells[i] = 0x1f00 | text.charCodeAt(i);
  return { lines: [], cells, cursor: { row: 0, column, visible: true } };
}

describe('screen tracker', () => {
  it('encodes cells as base64 character/attribute pairs with the cursor', () => {
    const frame = encodeScreen(screen('OK', 2));
    const bytes = Buffer.from(frame.cells, 'base64');
    expect(bytes.length).toBe(4000);
    expect([...bytes.subarray(0, 6)]).toEqual([0x4f, 0x1f, 0x4b, 0x1f, 0x20, 0x07]);
    expect(frame).toMatchObject({ cols: 80, rows: 25, cursor: { row: 0, col: 2, visible: true } });
  });

  it('reports a frame only when the cells or the cursor changed, or after forget()', () => {
    let shown = screen('a');
    const machine = { screen: () => shown } as unknown as Machine;
    const tracker = new ScreenTracker();
    expect(tracker.poll(machine)).not.toBeNull();
    expect(tracker.poll(machine)).toBeNull();
    shown = screen('b');
    expect(tracker.poll(machine)).not.toBeNull();
    shown = screen('b', 1);
    expect(tracker.poll(machine)).not.toBeNull();
    expect(tracker.poll(machine)).toBeNull();
    tracker.forget();
    expect(tracker.poll(machine)).not.toBeNull();
  });
});
