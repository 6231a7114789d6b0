// Tokenizer for one line of NASM-syntax source (NASM manual, 3.1 "Layout of a NASM source line", 3.4 "Constants").

/** Token kinds. */
export type TokenKind = 'ident' | 'number' | 'string' | 'op' | 'end';

/** A token with its 1-based column span [col, endCol). */
export interface Token {
  kind: TokenKind;
  /** Identifier or operator text; for strings, the decoded contents. */
  text: string;
  /** Value of a number token. */
  value: bigint;
  /** Bytes of a string token: UTF-8 for plain characters, raw bytes for escapes. */
  bytes?: number[];
  col: number;
  endCol: number;
}

/** A lexical error at a column span. */
export interface LexError {
  message: string;
  col: number;
  endCol: number;
}

/** Character classes by code (ASCII), so the tokenizer needs no regular expressions per character. */
const CLASS = new Uint8Array(128);
const START = 1;
const CHAR = 2;
const DIGIT = 4;
const ALNUM = 8;
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_.?@]/.test(ch)) CLASS[c]! |= START;
  if (/[A-Za-z0-9_.?@$#~]/.test(ch)) CLASS[c]! |= CHAR;
  if (/[0-9]/.test(ch)) CLASS[c]! |= DIGIT;
  if (/[0-9A-Za-z_]/.test(ch)) CLASS[c]! |= ALNUM;
}
const is = (ch: string | undefined, cls: number) => {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return c < 128 && (CLASS[c]! & cls) !== 0;
};
const IDENT_START = { test: (ch: string) => is(ch, START) };
const IDENT_CHAR = { test: (ch: string) => is(ch, CHAR) };
const OPERATORS = [
  '<<<',
  '>>>',
  '<=>',
  '<<',
  '>>',
  '//',
  '%%',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '&&',
  '||',
  '^^',
  '<',
  '>',
  '=',
  '?',
  '{',
  '}',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '~',
  '(',
  ')',
  '[',
  ']',
  ',',
  ':',
  '!',
];

/** Escapes understood inside `backquoted` strings (NASM manual 3.4.2). */
const ESCAPES: Record<string, number> = {
  "'": 0x27,
  '"': 0x22,
  '`': 0x60,
  '\\': 0x5c,
  '?': 0x3f,
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  e: 27,
};

/** Parses a NASM numeric literal (0x1F, 1Fh, $1F, 0b101, 101b, 0o17, 17q, 10d...); null if invalid. */
export function parseNumber(raw: string): bigint | null {
  let s = raw.replace(/_/g, '').toLowerCase();
  let radix = 10;
  if (s.startsWith('$')) {
    s = s.slice(1);
    radix = 16;
  } else if (/^0[xh]/.test(s)) {
    s = s.slice(2);
    radix = 16;
  } else if (/^[0-9][0-9a-f]*h$/.test(s)) {
    s = s.slice(0, -1);
    radix = 16;
  } else if (/^0[by]/.test(s)) {
    s = s.slice(2);
    radix = 2;
  } else if (/^0[oq]/.test(s)) {
    s = s.slice(2);
    radix = 8;
  } else if (/^0[dt]/.test(s)) {
    s = s.slice(2);
  } else if (/[by]$/.test(s)) {
    s = s.slice(0, -1);
    radix = 2;
  } else if (/[oq]$/.test(s)) {
    s = s.slice(0, -1);
    radix = 8;
  } else if (/[dt]$/.test(s)) {
    s = s.slice(0, -1);
  }
  const digits =
    radix === 16 ? /^[0-9a-f]+$/ : radix === 8 ? /^[0-7]+$/ : radix === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return null;
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  return BigInt(prefix + s);
}

/** Splits one source line into tokens, stopping at a ';' comment. Errors are collected, not thrown. */
export function tokenize(line: string, errors: LexError[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === ';') break;
    const start = i;
    if (is(c, DIGIT) || (c === '$' && is(line[i + 1], DIGIT))) {
      i++;
      while (i < n && is(line[i], ALNUM)) i++;
      const raw = line.slice(start, i);
      const value = parseNumber(raw);
      if (value === null)
        errors.push({ message: `invalid number '${raw}'`, col: start + 1, endCol: i + 1 });
      tokens.push({ kind: 'number', text: raw, value: value ?? 0n, col: start + 1, endCol: i + 1 });
      continue;
    }
    const isQuestionOp = c === '?' && !IDENT_CHAR.test(line[i + 1] ?? '');
    if (
      !isQuestionOp &&
      (IDENT_START.test(c) || (c === '$' && IDENT_START.test(line[i + 1] ?? '')))
    ) {
      if (c === '$') i++; // $name escapes a name that is also a keyword
      i++;
      while (i < n && IDENT_CHAR.test(line[i]!)) i++;
      const text = line.slice(c === '$' ? start + 1 : start, i);
      tokens.push({ kind: 'ident', text, value: 0n, col: start + 1, endCol: i + 1 });
      continue;
    }
    if (c === '$') {
      i += line[i + 1] === '$' ? 2 : 1;
      tokens.push({
        kind: 'ident',
        text: line.slice(start, i),
        value: 0n,
        col: start + 1,
        endCol: i + 1,
      });
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      i++;
      let text = '';
      const bytes: number[] = [];
      let closed = false;
      while (i < n) {
        const ch = line[i]!;
        if (ch === c) {
          closed = true;
          i++;
          break;
        }
        if (c === '`' && ch === '\\' && i + 1 < n) {
          const [code, used] = backquoteEscape(line, i + 1);
          text += String.fromCharCode(code);
          bytes.push(code);
          i += 1 + used;
          continue;
        }
        const cp = line.codePointAt(i)!;
        utf8(cp, bytes);
        text += String.fromCodePoint(cp);
        i += cp > 0xffff ? 2 : 1;
      }
      if (!closed) {
        errors.push({
          message: `unterminated string (missing \`${c}')`,
          col: start + 1,
          endCol: i + 1,
        });
      }
      tokens.push({ kind: 'string', text, value: 0n, bytes, col: start + 1, endCol: i + 1 });
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      i += op.length;
      tokens.push({ kind: 'op', text: op, value: 0n, col: start + 1, endCol: i + 1 });
      continue;
    }
    errors.push({ message: `unexpected character '${c}'`, col: start + 1, endCol: start + 2 });
    i++;
  }
  tokens.push({ kind: 'end', text: '', value: 0n, col: i + 1, endCol: i + 1 });
  return tokens;
}

/** Decodes the escape after a backslash at `at`; returns the byte and the characters used. */
function backquoteEscape(line: string, at: number): [number, number] {
  const e = line[at]!;
  if (e in ESCAPES) return [ESCAPES[e]!, 1];
  if (e === 'x') {
    const m = /^[0-9A-Fa-f]{1,2}/.exec(line.slice(at + 1));
    if (m) return [Number.parseInt(m[0], 16), 1 + m[0].length];
  }
  const oct = /^[0-7]{1,3}/.exec(line.slice(at));
  if (oct) return [Number.parseInt(oct[0], 8) & 0xff, oct[0].length];
  return [e.charCodeAt(0) & 0xff, 1];
}

/** Appends the UTF-8 encoding of code point `cp` to `out`. */
function utf8(cp: number, out: number[]): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else {
    out.push(
      0xf0 | (cp >> 18),
      0x80 | ((cp >> 12) & 0x3f),
      0x80 | ((cp >> 6) & 0x3f),
      0x80 | (cp & 0x3f),
    );
  }
}
