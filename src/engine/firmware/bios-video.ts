// BIOS video services on the VGA text buffer (IBM PC/AT BIOS int 10h; Ralf Brown's Interrupt List, INT 10).

import type { PhysicalMemory } from '../bus/physical-memory';

/** Physical address of the colour text-mode buffer. */
export const VGA_TEXT_BASE = 0xb8000;
export const TEXT_COLUMNS = 80;
export const TEXT_ROWS = 25;
const BLANK_ATTR = 0x07; // light grey on black

// BIOS data area fields (segment 0040h) that video services keep.
export const BDA_VIDEO_MODE = 0x449;
export const BDA_COLUMNS = 0x44a;
export const BDA_PAGE_SIZE = 0x44c;
export const BDA_CURSOR_POS = 0x450; // eight pages of (column, row) bytes
export const BDA_CURSOR_SHAPE = 0x460;
export const BDA_ACTIVE_PAGE = 0x462;
export const BDA_CRTC_BASE = 0x463;
export const BDA_ROWS_MINUS_ONE = 0x484;
export const BDA_CHAR_HEIGHT = 0x485;

/** Sets up BIOS data for 80x25 colour text mode 3 and clears the screen. */
export function initVideo(mem: PhysicalMemory): void {
  mem.write8(BDA_VIDEO_MODE, 0x03);
  mem.write16(BDA_COLUMNS, TEXT_COLUMNS);
  mem.write16(BDA_PAGE_SIZE, TEXT_COLUMNS * TEXT_ROWS * 2);
  for (let i = 0; i < 16; i++) mem.write8(BDA_CURSOR_POS + i, 0);
  mem.write16(BDA_CURSOR_SHAPE, 0x0607);
  mem.write8(BDA_ACTIVE_PAGE, 0);
  mem.write16(BDA_CRTC_BASE, 0x3d4);
  mem.write8(BDA_ROWS_MINUS_ONE, TEXT_ROWS - 1);
  mem.write16(BDA_CHAR_HEIGHT, 16);
  for (let i = 0; i < TEXT_COLUMNS * TEXT_ROWS; i++) {
    mem.write16(VGA_TEXT_BASE + i * 2, (BLANK_ATTR << 8) | 0x20);
  }
}

/** Scrolls the text screen up one line and blanks the last line. */
function scrollUp(mem: PhysicalMemory): void {
  const rowBytes = TEXT_COLUMNS * 2;
  mem.bytes.copyWithin(
    VGA_TEXT_BASE,
    VGA_TEXT_BASE + rowBytes,
    VGA_TEXT_BASE + rowBytes * TEXT_ROWS,
  );
  mem.touch(VGA_TEXT_BASE, rowBytes * TEXT_ROWS);
  const last = VGA_TEXT_BASE + rowBytes * (TEXT_ROWS - 1);
  for (let col = 0; col < TEXT_COLUMNS; col++)
    mem.write16(last + col * 2, (BLANK_ATTR << 8) | 0x20);
}

/**
 * Int 10h AH=0Eh, teletype output of `ch` on page 0: BEL is ignored, BS moves left, CR goes to
 * column 0, LF moves down; other characters are stored with the cell's attribute unchanged,
 * and the screen scrolls past the last row. The cursor lives in the BIOS data area.
 */
export function teletype(mem: PhysicalMemory, ch: number): void {
  let col = mem.read8(BDA_CURSOR_POS);
  let row = mem.read8(BDA_CURSOR_POS + 1);
  switch (ch) {
    case 0x07:
      return;
    case 0x08:
      if (col > 0) col--;
      break;
    case 0x0d:
      col = 0;
      break;
    case 0x0a:
      row++;
      break;
    default:
      mem.write8(VGA_TEXT_BASE + (row * TEXT_COLUMNS + col) * 2, ch);
      col++;
      if (col >= TEXT_COLUMNS) {
        col = 0;
        row++;
      }
  }
  if (row >= TEXT_ROWS) {
    scrollUp(mem);
    row = TEXT_ROWS - 1;
  }
  mem.write8(BDA_CURSOR_POS, col);
  mem.write8(BDA_CURSOR_POS + 1, row);
}

/** Reads the text screen from a copy of physical memory as lines with trailing blanks removed. */
export function readTextScreen(memory: Uint8Array): string[] {
  const lines: string[] = [];
  for (let row = 0; row < TEXT_ROWS; row++) {
    let line = '';
    for (let col = 0; col < TEXT_COLUMNS; col++) {
      line += String.fromCharCode(memory[VGA_TEXT_BASE + (row * TEXT_COLUMNS + col) * 2] ?? 0x20);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** Cursor (column, row) of page 0 from the BIOS data area. */
export function getCursor(mem: PhysicalMemory): [number, number] {
  return [mem.read8(BDA_CURSOR_POS), mem.read8(BDA_CURSOR_POS + 1)];
}

/** Moves page 0's cursor, clamped to the screen. */
export function setCursor(mem: PhysicalMemory, col: number, row: number): void {
  mem.write8(BDA_CURSOR_POS, Math.min(col, TEXT_COLUMNS - 1));
  mem.write8(BDA_CURSOR_POS + 1, Math.min(row, TEXT_ROWS - 1));
}

/**
 * Int 10h AH=06h/07h: scrolls the window (top, left)-(bottom, right) up or down by `lines`
 * (0 clears it), filling vacated rows with blanks in attribute `attr`.
 */
export function scrollWindow(
  mem: PhysicalMemory,
  up: boolean,
  lines: number,
  attr: number,
  top: number,
  left: number,
  bottom: number,
  right: number,
): void {
  bottom = Math.min(bottom, TEXT_ROWS - 1);
  right = Math.min(right, TEXT_COLUMNS - 1);
  if (top > bottom || left > right) return;
  const height = bottom - top + 1;
  if (lines === 0 || lines > height) lines = height;
  const cell = (r: number, c: number) => VGA_TEXT_BASE + (r * TEXT_COLUMNS + c) * 2;
  for (let i = 0; i < height; i++) {
    const row = up ? top + i : bottom - i;
    const from = up ? row + lines : row - lines;
    for (let col = left; col <= right; col++) {
      const inside = up ? from <= bottom : from >= top;
      mem.write16(cell(row, col), inside ? mem.read16(cell(from, col)) : (attr << 8) | 0x20);
    }
  }
}

/** Int 10h AH=09h/0Ah: `count` copies of `ch` at the cursor, with `attr` unless `keepAttr`. */
export function writeCharAttr(
  mem: PhysicalMemory,
  ch: number,
  attr: number,
  count: number,
  keepAttr: boolean,
): void {
  const [col, row] = getCursor(mem);
  const start = row * TEXT_COLUMNS + col;
  const end = Math.min(TEXT_COLUMNS * TEXT_ROWS, start + count);
  for (let i = start; i < end; i++) {
    mem.write8(VGA_TEXT_BASE + i * 2, ch);
    if (!keepAttr) mem.write8(VGA_TEXT_BASE + i * 2 + 1, attr);
  }
}

/** Teletype of `ch` that also sets the attribute of a printed character (int 10h AH=13h). */
export function teletypeAttr(mem: PhysicalMemory, ch: number, attr: number): void {
  const [col, row] = getCursor(mem);
  const printable = ch !== 0x07 && ch !== 0x08 && ch !== 0x0a && ch !== 0x0d;
  if (printable) mem.write8(VGA_TEXT_BASE + (row * TEXT_COLUMNS + col) * 2 + 1, attr);
  teletype(mem, ch);
}
