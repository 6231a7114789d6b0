import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../bus/physical-memory';
import {
  BDA_CURSOR_POS,
  initVideo,
  readTextScreen,
  TEXT_ROWS,
  teletype,
  VGA_TEXT_BASE,
} from './bios-video';

function screen() {
  const mem = new PhysicalMemory(1 << 20);
  initVideo(mem);
  const put = (text: string) => {
    for (const c of text) teletype(mem, c.charCodeAt(0));
  };
  const cursor = () => [mem.read8(BDA_CURSOR_POS), mem.read8(BDA_CURSOR_POS + 1)];
  return { mem, put, cursor };
}

describe('BIOS teletype (int 10h AH=0Eh)', () => {
  it('writes characters with the blank attribute and advances the cursor', () => {
    const t = screen();
    t.put('Hi');
    expect(t.mem.read16(VGA_TEXT_BASE)).toBe(0x0748);
    expect(t.mem.read16(VGA_TEXT_BASE + 2)).toBe(0x0769);
    expect(t.cursor()).toEqual([2, 0]);
  });

  it('handles CR, LF, BS and BEL', () => {
    const t = screen();
    t.put('abc\bX\r\nde\x07');
    expect(readTextScreen(t.mem.bytes).slice(0, 2)).toEqual(['abX', 'de']);
    expect(t.cursor()).toEqual([2, 1]);
    t.put('\r\b');
    expect(t.cursor()).toEqual([0, 1]);
  });

  it('wraps at column 80 and scrolls past the last row', () => {
    const t = screen();
    t.put('x'.repeat(81));
    expect(t.cursor()).toEqual([1, 1]);
    for (let i = 0; i < TEXT_ROWS; i++) t.put(`line ${i}\r\n`);
    const lines = readTextScreen(t.mem.bytes);
    expect(lines[TEXT_ROWS - 2]).toBe('line 24');
    expect(lines[TEXT_ROWS - 1]).toBe('');
    expect(lines[0]).toBe('line 1');
    expect(t.cursor()).toEqual([0, TEXT_ROWS - 1]);
  });
});
