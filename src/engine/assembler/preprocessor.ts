// NASM's preprocessor: %define family, %macro, %rep, %if family, %include, %error (NASM manual chapter 4).

import { AsmError, ExprParser, evaluate } from './expression';
import { tokenize } from './lexer';
import {
  ExpansionError,
  expandSingle,
  type MultiMacro,
  type SingleMacro,
  splitArgs,
  stripComment,
  substituteMacroLine,
} from './macros';
import { isRegister } from './registers';
import { conditionName, directiveOf, type Raw, splitLines, utf8Decode } from './source-lines';
import { StrucMacros } from './struc-macros';

export { utf8Decode } from './source-lines';

/** A line after preprocessing, with where it came from. */
export interface SourceLine {
  text: string;
  file: string;
  line: number;
  /** Macro expansion depth: 0 for a line of a source file. */
  depth: number;
}

/** A preprocessor diagnostic. */
export interface PreDiagnostic {
  file: string;
  line: number;
  col: number;
  endCol: number;
  severity: 'error' | 'warning';
  message: string;
}

/** Reads a project file for %include and incbin: text or bytes, undefined when missing. */
export type ReadFile = (name: string) => Uint8Array | string | undefined;

/** A line as a listing shows it: source text as read, and the output line it became (or -1). */
export interface ListedLine {
  text: string;
  line: number;
  depth: number;
  out: number;
  /** The last output line it became (a STRUC or AT line becomes several). */
  outEnd?: number;
  /** A line of a macro or %rep expansion (nasm lists its indentation as one blank). */
  expanded: boolean;
}

/** What preprocessing produced. */
export interface PreprocessResult {
  lines: SourceLine[];
  /** Every line read, expanded or not, in NASM's listing order. */
  listing: ListedLine[];
  diagnostics: PreDiagnostic[];
  /** Multi-line macro definitions, for the editor. */
  macros: { name: string; file: string; line: number }[];
  /** Preprocessing stopped at a limit: the lines are incomplete and should not be assembled. */
  aborted: boolean;
}

/** Most lines %rep and macros may produce, so that no source can exhaust memory or time. */
export const MAX_PREPROCESSED_LINES = 100_000;
/** Most lines the preprocessor may look at (macro and %rep bodies count each time). */
const MAX_WORK = 500_000;
/** Errors after which preprocessing gives up. */
const MAX_ERRORS = 500;
const MAX_INCLUDE_DEPTH = 32;
const MAX_MACRO_DEPTH = 64;

class ExitRep {}
class Abort {}

/** Runs the preprocessor over `source`. Never throws; problems become diagnostics. */
export function preprocess(source: string, file: string, readFile?: ReadFile): PreprocessResult {
  const p = new Preprocessor(readFile);
  const lines = splitLines(source, file, 0);
  let aborted = false;
  try {
    p.run(lines, 0);
  } catch (e) {
    if (!(e instanceof Abort) && !(e instanceof ExitRep)) throw e;
    aborted = e instanceof Abort && p.overLimit;
  }
  return {
    lines: p.out,
    listing: p.listing,
    diagnostics: p.diagnostics,
    macros: p.macroDefs,
    aborted,
  };
}

interface Cond {
  /** This branch is being assembled. */
  active: boolean;
  /** Some branch of this %if has been taken. */
  done: boolean;
  /** The enclosing region is active. */
  outer: boolean;
  sawElse: boolean;
}

class Preprocessor {
  readonly out: SourceLine[] = [];
  readonly listing: ListedLine[] = [];
  private lastListed: Raw | undefined;
  readonly diagnostics: PreDiagnostic[] = [];
  readonly macroDefs: { name: string; file: string; line: number }[] = [];
  private readonly defines = new Map<string, SingleMacro[]>();
  private readonly idefines = new Map<string, SingleMacro[]>();
  private readonly macros = new Map<string, MultiMacro[]>();
  private readonly imacros = new Map<string, MultiMacro[]>();
  private uid = 0;
  private includeDepth = 0;
  private bits = 16;
  private current: Raw = { text: '', file: '', line: 0, depth: 0 };

  constructor(private readonly readFile?: ReadFile) {}

  private error(message: string, col = 1, endCol = col, severity: 'error' | 'warning' = 'error') {
    const r = this.current;
    this.diagnostics.push({ file: r.file, line: r.line, col, endCol, severity, message });
    if (this.diagnostics.length > MAX_ERRORS) {
      this.diagnostics.push({
        file: r.file,
        line: r.line,
        col,
        endCol,
        severity: 'error',
        message: 'too many errors: preprocessing stopped',
      });
      this.overLimit = true;
      throw new Abort();
    }
  }

