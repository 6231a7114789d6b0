// NASM macro text operations: single-line macro expansion and multi-line macro parameters (NASM manual 4.1-4.3).

/** A single-line macro (%define, %xdefine, %assign); `params` is null for an object-like one. */
export interface SingleMacro {
  name: string;
  params: string[] | null;
  body: string;
  caseless: boolean;
}

/** A multi-line macro (%macro ... %endmacro). */
export interface MultiMacro {
  name: string;
  min: number;
  max: number;
  greedy: boolean;
  defaults: string[];
  body: { text: string; line: number }[];
  caseless: boolean;
  file: string;
  line: number;
}

const ID_START = /[A-Za-z_.?@$]/;
const ID_CHAR = /[A-Za-z0-9_.?@$#~]/;

/** Index just past the string literal starting at `i` (which holds its quote). */
export function skipString(text: string, i: number): number {
  const q = text[i]!;
  let j = i + 1;
  while (j < text.length && text[j] !== q) j += q === '`' && text[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, text.length);
}

/** Splits `text` at top-level commas (outside strings, parentheses when `parens`, and braces). */
export function splitArgs(text: string, parens: boolean): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = skipString(text, i) - 1;
    } else if ((parens && c === '(') || c === '{') depth++;
    else if (((parens && c === ')') || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  args.push(text.slice(start));
  return args.map((a) => {
    const t = a.trim();
    return t.startsWith('{') && t.endsWith('}') ? t.slice(1, -1) : t;
  });
}

/** Strips a trailing `;` comment, minding strings. */
export function stripComment(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') i = skipString(text, i) - 1;
    else if (c === ';') return text.slice(0, i);
  }
  return text;
}

/** Limits that keep a recursive or exploding definition from hanging the assembler. */
const MAX_EXPANSIONS = 10_000;
const MAX_LINE = 1_000_000;

/** Thrown when an expansion runs away. */
export class ExpansionError extends Error {}

/**
 * Expands single-line macros in `text`, rescanning the results; a macro is not expanded
 * inside its own expansion. `lookup` finds a macro by name and argument count.
 */
export function expandSingle(
  text: string,
  lookup: (name: string, argc: number | null) => SingleMacro | undefined,
  special: (name: string) => string | undefined,
): string {
  const budget = { left: MAX_EXPANSIONS };
  return expandIn(text, lookup, special, new Set(), budget);
}

function expandIn(
  text: string,
  lookup: (name: string, argc: number | null) => SingleMacro | undefined,
  special: (name: string) => string | undefined,
  disabled: Set<string>,
  budget: { left: number },
): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ';') {
      out += text.slice(i);
      break;
    }
    if (c === "'" || c === '"' || c === '`') {
      const j = skipString(text, i);
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && ID_CHAR.test(text[j]!)) j++;
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (!ID_START.test(c)) {
      out += c;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && ID_CHAR.test(text[j]!)) j++;
    const name = text.slice(i, j);
    const sp = special(name);
    if (sp !== undefined) {
      out += sp;
      i = j;
      continue;
    }
    if (disabled.has(name)) {
      out += name;
      i = j;
      continue;
    }
    // A call with arguments: name(...) directly or after blanks.
    let k = j;
    while (k < n && (text[k] === ' ' || text[k] === '\t')) k++;
    let args: string[] | null = null;
    let end = j;
    if (text[k] === '(') {
      let depth = 0;
      let m = k;
      for (; m < n; m++) {
        const ch = text[m]!;
        if (ch === "'" || ch === '"' || ch === '`') m = skipString(text, m) - 1;
        else if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) break;
      }
      if (m < n) {
        args = splitArgs(text.slice(k + 1, m), true);
        end = m + 1;
      }
    }
    let mac = args ? lookup(name, args.length) : undefined;
    if (!mac) {
      mac = lookup(name, null);
      end = j;
      args = null;
    }
    if (!mac) {
      out += name;
      i = j;
      continue;
    }
    if (--budget.left < 0) throw new ExpansionError('macro expansion limit exceeded');
    let body = mac.body;
    if (mac.params && args) body = substituteParams(body, mac.params, args);
    disabled.add(mac.name);
    const expanded = expandIn(body, lookup, special, disabled, budget);
    disabled.delete(mac.name);
    out += expanded;
    if (out.length > MAX_LINE) throw new ExpansionError('macro expansion too long');
    i = end;
  }
  return out;
}

/** Replaces whole-word parameter names in `body` by their arguments. */
function substituteParams(body: string, params: string[], args: string[]): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const j = skipString(body, i);
      out += body.slice(i, j);
      i = j;
      continue;
    }
    if (ID_START.test(c)) {
      let j = i + 1;
      while (j < body.length && ID_CHAR.test(body[j]!)) j++;
      const word = body.slice(i, j);
      const p = params.indexOf(word);
      out += p >= 0 ? (args[p] ?? '') : word;
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * Substitutes %0, %1.. (%{n}), %%local and %00 in one body line of a multi-line macro
 * invocation. `id` makes %%labels unique per invocation.
 */
export function substituteMacroLine(text: string, args: string[], id: number): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const j = skipString(text, i);
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '%') {
      out += `..@${id}.`;
      i += 2;
      continue;
    }
    const cc = /^([+-])(\d+)/.exec(text.slice(i + 1, i + 12));
    if (cc) {
      // %+n is a condition-code parameter as given, %-n its inverse (NASM manual 4.3.8).
      const arg = args[Number(cc[2]) - 1] ?? '';
      out += cc[1] === '+' ? arg : (invertCondition(arg) ?? arg);
      i += 1 + cc[0].length;
      continue;
    }
    let m = /^\{(-?\d+)\}|^(\d+)/.exec(text.slice(i + 1, i + 12));
    if (m) {
      const num = Number(m[1] ?? m[2]);
      out += num === 0 ? String(args.length) : (args[num - 1] ?? '');
      i += 1 + m[0].length;
      continue;
    }
    m = null;
    out += c;
    i++;
  }
  return out;
}

const CONDITION_CODES = new Set([
  'a',
  'ae',
  'b',
  'be',
  'c',
  'e',
  'g',
  'ge',
  'l',
  'le',
  'o',
  'p',
  'pe',
  'po',
  's',
  'z',
]);

/** The condition code testing the opposite of `cc` (z: nz, nbe: be, pe: po), or undefined. */
export function invertCondition(cc: string): string | undefined {
  const c = cc.trim().toLowerCase();
  if (c === 'pe') return 'po';
  if (c === 'po') return 'pe';
  if (c.startsWith('n') && CONDITION_CODES.has(c.slice(1))) return c.slice(1);
  return CONDITION_CODES.has(c) ? `n${c}` : undefined;
}
