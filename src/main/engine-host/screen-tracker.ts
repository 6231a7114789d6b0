// The VGA text screen seen from the engine host: a cheap compare with the last frame posted,
// and the frame's wire form (base64 character/attribute pairs, as in video memory at B8000h).
import type { Machine, TextScreen } from '../../engine';
import type { ScreenFrame } from '../../shared/api';

const COLS = 80;
const ROWS = 25;

/** Encodes a text screen as a frame: cells as base64 of character, attribute byte pairs. */
export function encodeScreen(screen: TextScreen): ScreenFrame {
  const { cells, cursor } = screen;
  const bytes = new Uint8Array(cells.length * 2);
  for (let i = 0; i < cells.length; i++) {
    const word = cells[i]!;
    bytes[2 * i] = word & 0xff;
    bytes[2 * i + 1] = word >> 8;
  }
  return {
    cols: COLS,
    rows: Math.floor(cells.length / COLS) || ROWS,
    cells: Buffer.from(bytes).toString('base64'),
    cursor: { row: cursor.row, col: cursor.column, visible: cursor.visible },
  };
}

/** Remembers the last frame posted, so a host posts a screen only when it changed. */
export class ScreenTracker {
  private cells: Uint16Array | null = null;
  private cursor = { row: -1, column: -1, visible: false };

  /** The machine's screen as a frame if it differs from the last one returned, else null. */
  poll(machine: Machine): ScreenFrame | null {
    const screen = machine.screen();
    if (this.unchanged(screen)) return null;
    this.cells = screen.cells;
    this.cursor = { ...screen.cursor };
    return encodeScreen(screen);
  }

  /** Makes the next poll report the screen whatever it shows (a new machine, a revert). */
  forget(): void {
    this.cells = null;
  }

  private unchanged(screen: TextScreen): boolean {
    const last = this.cells;
    const c = screen.cursor;
    if (!last || last.length !== screen.cells.length) return false;
    if (c.row !== this.cursor.row || c.column !== this.cursor.column) return false;
    if (c.visible !== this.cursor.visible) return false;
    for (let i = 0; i < last.length; i++) if (last[i] !== screen.cells[i]) return false;
    return true;
  }
}