  /** Set when a size limit stopped preprocessing. */
  overLimit = false;
  private work = 0;

  private emit(r: Raw, text: string): void {
    if (this.out.length >= MAX_PREPROCESSED_LINES) {
      this.error(`more than ${MAX_PREPROCESSED_LINES} lines after macro expansion and %rep`);
      this.overLimit = true;
      throw new Abort();
    }
    this.out.push({ text, file: r.file, line: r.line, depth: r.depth });
    const last = this.listing[this.listing.length - 1];
    if (last && this.lastListed === r) {
      if (last.out === -1) last.out = this.out.length - 1;
      last.outEnd = this.out.length - 1;
    }
  }

  private list(r: Raw, depth: number): void {
    if (this.listing.length >= MAX_PREPROCESSED_LINES * 2) return;
    const expanded = r.frame !== undefined || r.expanded === true;
    this.listing.push({
      text: r.listText ?? r.text,
      line: r.listLine ?? r.line,
      depth,
      out: -1,
      expanded,
    });
    this.lastListed = r;
  }

  /** Processes lines; `depth` counts macro and %rep nesting. */
  run(lines: Raw[], depth: number): void {
    const conds: Cond[] = [];
    const active = () => conds.length === 0 || conds[conds.length - 1]!.active;
    for (let i = 0; i < lines.length; i++) {
      const r = lines[i]!;
      this.current = r;
      if (++this.work > MAX_WORK) {
        this.error(`macro and %rep expansion too large (more than ${MAX_WORK} lines processed)`);
        this.overLimit = true;
        throw new Abort();
      }
      this.list(r, r.depth);
      // Macro parameters are substituted as each line is reached, so %rotate can change them.
      const src = r.frame ? substituteMacroLine(r.text, r.frame.args, r.frame.id) : r.text;
      const d = directiveOf(src);
      if (d) {
        const { name, rest, col } = d;
        const cond = conditionName(name);
        if (cond) {
          this.conditional(conds, cond, rest, col, name);
          continue;
        }
        if (name === 'endif') {
          if (conds.length === 0) this.error("`%endif': no matching `%if'", col, col + 6);
          else conds.pop();
          continue;
        }
        if (!active()) continue;
        if (name === 'macro' || name === 'imacro') {
          i = this.defineMacro(lines, i, rest, name === 'imacro', col);
          continue;
        }
        if (name === 'rep') {
          i = this.repeat(lines, i, rest, depth, col);
          continue;
        }
        if (name === 'exitrep') {
          if (depth === 0) this.error("`%exitrep' not within `%rep' block", col);
          else {
            // nasm still lists the rest of the iteration.
            for (let j = i + 1; j < lines.length; j++) this.list(lines[j]!, lines[j]!.depth);
            throw new ExitRep();
          }
          continue;
        }
        if (name === 'rotate') {
          this.rotate(r, rest, col);
          continue;
        }
        this.directive(name, rest, col, depth);
        continue;
      }
      if (!active()) continue;
      let text = src;
      try {
        text = this.expand(text);
      } catch (e) {
        if (!(e instanceof ExpansionError)) throw e;
        this.error(e.message);
        continue;
      }
      if (this.strucLine(r, text)) continue;
      if (!this.invokeMacro(r, text, depth)) {
        this.trackBits(text);
        this.emit(r, text);
      }
    }
    if (conds.length > 0) {
      const last = lines[lines.length - 1];
      if (last) this.current = last;
      this.error("expected `%endif' before end of file");
    }
  }

  private expand(text: string): string {
    if (this.defines.size === 0 && this.idefines.size === 0 && !text.includes('__')) return text;
    return expandSingle(
      text,
      (name, argc) => this.findDefine(name, argc),
      (name) => this.standardMacro(name),
    );
  }

  private findDefine(name: string, argc: number | null): SingleMacro | undefined {
    const match = (list: SingleMacro[] | undefined) =>
      list?.find((m) => (argc === null ? m.params === null : m.params?.length === argc));
    return match(this.defines.get(name)) ?? match(this.idefines.get(name.toLowerCase()));
  }

