// Builds screen frames for tests: rows of text in one attribute, encoded as the service sends them.
import type { ScreenFrame } from '../../../shared/api';

/** A wire frame showing `lines` from the top left in attribute `attr` (07h: grey on black). */
export function wireFrame(
  lines: readonly string[],
  attr = 0x07,
  cursor: ScreenFrame['cursor'] = { row: 0, col: 0, visible: true },
): ScreenFrame {
  const bytes = new Uint8Array(80 * 25 * 2);
  for (let i = 0; i < 80 * 25; i++) {
    bytes[2 * i] = 0x20;
    bytes[2 * i + 1] = attr;
  }
  lines.forEach((line, row) => {
    for (let col = 0; col < line.length && col < 80; col++) {
      bytes[(row * 80 + col) * 2] = line.charCodeAt(col);
    }
  });
  let raw = '';
  for (const b of bytes) raw += String.fromCharCode(b);
  return { cols: 80, rows: 25, cells: btoa(raw), cursor };
}
