// Source lines for the preprocessor: splitting with continuations, UTF-8, and recognising directives (NASM manual 3.1, 4.4).

/** One macro call on the way to a line: the call, and the line of the macro's body being expanded. */
export interface MacroStep {
  macro: string;
  /** Columns of the call on the calling line (the line before in the chain, or the source line). */
  callCol: number;
  callEndCol: number;
  /** Where the body line is: the file that defines the macro, and its line there. */
  file: string;
  line: number;
}

/** A line of source as read, with where it came from. */
export interface Raw {
  text: string;
  file: string;
  line: number;
  depth: number;
  /** Text and line number a listing shows (a macro body line before substitution). */
  listText?: string;
  listLine?: number;
  /** For a line of a macro body: the call's parameters (rotated in place) and unique id. */
  frame?: { args: string[]; id: number };
  /** A copy made by %rep. */
  expanded?: boolean;
  /** For a line of a macro body: the macro calls that led to it, outermost first. */
  from?: MacroStep[];
}

export const CONDITIONS = new Set([
  '',
  'def',
  'ndef',
  'idn',
  'idni',
  'num',
  'str',
  'id',
  'macro',
  'empty',
  'ctx',
]);

/** Decodes UTF-8 bytes without TextDecoder (not in the engine's lib). */
export function utf8Decode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let cp = b;
    let len = 1;
    if (b >= 0xf0 && i + 3 < bytes.length) {
      cp =
        ((b & 7) << 18) |
        ((bytes[i + 1]! & 63) << 12) |
        ((bytes[i + 2]! & 63) << 6) |
        (bytes[i + 3]! & 63);
      len = 4;
    } else if (b >= 0xe0 && i + 2 < bytes.length) {
      cp = ((b & 15) << 12) | ((bytes[i + 1]! & 63) << 6) | (bytes[i + 2]! & 63);
      len = 3;
    } else if (b >= 0xc0 && i + 1 < bytes.length) {
      cp = ((b & 31) << 6) | (bytes[i + 1]! & 63);
      len = 2;
    }
    s += String.fromCodePoint(cp);
    i += len;
  }
  return s;
}

export function splitLines(source: string, file: string, depth: number): Raw[] {
  const texts = source.split(/\r\n|\n|\r/);
  const out: Raw[] = [];
  for (let i = 0; i < texts.length; i++) {
    let text = texts[i]!;
    const line = i + 1;
    // A backslash at the end of a line continues it on the next one.
    while (text.endsWith('\\') && i + 1 < texts.length) text = text.slice(0, -1) + texts[++i]!;
    out.push({ text, file, line, depth });
  }
  if (out.length > 0 && out[out.length - 1]!.text === '' && texts.length > 1) out.pop();
  return out;
}

/** The preprocessor directive on a line: its lower-case name, the rest, its column. */
export function directiveOf(text: string): { name: string; rest: string; col: number } | null {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] !== '%') return null;
  const m = /^%([A-Za-z]+)/.exec(text.slice(i));
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), rest: text.slice(i + m[0].length), col: i + 1 };
}

/** Decodes %if<cond>, %ifn<cond>, %elif<cond>, %elifn<cond>, %else. */
export function conditionName(
  name: string,
): { kind: 'if' | 'elif' | 'else'; cond: string; neg: boolean } | null {
  if (name === 'else') return { kind: 'else', cond: '', neg: false };
  const m = /^(if|elif)(n?)(.*)$/.exec(name);
  if (!m) return null;
  let cond = m[3]!;
  let neg = m[2] === 'n';
  if (!CONDITIONS.has(cond)) {
    // %ifndef and friends: the n belongs to the condition name.
    if (m[2] === 'n' && CONDITIONS.has(`n${cond}`)) {
      cond = `n${cond}`;
      neg = false;
    } else return null;
  }
  if (cond === 'ndef') return { kind: m[1] as 'if' | 'elif', cond: 'def', neg: !neg };
  return { kind: m[1] as 'if' | 'elif', cond, neg };
}