  private standardMacro(name: string): string | undefined {
    if (!name.startsWith('__')) return undefined;
    const bare = name.replace(/^__\?/, '__').replace(/\?__$/, '__');
    switch (bare) {
      case '__LINE__':
        return String(this.current.line);
      case '__FILE__':
        return `'${this.current.file}'`;
      case '__BITS__':
        return String(this.bits);
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

  private trackBits(text: string): void {
    const m = /^\s*\[?\s*(bits\s+(16|32)|use(16|32))\b/i.exec(text);
    if (m) this.bits = Number(m[2] ?? m[3]);
  }

  private conditional(
    conds: Cond[],
    c: { kind: 'if' | 'elif' | 'else'; cond: string; neg: boolean },
    rest: string,
    col: number,
    name: string,
  ) {
    const outer = conds.length === 0 || conds[conds.length - 1]!.active;
    if (c.kind === 'if') {
      const v = outer ? this.test(c.cond, rest, col, name) !== c.neg : false;
      conds.push({ active: outer && v, done: v, outer, sawElse: false });
      return;
    }
    const top = conds[conds.length - 1];
    if (!top) {
      this.error(`\`%${name}': no matching \`%if'`, col, col + name.length + 1);
      return;
    }
    if (top.sawElse) this.error(`\`%${name}' after \`%else'`, col, col + name.length + 1);
    if (c.kind === 'else') {
      top.active = top.outer && !top.done;
      top.done = true;
      top.sawElse = true;
      return;
    }
    if (top.done || !top.outer) {
      top.active = false;
      return;
    }
    const v = this.test(c.cond, rest, col, name) !== c.neg;
    top.active = v;
    top.done = v;
  }

  /** Evaluates the condition of %if<cond>. */
  private test(cond: string, rest: string, col: number, name: string): boolean {
    const text = stripComment(rest).trim();
    switch (cond) {
      case 'def':
        return this.defines.has(text) || this.idefines.has(text.toLowerCase());
      case 'macro': {
        const nm = text.split(/\s+/)[0] ?? '';
        return this.macros.has(nm) || this.imacros.has(nm.toLowerCase());
      }
      case 'idn':
      case 'idni': {
        const parts = splitArgs(this.safeExpand(text), false);
        if (parts.length !== 2) {
          this.error(`\`%${name}' expects two comma-separated arguments`, col);
          return false;
        }
        const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
        const [a, b] = [norm(parts[0]!), norm(parts[1]!)];
        return cond === 'idn' ? a === b : a.toLowerCase() === b.toLowerCase();
      }
      case 'num':
      case 'str':
      case 'id': {
        const toks = tokenize(this.safeExpand(text), []);
        if (toks.length !== 2) return false;
        const k = toks[0]!.kind;
        return cond === 'num' ? k === 'number' : cond === 'str' ? k === 'string' : k === 'ident';
      }
      case 'empty':
        return this.safeExpand(text).trim() === '';
      default:
        return this.evaluate(text, col, `%${name}`) !== 0n;
    }
  }

  private safeExpand(text: string): string {
    try {
      return this.expand(text);
    } catch (e) {
      if (!(e instanceof ExpansionError)) throw e;
      this.error(e.message);
      return '';
    }
  }

  /** Evaluates a critical expression (%if, %assign, %rep): constants only. */
  private evaluate(text: string, col: number, what: string): bigint {
    const expanded = this.safeExpand(text);
    const errors: { message: string; col: number; endCol: number }[] = [];
    const toks = tokenize(expanded, errors);
    if (errors.length > 0) {
      this.error(errors[0]!.message, col);
      return 0n;
    }
    try {
      const p = new ExprParser(toks, 0, isRegister, (n) => n);
      const e = p.parse();
      if (toks[p.pos]!.kind !== 'end')
        throw new AsmError('trailing garbage after expression', col, col);
      const v = evaluate(e, { here: 0n, start: 0n, lookup: () => undefined });
      if (v.unknown || v.regs.length > 0) {
        this.error(`non-constant value given to \`${what}'`, col, col + what.length);
        return 0n;
      }
      return v.k;
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      this.error(`${e.message} in \`${what}'`, col, col + what.length);
      return 0n;
    }
  }

  private directive(name: string, rest: string, col: number, depth: number): void {
    const end = col + name.length + 1;
    const text = stripComment(rest).trim();
    switch (name) {
      case 'define':
      case 'xdefine':
      case 'idefine':
      case 'xidefine': {
        const m = /^([A-Za-z_.?@$][\w.?@$#~]*)(\(([^)]*)\))?\s*([\s\S]*)$/.exec(rest.trimStart());
        if (!m) {
          this.error(`\`%${name}' expects a macro identifier`, col, end);
          return;
        }
        const params = m[2]
          ? m[3]!
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : null;
        let body = stripComment(m[4]!).trim();
        if (name.startsWith('x')) body = this.safeExpand(body);
        this.addDefine({ name: m[1]!, params, body, caseless: name.includes('idefine') });
        return;
      }
      case 'assign':
      case 'iassign': {
        const m = /^([A-Za-z_.?@$][\w.?@$#~]*)\s+([\s\S]*)$/.exec(text);
        if (!m) {
          this.error(`\`%${name}' expects a macro identifier and an expression`, col, end);
          return;
        }
        const v = this.evaluate(m[2]!, col, `%${name}`);
        this.addDefine({
          name: m[1]!,
          params: null,
          body: v.toString(),
          caseless: name === 'iassign',
        });
        return;
      }
      case 'defstr': {
        const m = /^([A-Za-z_.?@$][\w.?@$#~]*)\s*([\s\S]*)$/.exec(text);
        if (m)
          this.addDefine({
            name: m[1]!,
            params: null,
            body: `'${this.safeExpand(m[2]!)}'`,
            caseless: false,
          });
        return;
      }
      case 'undef':
      case 'undefalias':
        this.defines.delete(text);
        this.idefines.delete(text.toLowerCase());
        return;
      case 'unmacro':
      case 'unimacro': {
        const nm = text.split(/\s+/)[0] ?? '';
        this.macros.delete(nm);
        this.imacros.delete(nm.toLowerCase());
        return;
      }
      case 'include': {
        const f = /^(["'`<])(.*)["'`>]$/.exec(text);
        const fname = f ? f[2]! : text;
        this.include(fname, col, end);
        return;
      }
      case 'error':
      case 'fatal':
      case 'warning': {
        let msg = this.safeExpand(text);
        const q = /^(["'`])(.*)\1$/.exec(msg);
        if (q) msg = q[2]!;
        this.error(msg, col, end, name === 'warning' ? 'warning' : 'error');
        if (name === 'fatal') throw new Abort();
        return;
      }
      case 'endmacro':
      case 'endm':
        this.error(`\`%${name}': not defining a macro`, col, end);
        return;
      case 'endrep':
        this.error("`%endrep': no matching `%rep'", col, end);
        return;
      case 'line':
      case 'pragma':
      case 'use':
        return;
      default:
        if (depth >= 0) this.error(`unknown preprocessor directive \`%${name}'`, col, end);
    }
  }

  private addDefine(m: SingleMacro): void {
    const map = m.caseless ? this.idefines : this.defines;
    const key = m.caseless ? m.name.toLowerCase() : m.name;
    const argc = m.params?.length ?? -1;
    const list = (map.get(key) ?? []).filter((x) => (x.params?.length ?? -1) !== argc);
    list.push(m);
    map.set(key, list);
  }

  private include(name: string, col: number, end: number): void {
    const data = this.readFile?.(name);
    if (data === undefined) {
      this.error(`unable to open include file \`${name}'`, col, end);
      return;
    }
    if (this.includeDepth >= MAX_INCLUDE_DEPTH) {
      this.error(`%include nested too deeply (limit ${MAX_INCLUDE_DEPTH})`, col, end);
      return;
    }
    const text = typeof data === 'string' ? data : utf8Decode(data);
    this.includeDepth++;
    const saved = this.current;
    try {
      this.run(splitLines(text, name, saved.depth + 1), 0);
    } finally {
      this.includeDepth--;
      this.current = saved;
    }
  }

  /** Collects a block up to its end directive, minding nesting; returns the end index. */
  private collect(
    lines: Raw[],
    from: number,
    open: RegExp,
    close: RegExp,
    what: string,
  ): [Raw[], number] {
    let level = 1;
    const body: Raw[] = [];
    for (let j = from + 1; j < lines.length; j++) {
      const d = directiveOf(lines[j]!.text);
      this.list(lines[j]!, lines[j]!.depth);
      if (d && open.test(d.name)) level++;
      else if (d && close.test(d.name) && --level === 0) return [body, j];
      body.push(lines[j]!);
    }
    this.error(`end of file while still defining ${what}`);
    return [body, lines.length - 1];
  }

  private defineMacro(
    lines: Raw[],
    i: number,
    rest: string,
    caseless: boolean,
    col: number,
  ): number {
    const [body, end] = this.collect(lines, i, /^i?macro$/, /^end(macro|m)$/, 'a macro');
    const spec =
      /^([A-Za-z_.?@$][\w.?@$#~]*)\s+(\d+)(?:\s*-\s*(\d+|\*))?(\+)?(\.nolist)?\s*(.*)$/.exec(
        stripComment(rest).trim(),
      );
    if (!spec) {
      this.error("`%macro' expects a macro name and a parameter count", col);
      return end;
    }
    const min = Number(spec[2]);
    const max = spec[3] === '*' ? Number.POSITIVE_INFINITY : spec[3] ? Number(spec[3]) : min;
    const m: MultiMacro = {
      name: spec[1]!,
      min,
      max,
      greedy: spec[4] === '+',
      defaults: spec[6] ? splitArgs(spec[6], false) : [],
      body: body.map((r) => ({ text: r.text, line: r.line })),
      caseless,
      file: lines[i]!.file,
      line: lines[i]!.line,
    };
    const map = caseless ? this.imacros : this.macros;
    const key = caseless ? m.name.toLowerCase() : m.name;
    const list = (map.get(key) ?? []).filter((x) => x.min !== m.min || x.max !== m.max);
    list.push(m);
    map.set(key, list);
    this.macroDefs.push({ name: m.name, file: m.file, line: m.line });
    return end;
  }

  private repeat(lines: Raw[], i: number, rest: string, depth: number, col: number): number {
    const [body, end] = this.collect(lines, i, /^rep$/, /^endrep$/, 'a %rep block');
    const count = this.evaluate(stripComment(rest).trim(), col, '%rep');
    if (count < 0n) {
      this.error("`%rep' value must not be negative", col);
      return end;
    }
    if (depth >= MAX_MACRO_DEPTH) {
      this.error('%rep nested too deeply', col);
      return end;
    }
    const n = count > BigInt(MAX_PREPROCESSED_LINES) ? MAX_PREPROCESSED_LINES + 1 : Number(count);
    try {
      for (let k = 0; k < n; k++) {
        if (body.length === 0 && k > 0) break;
        this.run(
          body.map((b) => ({ ...b, depth: b.depth + 1, expanded: true })),
          depth + 1,
        );
      }
    } catch (e) {
      if (!(e instanceof ExitRep)) throw e;
    }
    return end;
  }

  private readonly strucs = new StrucMacros();

  /** STRUC/ENDSTRUC/ISTRUC/AT/IEND; true when the line was one of them. */
  private strucLine(r: Raw, text: string): boolean {
    return this.strucs.line(
      text,
      (t) => this.emit(r, t),
      (m) => this.error(m),
      () => `..@istruc${++this.uid}`,
    );
  }

  /** %rotate n: rotates the parameters of the macro being expanded left by n (right if negative). */
  private rotate(r: Raw, rest: string, col: number): void {
    if (!r.frame) {
      this.error("`%rotate' invoked outside a macro call", col, col + 7);
      return;
    }
    const args = r.frame.args;
    const n =
      args.length === 0
        ? 0
        : Number(
            this.evaluate(stripComment(rest).trim() || '1', col, '%rotate') % BigInt(args.length),
          );
    const k = (n + args.length) % Math.max(args.length, 1);
    args.push(...args.splice(0, k));
  }

  /** Expands a multi-line macro call on this line; false when the line is not one. */
  private invokeMacro(r: Raw, text: string, depth: number): boolean {
    if (this.macros.size === 0 && this.imacros.size === 0) return false;
    const m =
      /^(\s*)(?:([A-Za-z_.?@$][\w.?@$#~]*:)\s*)?([A-Za-z_.?@$][\w.?@$#~]*)(?=\s|$|;)(.*)$/.exec(
        text,
      );
    if (!m) return false;
    const name = m[3]!;
    const list = this.macros.get(name) ?? this.imacros.get(name.toLowerCase());
    if (!list) return false;
    const argText = stripComment(m[4]!).trim();
    let args = argText === '' ? [] : splitArgs(argText, false);
    const mac = list.find((x) => {
      if (x.greedy) return args.length >= x.min;
      return args.length >= x.min && args.length <= x.max;
    });
    if (!mac) {
      this.error(`macro \`${name}' exists, but not taking ${args.length} parameters`);
      return true;
    }
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
    if (depth >= MAX_MACRO_DEPTH) {
      this.error(`macro \`${name}' nested too deeply (limit ${MAX_MACRO_DEPTH})`);
      return true;
    }
    if (m[2]) this.emit(r, m[2]);
    const id = ++this.uid;
    const frame = { args, id };
    const body = mac.body.map((b) => ({
      text: b.text,
      frame,
      file: r.file,
      line: r.line,
      depth: r.depth + 1,
      listText: b.text,
      listLine: b.line,
    }));
    this.run(body, depth + 1);
    return true;
  }
}
