import { describe, expect, it } from 'vitest';
import { blinks, CGA_PALETTE, drawOps, type Painter, paint } from './draw-ops';
import { wireFrame } from './test-frames';
import { decodeFrame, type TextFrame } from './text-frame';

const ON = { cursorOn: true, textOn: true };

/** A frame with `text` at the top left, then cell attributes patched per column. */
function frame(text: string, attrs: Record<number, number> = {}, cursorVisible = true): TextFrame {
  const f = decodeFrame(wireFrame([text], 0x07, { row: 0, col: 1, visible: cursorVisible }));
  for (const [col, attr] of Object.entries(attrs)) f.cells[Number(col) * 2 + 1] = attr;
  return f;
}

describe('VGA draw operations', () => {
  it('maps attributes to the 16-colour palette: foreground low nibble, background bits 4-6', () => {
    const ops = drawOps(frame('AB', { 0: 0x1e, 1: 0x4f }), ON);
    expect(ops.glyphs).toEqual([
      { row: 0, col: 0, char: 'A', color: CGA_PALETTE[0xe] },
      { row: 0, col: 1, char: 'B', color: CGA_PALETTE[0xf] },
    ]);
    expect(ops.backgrounds.slice(0, 3)).toEqual([
      { row: 0, col: 0, length: 1, color: CGA_PALETTE[1] },
      { row: 0, col: 1, length: 1, color: CGA_PALETTE[4] },
      { row: 0, col: 2, length: 78, color: CGA_PALETTE[0] },
    ]);
    expect(ops.backgrounds).toHaveLength(3 + 24); // one run per plain row
  });

  it('draws no glyph for blanks or text in its background colour', () => {
    expect(drawOps(frame('a b', { 2: 0x00 }), ON).glyphs.map((g) => g.char)).toEqual(['a']);
  });

  it('blinks characters with attribute bit 7 instead of brightening their background', () => {
    const f = frame('XY', { 0: 0x87 | 0x10 });
    expect(drawOps(f, ON).glyphs.map((g) => g.char)).toEqual(['X', 'Y']);
    const off = drawOps(f, { cursorOn: true, textOn: false });
    expect(off.glyphs.map((g) => g.char)).toEqual(['Y']);
    expect(off.backgrounds[0]).toMatchObject({ color: CGA_PALETTE[1] });
    expect(blinks(frame('XY', { 0: 0x87 }, false))).toBe(true);
    expect(blinks(frame('XY', {}, false))).toBe(false);
  });

  it('draws the cursor as an underline in its cell colour while visible and blinked on', () => {
    const f = frame('AB', { 1: 0x0a });
    expect(drawOps(f, ON).cursor).toEqual({ row: 0, col: 1, color: CGA_PALETTE[0xa] });
    expect(drawOps(f, { cursorOn: false, textOn: true }).cursor).toBeNull();
    expect(drawOps(frame('AB', {}, false), ON).cursor).toBeNull();
  });

  it('paints backgrounds, glyphs and the cursor on a 2D context', () => {
    const calls: string[] = [];
    const ctx = {
      fillStyle: '',
      font: '',
      textAlign: 'start',
      textBaseline: 'alphabetic',
      setTransform: () => calls.push('transform'),
      fillRect: (x: number, y: number, w: number, h: number) =>
        calls.push(`rect ${ctx.fillStyle} ${x},${y} ${w}x${h}`),
      fillText: (t: string, x: number, y: number) =>
        calls.push(`text ${ctx.fillStyle} ${t} ${x},${y}`),
    } as unknown as Painter;
    const f = frame('A', { 0: 0x1f });
    paint(ctx, drawOps(f, ON), f, 2);
    expect(calls).toEqual([
      'transform',
      'rect #000000 0,0 800x500',
      'rect #0000aa 0,0 10x20',
      'text #ffffff A 5,11',
      'rect #aaaaaa 10,17 10x2',
    ]);
  });
});
