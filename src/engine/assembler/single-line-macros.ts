// NASM's single-line macro table: %define family, %assign, %defstr, %strlen, %substr, %undef (NASM manual 4.1, 4.2).

import { tokenize } from './lexer';
import { expandSingle, type SingleMacro, splitArgs, stripComment } from './macros';

/** What the single-line directives need from the preprocessor around them. */
export interface DefineContext {
  error(message: string, col: number, endCol: number): void;
  /** Expands macros in `text`, reporting a runaway expansion and giving '' then. */
  expand(text: string): string;
  /** Evaluates a critical expression (constants only) for `what` (e.g. `%assign`). */
  evaluate(text: string, col: number, what: string): bigint;
}

const IDENT = '[A-Za-z_.?@$][\\w.?@$#~]*';
const DEFINE_RE = new RegExp(`^(${IDENT})(\\(([^)]*)\\))?\\s*([\\s\\S]*)$`);
const ASSIGN_RE = new RegExp(`^(${IDENT})\\s+([\\s\\S]*)$`);
const DEFSTR_RE = new RegExp(`^(${IDENT})\\s*([\\s\\S]*)$`);

/** The defined single-line macros, case-sensitive and caseless (%idefine) apart. */
export class SingleLineMacros {
  private readonly defines = new Map<string, SingleMacro[]>();
  private readonly idefines = new Map<string, SingleMacro[]>();

  /** True when there is nothing to expand (the common case, kept fast). */
  get empty(): boolean {
    return this.defines.size === 0 && this.idefines.size === 0;
  }

  /** Expands the macros in `text`; `special` gives the standard macros (__LINE__ ...). */
  expand(text: string, special: (name: string) => string | undefined): string {
    return expandSingle(text, (name, argc) => this.find(name, argc), special);
  }

  /** %ifdef: whether `name` is defined with any parameter count. */
  has(name: string): boolean {
    return this.defines.has(name) || this.idefines.has(name.toLowerCase());
  }

  private find(name: string, argc: number | null): SingleMacro | undefined {
    const match = (list: SingleMacro[] | undefined) =>
      list?.find((m) => (argc === null ? m.params === null : m.params?.length === argc));
    return match(this.defines.get(name)) ?? match(this.idefines.get(name.toLowerCase()));
  }

  /** Defines `m`, replacing a definition with the same parameter count. */
  add(m: SingleMacro): void {
    const map = m.caseless ? this.idefines : this.defines;
    const key = m.caseless ? m.name.toLowerCase() : m.name;
    const argc = m.params?.length ?? -1;
    const list = (map.get(key) ?? []).filter((x) => (x.params?.length ?? -1) !== argc);
    list.push(m);
    map.set(key, list);
  }

  /**
   * Runs a single-line macro directive (`name` without its %); false when `name` is not one.
   * `rest` is the text after the directive name, `col` the directive's column.
   */
  directive(name: string, rest: string, col: number, ctx: DefineContext): boolean {
    const end = col + name.length + 1;
    const text = stripComment(rest).trim();
    switch (name) {
      case 'define':
      case 'xdefine':
      case 'idefine':
      case 'xidefine': {
        const m = DEFINE_RE.exec(rest.trimStart());
        if (!m) {
          ctx.error(`\`%${name}' expects a macro identifier`, col, end);
          return true;
        }
        const params = m[2]
          ? m[3]!
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : null;
        let body = stripComment(m[4]!).trim();
        if (name.startsWith('x')) body = ctx.expand(body);
        this.add({ name: m[1]!, params, body, caseless: name.includes('idefine') });
        return true;
      }
      case 'assign':
      case 'iassign': {
        const m = ASSIGN_RE.exec(text);
        if (!m) {
          ctx.error(`\`%${name}' expects a macro identifier and an expression`, col, end);
          return true;
        }
        const v = ctx.evaluate(m[2]!, col, `%${name}`);
        this.add({ name: m[1]!, params: null, body: v.toString(), caseless: name === 'iassign' });
        return true;
      }
      case 'defstr': {
        const m = DEFSTR_RE.exec(text);
        if (m)
          this.add({
            name: m[1]!,
            params: null,
            body: `'${ctx.expand(m[2]!)}'`,
            caseless: false,
          });
        return true;
      }
      case 'strlen':
      case 'substr':
        this.stringFunction(name, text, col, end, ctx);
        return true;
      case 'undef':
      case 'undefalias':
        this.defines.delete(text);
        this.idefines.delete(text.toLowerCase());
        return true;
      default:
        return false;
    }
  }

  /** %strlen name string, %substr name string start[,count] (NASM manual 4.2.5, 4.2.6). */
  private stringFunction(
    name: 'strlen' | 'substr',
    text: string,
    col: number,
    end: number,
    ctx: DefineContext,
  ): void {
    const m = DEFSTR_RE.exec(text);
    if (!m) {
      ctx.error(`\`%${name}' expects a macro identifier`, col, end);
      return;
    }
    const expanded = ctx.expand(m[2]!);
    const toks = tokenize(expanded, []);
    const str = toks[0];
    if (str?.kind !== 'string' || !str.bytes) {
      const what = name === 'strlen' ? 'string as second parameter' : 'a string as parameter';
      ctx.error(`\`%${name}' requires ${what}`, col, end);
      return;
    }
    const bytes = str.bytes;
    if (name === 'strlen') {
      this.add({ name: m[1]!, params: null, body: String(bytes.length), caseless: false });
      return;
    }
    // After the string: the start and an optional count, both critical expressions.
    const args = splitArgs(expanded.slice(str.endCol - 1), true);
    if (args.length === 0 || args[0] === '') {
      ctx.error("`%substr' requires a starting index", col, end);
      return;
    }
    const start = Number(ctx.evaluate(args[0]!, col, '%substr'));
    let count = args[1] !== undefined ? Number(ctx.evaluate(args[1], col, '%substr')) : 1;
    // A negative count counts back from the end: -1 is the last character.
    if (count < 0) count = bytes.length + count + 1 - start + 1;
    const from = Math.max(start - 1, 0);
    const part = start < 1 ? [] : bytes.slice(from, Math.max(from, from + count));
    this.add({ name: m[1]!, params: null, body: quoteBytes(part), caseless: false });
  }
}

/**
 * A string constant for `bytes`, as %substr writes it: in single quotes unless the text
 * holds one, in backquotes with escapes when it holds both quotes or other than printable ASCII.
 */
function quoteBytes(bytes: number[]): string {
  const text = String.fromCharCode(...bytes);
  const plain = bytes.every((b) => b >= 0x20 && b < 0x7f);
  if (plain && !text.includes("'")) return `'${text}'`;
  if (plain && !text.includes('"')) return `"${text}"`;
  let out = '';
  for (const b of bytes) {
    if (b === 0x60 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `\`${out}\``;
}

/** NASM's standard single-line macros (manual 5.1-5.3), with or without the `?` spelling. */
export function standardMacro(
  name: string,
  where: { file: string; line: number },
  bits: number,
): string | undefined {
  if (!name.startsWith('__')) return undefined;
  const bare = name.replace(/^__\?/, '__').replace(/\?__$/, '__');
  switch (bare) {
    case '__LINE__':
      return String(where.line);
    case '__FILE__':
      return `'${where.file}'`;
    case '__BITS__':
      return String(bits);
    case '__NASM_MAJOR__':
      return '2';
    case '__NASM_MINOR__':
      return '16';
    case '__OUTPUT_FORMAT__':
      return 'bin';
    default:
      return undefined;
  }
}
