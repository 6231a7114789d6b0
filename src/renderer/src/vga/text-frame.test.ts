import { describe, expect, it } from 'vitest';
import { wireFrame } from './test-frames';
import { CP437, decodeFrame, frameText } from './text-frame';

describe('text frames', () => {
  it('decodes base64 cells into character/attribute pairs', () => {
    const frame = decodeFrame(wireFrame(['Hi'], 0x1e, { row: 0, col: 2, visible: true }));
    expect(frame.cells.length).toBe(4000);
    expect([...frame.cells.subarray(0, 4)]).toEqual([0x48, 0x1e, 0x69, 0x1e]);
    expect(frame.cursor).toEqual({ row: 0, col: 2, visible: true });
  });

  it('reads the rows back as text through code page 437', () => {
    const frame = decodeFrame(wireFrame(['vmlab kernel', '', '\xc9\xcd\xbb \x01']));
    const rows = frameText(frame);
    expect(rows).toHaveLength(25);
    expect(rows.slice(0, 4)).toEqual(['vmlab kernel', '', '╔═╗ ☺', '']);
  });

  it('maps all 256 bytes to one character each', () => {
    expect(CP437).toHaveLength(256);
    expect(CP437.every((c) => [...c].length === 1)).toBe(true);
    expect([CP437[0x41], CP437[0xb0], CP437[0xdb], CP437[0xe1]]).toEqual(['A', '░', '█', 'ß']);
  });
});
