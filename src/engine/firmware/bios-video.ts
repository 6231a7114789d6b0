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
