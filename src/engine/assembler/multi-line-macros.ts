// NASM's multi-line macro table: %macro definitions, matching a call to one, its parameters (NASM manual 4.3).

import { type MultiMacro, splitArgs, stripComment } from './macros';
import type { Raw } from './source-lines';

const SPEC_RE = /^([A-Za-z_.?@$][\w.?@$#~]*)\s+(\d+)(?:\s*-\s*(\d+|\*))?(\+)?(\.nolist)?\s*(.*)$/;
const CALL_RE =
  /^(\s*)(?:([A-Za-z_.?@$][\w.?@$#~]*:)\s*)?([A-Za-z_.?@$][\w.?@$#~]*)(?=\s|$|;)(.*)$/;

/** A line that calls a multi-line macro: the macro, its arguments, and a label before it. */
export interface MacroCall {
  /** The name as the call spells it. */
  name: string;
  mac: MultiMacro;
  args: string[];
  label: string | undefined;
  /** Columns of the call on its line, from the macro name to the end of the arguments. */
  col: number;
  endCol: number;
}

/** The defined multi-line macros, case-sensitive and caseless (%imacro) apart. */
export class MultiLineMacros {
  private readonly macros = new Map<string, MultiMacro[]>();
  private readonly imacros = new Map<string, MultiMacro[]>();

  /** %ifmacro: whether `name` is a multi-line macro with any parameter count. */
  has(name: string): boolean {
    return this.macros.has(name) || this.imacros.has(name.toLowerCase());
  }

  /** %unmacro: forgets every definition of `name`. */
  remove(name: string): void {
    this.macros.delete(name);
    this.imacros.delete(name.toLowerCase());
  }

  /**
   * Defines a macro from the text after %macro and its body lines; the definition, or null
   * when the name and parameter count are missing.
   */
  define(rest: string, body: Raw[], caseless: boolean, at: Raw): MultiMacro | null {
    const spec = SPEC_RE.exec(stripComment(rest).trim());
    if (!spec) return null;
    const min = Number(spec[2]);
    const max = spec[3] === '*' ? Number.POSITIVE_INFINITY : spec[3] ? Number(spec[3]) : min;
    const m: MultiMacro = {
      name: spec[1]!,
      min,
      max,
      greedy: spec[4] === '+',
      defaults: spec[6] ? splitArgs(spec[6], false) : [],
      // A line of another macro's body lists under its own line number there.
      body: body.map((r) => ({ text: r.text, line: r.listLine ?? r.line })),
      caseless,
      file: at.file,
      line: at.line,
    };
    const map = caseless ? this.imacros : this.macros;
    const key = caseless ? m.name.toLowerCase() : m.name;
    const list = (map.get(key) ?? []).filter((x) => x.min !== m.min || x.max !== m.max);
    list.push(m);
    map.set(key, list);
    return m;
  }

  /**
   * The macro call on `text`: undefined when the line calls no macro, an error message when
   * the macro exists but takes another number of parameters.
   */
  match(text: string): MacroCall | string | undefined {
    if (this.macros.size === 0 && this.imacros.size === 0) return undefined;
    const m = CALL_RE.exec(text);
    if (!m) return undefined;
    const name = m[3]!;
    const list = this.macros.get(name) ?? this.imacros.get(name.toLowerCase());
    if (!list) return undefined;
    const argText = stripComment(m[4]!).trim();
    let args = argText === '' ? [] : splitArgs(argText, false);
    const mac = list.find((x) => {
      if (x.greedy) return args.length >= x.min;
      return args.length >= x.min && args.length <= x.max;
    });
    if (!mac) return `macro \`${name}' exists, but not taking ${args.length} parameters`;
    if (mac.greedy && args.length > Math.max(mac.min, 1)) {
      // The last parameter takes the rest of the line, commas included.
      const keep = Math.max(mac.min, 1) - 1;
      const parts = splitArgs(argText, false);
      let rest = argText;
      for (let k = 0; k < keep; k++) rest = rest.slice(rest.indexOf(',') + 1);
      args = [...parts.slice(0, keep), rest.trim()];
    }
    const max = Number.isFinite(mac.max) ? mac.max : args.length;
    for (let k = args.length; k < max; k++) {
      const def = mac.defaults[k - mac.min];
      if (def === undefined) break;
      args.push(def);
    }
    const col = m[0].length - m[4]!.length - name.length + 1;
    const endCol = stripComment(text).trimEnd().length + 1;
    return { name, mac, args, label: m[2], col, endCol };
  }
}

/** %rotate n: rotates a macro call's parameters left by n (right if negative), in place. */
export function rotateArgs(args: string[], n: bigint): void {
  const by = args.length === 0 ? 0 : Number(n % BigInt(args.length));
  const k = (by + args.length) % Math.max(args.length, 1);
  args.push(...args.splice(0, k));
}
