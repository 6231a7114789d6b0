// A VM's VGA text screen in the renderer: the wire frame decoded once into character/attribute
// bytes (as at B8000h), and its text through code page 437 (IBM PC character set).
import type { ScreenFrame } from '../../../shared/api';

/** Code page 437 for bytes 80h-FFh; 00h shows as a space. */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
/** Code page 437's pictures for the control bytes 00h-1Fh and 7Fh. */
const CP437_LOW = ' ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼';

/** The 256 characters of code page 437, by byte. */
export const CP437: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  if (b < 0x20) return [...CP437_LOW][b]!;
  if (b === 0x7f) return '⌂';
  if (b < 0x80) return String.fromCharCode(b);
  return [...CP437_HIGH][b - 0x80]!;
});

/** A decoded frame: `cells` holds cols * rows character/attribute byte pairs. */
export interface TextFrame {
  cols: number;
  rows: number;
  cells: Uint8Array;
  cursor: { row: number; col: number; visible: boolean };
}

/** Decodes a frame from the wire (base64 cells). */
export function decodeFrame(frame: ScreenFrame): TextFrame {
  const raw = atob(frame.cells);
  const cells = new Uint8Array(frame.cols * frame.rows * 2);
  const n = Math.min(raw.length, cells.length);
  for (let i = 0; i < n; i++) cells[i] = raw.charCodeAt(i);
  return { cols: frame.cols, rows: frame.rows, cells, cursor: { ...frame.cursor } };
}

/** The screen's rows as text (code page 437), trailing blanks removed. */
export function frameText(frame: TextFrame): string[] {
  const rows: string[] = [];
  for (let row = 0; row < frame.rows; row++) {
    let line = '';
    for (let col = 0; col < frame.cols; col++) {
      line += CP437[frame.cells[(row * frame.cols + col) * 2]!]!;
    }
    rows.push(line.replace(/[\s\u00a0]+$/u, ''));
  }
  return rows;
}
