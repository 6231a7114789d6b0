// Listing files in the layout of `nasm -l`: line number, offset, hex bytes, macro level, source (NASM manual 2.1.3).

import type { AssembledLine, AssemblyOutput } from './assembler';

const HEX_WIDTH = 18;

const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
const hex8 = (v: number) => (v >>> 0).toString(16).toUpperCase().padStart(8, '0');

/** One listing row: the fixed-width prefix and the source text. */
function row(
  line: number,
  address: number | null,
  hexText: string,
  cont: boolean,
  depth: number,
  text: string | null,
  collapse = false,
): string {
  const num = String(line).padStart(6);
  const addr = address === null ? '        ' : hex8(address);
  const field = hexText.padEnd(HEX_WIDTH) + (cont ? '-' : ' ');
  if (text === null) return `${num} ${addr} ${field}`;
  const level = depth > 0 ? `<${depth}>`.padStart(4) : '    ';
  // Expanded lines show their indentation as one blank, as nasm does.
  const shown = collapse ? text.replace(/^[ \t]+/, ' ') : text;
  return `${num} ${addr} ${field}${level} ${shown}`;
}

/** nasm lists section offsets, but addresses inside ABSOLUTE blocks. */
function listedOffset(a: AssembledLine): number {
  return a.section.startsWith('..absolute') ? a.address : a.offset;
}

/**
 * Formats a listing of `out` like nasm's. Known differences: nasm brackets relocatable
 * values ([0000]) and prints them section-relative; vmlab prints the final bytes.
 */
export function formatListing(out: AssemblyOutput): string {
  const rows: string[] = [];
  const warnings = new Map<string, string[]>();
  for (const d of out.diagnostics) {
    if (d.severity !== 'warning') continue;
    const key = `${d.file}:${d.line}`;
    warnings.set(key, [...(warnings.get(key) ?? []), d.message]);
  }
  for (const l of out.listing) {
    // The first of the output lines this source line became that holds bytes or space.
    let a = l.out >= 0 ? out.lines[l.out] : undefined;
    for (let k = l.out; k >= 0 && k <= (l.outEnd ?? l.out); k++) {
      const c = out.lines[k];
      if (c && c.repeat > 0 && (c.bytes.length > 0 || c.reserved)) {
        a = c;
        break;
      }
    }
    if (!a || (a.bytes.length === 0 && !a.reserved) || a.repeat === 0) {
      rows.push(row(l.line, null, '', false, l.depth, l.text, l.expanded));
    } else if (a.reserved) {
      const size = a.bytes.length * a.repeat;
      const text = size <= 8 ? '??'.repeat(size) : `<res ${size.toString(16).toUpperCase()}h>`;
      rows.push(row(l.line, listedOffset(a), text, false, l.depth, l.text, l.expanded));
    } else {
      let hexText = '';
      // A line that became several (AT: padding, then data) lists their bytes together.
      for (let k = l.out; k <= (l.outEnd ?? l.out); k++) {
        const part = out.lines[k];
        if (!part || part.repeat === 0) continue;
        for (const b of part.bytes) hexText += hex2(b);
        if (part.repeat > 1) hexText += `<rep ${part.repeat.toString(16).toUpperCase()}h>`;
      }
      let first = true;
      let offset = listedOffset(a);
      while (first || hexText.length > 0) {
        const take = hexText.length > HEX_WIDTH ? HEX_WIDTH : hexText.length;
        const part = hexText.slice(0, take);
        hexText = hexText.slice(take);
        rows.push(
          row(l.line, offset, part, hexText.length > 0, l.depth, first ? l.text : null, l.expanded),
        );
        offset += take / 2;
        first = false;
      }
    }
    if (a) {
      for (const w of warnings.get(`${a.source.file}:${a.source.line}`) ?? []) {
        rows.push(
          `${String(l.line).padStart(6)}          ${'*'.repeat(HEX_WIDTH)}       warning: ${w}`,
        );
      }
      warnings.delete(`${a.source.file}:${a.source.line}`);
    }
  }
  return rows.length ? `${rows.join('\n')}\n` : '';
}
