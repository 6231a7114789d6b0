// What a VGA text frame looks like, as drawing operations: the 16-colour CGA palette, cell
// backgrounds, glyphs and the cursor (IBM VGA Technical Reference, text mode attributes).
import { CP437, type TextFrame } from './text-frame';

/** The 16 colours of the CGA/EGA palette that mode 3 leaves in the VGA's DAC. */
export const CGA_PALETTE: readonly string[] = [
  '#000000', // black
  '#0000aa', // blue
  '#00aa00', // green
  '#00aaaa', // cyan
  '#aa0000', // red
  '#aa00aa', // magenta
  '#aa5500', // brown (dark yellow with halved green)
  '#aaaaaa', // light grey
  '#555555', // dark grey
  '#5555ff', // light blue
  '#55ff55', // light green
  '#55ffff', // light cyan
  '#ff5555', // light red
  '#ff55ff', // light magenta
  '#ffff55', // yellow
  '#ffffff', // white
];

/** A run of cells on one row that share a background colour. */
export interface BackgroundRun {
  row: number;
  col: number;
  length: number;
  color: string;
}

/** One visible character. */
export interface Glyph {
  row: number;
  col: number;
  char: string;
  color: string;
}

/** Everything to draw for one frame in one blink phase. */
export interface DrawOps {
  backgrounds: BackgroundRun[];
  glyphs: Glyph[];
  /** The cursor underline, in its cell's foreground colour; null while hidden or blinked off. */
  cursor: { row: number; col: number; color: string } | null;
}

/** Blink phases: the cursor and blinking characters show while their phase is on. */
export interface BlinkPhase {
  cursorOn: boolean;
  textOn: boolean;
}

/**
 * Maps cells to draw operations. Attribute bit 7 blinks the character, as the VGA does with
 * blinking enabled (its power-on state, attribute mode control bit 3), so backgrounds have 8
 * colours; blanks and characters drawn in their background colour produce no glyph.
 */
export function drawOps(frame: TextFrame, phase: BlinkPhase): DrawOps {
  const { cols, rows, cells } = frame;
  const backgrounds: BackgroundRun[] = [];
  const glyphs: Glyph[] = [];
  for (let row = 0; row < rows; row++) {
    let run: BackgroundRun | null = null;
    for (let col = 0; col < cols; col++) {
      const i = (row * cols + col) * 2;
      const code = cells[i]!;
      const attr = cells[i + 1]!;
      const fg = attr & 0x0f;
      const bg = (attr >> 4) & 0x07;
      const color = CGA_PALETTE[bg]!;
      if (run && run.color === color) run.length++;
      else {
        run = { row, col, length: 1, color };
        backgrounds.push(run);
      }
      const hidden = (attr & 0x80) !== 0 && !phase.textOn;
      if (hidden || fg === bg || code === 0x00 || code === 0x20 || code === 0xff) continue;
      glyphs.push({ row, col, char: CP437[code]!, color: CGA_PALETTE[fg]! });
    }
  }
  const c = frame.cursor;
  const inside = c.row >= 0 && c.row < rows && c.col >= 0 && c.col < cols;
  const cursor =
    c.visible && phase.cursorOn && inside
      ? {
          row: c.row,
          col: c.col,
          color: CGA_PALETTE[cells[(c.row * cols + c.col) * 2 + 1]! & 0x0f]!,
        }
      : null;
  return { backgrounds, glyphs, cursor };
}

/** Whether a frame changes with the blink phase (a visible cursor or blinking characters). */
export function blinks(frame: TextFrame): boolean {
  if (frame.cursor.visible) return true;
  for (let i = 1; i < frame.cells.length; i += 2) if ((frame.cells[i]! & 0x80) !== 0) return true;
  return false;
}

/** Cell size in canvas pixels before scaling: the VGA's 9x16 character box, rounded for fonts. */
export const CELL = { width: 10, height: 20 } as const;

/** The subset of CanvasRenderingContext2D that painting uses (tests pass a recorder). */
export type Painter = Pick<
  CanvasRenderingContext2D,
  'fillStyle' | 'font' | 'textAlign' | 'textBaseline' | 'fillRect' | 'fillText' | 'setTransform'
>;

/** Paints draw operations at `scale` canvas pixels per cell unit. */
export function paint(ctx: Painter, ops: DrawOps, frame: TextFrame, scale: number): void {
  const w = CELL.width;
  const h = CELL.height;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = CGA_PALETTE[0]!;
  ctx.fillRect(0, 0, frame.cols * w, frame.rows * h);
  for (const b of ops.backgrounds) {
    if (b.color === CGA_PALETTE[0]) continue;
    ctx.fillStyle = b.color;
    ctx.fillRect(b.col * w, b.row * h, b.length * w, h);
  }
  ctx.font = `${h * 0.8}px "DejaVu Sans Mono", Consolas, "Liberation Mono", Menlo, monospace`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const g of ops.glyphs) {
    ctx.fillStyle = g.color;
    ctx.fillText(g.char, g.col * w + w / 2, g.row * h + h / 2 + 1);
  }
  if (ops.cursor) {
    // An underline on the cell's last scanlines, as CRTC 0Ah/0Bh = 0Dh/0Eh shape it in mode 3.
    ctx.fillStyle = ops.cursor.color;
    ctx.fillRect(ops.cursor.col * w, ops.cursor.row * h + h - 3, w, 2);
  }
}
