// Listing files in the layout of `nasm -l`: line number, offset, hex bytes, macro level, source (NASM manual 2.1.3).

import type { AssembledLine, AssemblyOutput } from './assembler';

/** Width of the hex column; a piece that would overflow it starts a continuation row. */
const HEX_WIDTH = 18;

const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
const hex8 = (v: number) => (v >>> 0).toString(16).toUpperCase().padStart(8, '0');
const hexCount = (n: number) => `${n.toString(16).toUpperCase()}h`;

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
  // nasm appends the continuation mark right after the hex, then pads.
  const field = (cont ? `${hexText}-` : hexText).padEnd(HEX_WIDTH + 1);
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
 * One unit of the hex column, never split across rows: a byte, an address ([..] absolute,
 * (..) relative, little-endian), or a marker such as <rep 3h>. `offset` is null for a marker
 * that takes the offset of the row it lands on.
 */
interface Piece {
  text: string;
  offset: number | null;
  /** Index of its first byte among the line's bytes (markers: the bytes before them). */
  byte: number;
}

/** nasm's warning classes, which its listing shows after each warning. */
const WARNING_CLASSES: [RegExp, string][] = [
  [/data exceeds bounds$|^signed byte value exceeds bounds$/, 'number-overflow'],
  [/^uninitialized space declared in /, 'zeroing'],
  [/^attempt to initialize memory in a nobits section/, 'other'],
  [/^label alone on a line without a colon/, 'label-orphan'],
  [/^invalid register size specification ignored$/, 'regsize'],
];

/** A warning row, as nasm's listing puts one under the row it was raised in. */
function warningRow(line: number, depth: number, message: string, user?: 'user'): string {
  const cls = user ?? WARNING_CLASSES.find(([re]) => re.test(message))?.[1];
  const text = cls ? `${message} [-w+${cls}]` : message;
  const level = depth > 0 ? `<${depth}>`.padStart(4) : '    ';
  return `${String(line).padStart(6)}          ${'*'.repeat(HEX_WIDTH)} ${level}  warning: ${text}`;
}

/** Little-endian hex of the low `size` bytes of `v`. */
function hexLE(v: bigint, size: number): string {
  let s = '';
  for (let k = 0; k < size; k++) s += hex2(Number(BigInt.asUintN(8, v >> BigInt(8 * k))));
  return s;
}

/** The hex column's pieces for one assembled line, as nasm's listing writes them. */
function pieces(a: AssembledLine, out: Piece[], first: number): void {
  const offset = listedOffset(a);
  if (a.reserved) {
    // One RESB line, with its TIMES folded in: question marks for a few bytes, else a count.
    const size = a.bytes.length * a.repeat;
    const text = size <= 8 ? '??'.repeat(size) : `<res ${hexCount(size)}>`;
    out.push({ text, offset, byte: first });
    return;
  }
  if (a.incbin) out.push({ text: `<bin ${hexCount(a.bytes.length)}>`, offset, byte: first });
  else if (a.bytes.length === 0) return;
  else {
    const fields = a.fields ?? [];
    let f = 0;
    for (let k = 0; k < a.bytes.length; k++) {
      const field = fields[f];
      const at = { offset: offset + k, byte: first + k };
      if (field && field.at === k) {
        const [open, close] = field.relative ? ['(', ')'] : ['[', ']'];
        out.push({ text: `${open}${hexLE(field.value, field.size)}${close}`, ...at });
        k += field.size - 1;
        f++;
      } else out.push({ text: hex2(a.bytes[k]!), ...at });
    }
  }
  const end = first + a.bytes.length;
  if (a.repeat > 1) out.push({ text: `<rep ${hexCount(a.repeat)}>`, offset: null, byte: end });
}

/** A row of the hex column, and the first byte of the line that the next row starts with. */
interface HexRow {
  offset: number;
  text: string;
  continued: boolean;
  nextByte: number;
}

/** Lays pieces out in rows of the hex column, each piece whole, as nasm's list_out does. */
function layoutPieces(list: Piece[]): HexRow[] {
  const rows: HexRow[] = [];
  let text = '';
  let offset = 0;
  for (const p of list) {
    if (text !== '' && text.length + p.text.length > HEX_WIDTH) {
      rows.push({ offset, text, continued: true, nextByte: p.byte });
      text = '';
    }
    if (text === '' && p.offset !== null) offset = p.offset;
    text += p.text;
  }
  rows.push({ offset, text, continued: false, nextByte: Number.POSITIVE_INFINITY });
  return rows;
}

/** Formats a listing of `out` byte for byte as `nasm -f bin -l` does. */
export function formatListing(out: AssemblyOutput): string {
  const rows: string[] = [];
  for (const l of out.listing) {
    // The first of the output lines this source line became that holds bytes or space.
    let a = l.out >= 0 ? out.lines[l.out] : undefined;
    for (let k = l.out; k >= 0 && k <= (l.outEnd ?? l.out); k++) {
      const c = out.lines[k];
      if (c && c.repeat > 0 && (c.bytes.length > 0 || c.reserved || c.incbin)) {
        a = c;
        break;
      }
    }
    if (!a || (a.bytes.length === 0 && !a.reserved && !a.incbin) || a.repeat === 0) {
      rows.push(row(l.line, null, '', false, l.depth, l.text, l.expanded));
      for (const w of l.warnings ?? []) rows.push(warningRow(l.line, l.depth, w, 'user'));
      for (const w of a?.warnings ?? []) rows.push(warningRow(l.line, l.depth, w.message));
    } else {
      const list: Piece[] = [];
      const warnings: { message: string; at: number }[] = [];
      if (a.reserved) pieces(a, list, 0);
      else {
        // A line that became several (AT: padding, then data) lists their bytes together.
        let first = 0;
        for (let k = l.out; k <= (l.outEnd ?? l.out); k++) {
          const part = out.lines[k];
          if (!part || part.repeat === 0 || part.reserved) continue;
          pieces(part, list, first);
          for (const w of part.warnings ?? []) warnings.push({ ...w, at: w.at + first });
          first += part.bytes.length;
        }
      }
      if (a.reserved) warnings.push(...(a.warnings ?? []));
      // nasm prints a warning under the row that was being filled when it was raised.
      layoutPieces(list).forEach((r, k) => {
        const text = k === 0 ? l.text : null;
        rows.push(row(l.line, r.offset, r.text, r.continued, l.depth, text, l.expanded));
        while (warnings.length > 0 && warnings[0]!.at <= r.nextByte)
          rows.push(warningRow(l.line, l.depth, warnings.shift()!.message));
      });
    }
  }
  return rows.length ? `${rows.join('\n')}\n` : '';
}
