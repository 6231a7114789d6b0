// NASM's preprocessor: reads lines, runs directives and expands macros, %rep and %include (NASM manual chapter 4).

import { ConditionStack } from './conditionals';
import { ContextStack } from './context-stack';
import { evaluateCritical } from './critical-expression';
import { ExpansionError, stripComment, substituteMacroLine } from './macros';
import { MultiLineMacros, rotateArgs } from './multi-line-macros';
import {
  Abort,
  type ListedLine,
  MAX_PREPROCESSED_LINES,
  type PreDiagnostic,
  PreprocessorOutput,
  type SourceLine,
} from './preprocessor-output';
import { SingleLineMacros, standardMacro } from './single-line-macros';
import { conditionName, directiveOf, type Raw, splitLines, utf8Decode } from './source-lines';
import { StrucMacros } from './struc-macros';

export type { ListedLine, MacroStep, PreDiagnostic, SourceLine } from './preprocessor-output';
export { MAX_PREPROCESSED_LINES } from './preprocessor-output';
export { utf8Decode } from './source-lines';

/** Reads a project file for %include and incbin: text or bytes, undefined when missing. */
export type ReadFile = (name: string) => Uint8Array | string | undefined;

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

const MAX_INCLUDE_DEPTH = 32;
const MAX_MACRO_DEPTH = 64;
/** Directives accepted and ignored: they change nothing in a flat binary. */
const IGNORED = new Set(['line', 'pragma', 'use']);

class ExitRep {}

/** Runs the preprocessor over `source`. Never throws; problems become diagnostics. */
export function preprocess(source: string, file: string, readFile?: ReadFile): PreprocessResult {
  const p = new Preprocessor(readFile);
  const lines = splitLines(source, file, 0);
  let aborted = false;
  try {
    p.run(lines, 0);
  } catch (e) {
    if (!(e instanceof Abort) && !(e instanceof ExitRep)) throw e;
    aborted = e instanceof Abort && p.out.overLimit;
  }
  return {
    lines: p.out.lines,
    listing: p.out.listing,
    diagnostics: p.out.diagnostics,
    macros: p.macroDefs,
    aborted,
  };
}

class Preprocessor {
  readonly out = new PreprocessorOutput();
  readonly macroDefs: { name: string; file: string; line: number }[] = [];
  private readonly defines = new SingleLineMacros();
  private readonly macros = new MultiLineMacros();
  private readonly strucs = new StrucMacros();
  private uid = 0;
  private includeDepth = 0;
  private bits = 16;
  /** What directives need from here: errors, expansion and critical expressions. */
  private readonly host = {
    error: (message: string, col: number, endCol?: number) => this.error(message, col, endCol),
    expand: (text: string) => this.safeExpand(text),
    evaluate: (text: string, col: number, what: string) => this.evaluate(text, col, what),
    isDefined: (name: string) => this.defines.has(name),
    isMacro: (name: string) => this.macros.has(name),
    isContext: (names: string) => this.contexts.isTop(names),
  };
  private readonly contexts = new ContextStack({
    error: (message, col, endCol) => this.error(message, col, endCol),
    nextId: () => ++this.uid,
    define: (name, body) => this.defines.add({ name, params: null, body, caseless: false }),
    evaluate: (text, col, what) => this.evaluate(text, col, what),
  });

  constructor(private readonly readFile?: ReadFile) {}

  private error(message: string, col = 1, endCol = col, severity: 'error' | 'warning' = 'error') {
    this.out.error(message, col, endCol, severity);
  }

  /** Processes lines; `depth` counts macro and %rep nesting. */
  run(lines: Raw[], depth: number): void {
    const conds = new ConditionStack(this.host);
    for (let i = 0; i < lines.length; i++) {
      const r = lines[i]!;
      this.out.current = r;
      this.out.step();
      this.out.list(r);
      // Macro parameters are substituted as each line is reached, so %rotate can change them.
      let src = r.frame ? substituteMacroLine(r.text, r.frame.args, r.frame.id) : r.text;
      let d = directiveOf(src);
      if (src.includes('%$') && (conds.active || (d && conditionName(d.name)))) {
        src = this.contexts.localNames(src, 1);
        d = directiveOf(src);
      }
      if (d) {
        const { name, rest, col } = d;
        const cond = conditionName(name);
        if (cond) conds.branch(cond, rest, col, name);
        else if (name === 'endif') conds.endif(col);
        else if (conds.active) i = this.directive(lines, i, name, rest, col, depth);
        continue;
      }
      if (!conds.active) continue;
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
        this.out.emit(r, text);
      }
    }
    if (conds.open) {
      const last = lines[lines.length - 1];
      if (last) this.out.current = last;
      this.error("expected `%endif' before end of file");
    }
  }

  private expand(text: string): string {
    if (this.defines.empty && !text.includes('__')) return text;
    const where = this.out.current;
    return this.defines.expand(text, (name) => standardMacro(name, where, this.bits));
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

  private trackBits(text: string): void {
    const m = /^\s*\[?\s*(bits\s+(16|32)|use(16|32))\b/i.exec(text);
    if (m) this.bits = Number(m[2] ?? m[3]);
  }

  /** Evaluates a critical expression (%if, %assign, %rep): constants only. */
  private evaluate(text: string, col: number, what: string): bigint {
    return evaluateCritical(this.safeExpand(text), col, what, (m, c, e) => this.error(m, c, e));
  }

  /** Runs the directive on line `i` of an active region; returns the last line it used. */
  private directive(
    lines: Raw[],
    i: number,
    name: string,
    rest: string,
    col: number,
    depth: number,
  ): number {
    const end = col + name.length + 1;
    const text = stripComment(rest).trim();
    if (this.defines.directive(name, rest, col, this.host)) return i;
    if (this.contexts.directive(name, rest, col)) return i;
    switch (name) {
      case 'macro':
      case 'imacro':
        return this.defineMacro(lines, i, rest, name === 'imacro', col);
      case 'rep':
        return this.repeat(lines, i, rest, depth, col);
      case 'exitrep':
        if (depth === 0) {
          this.error("`%exitrep' not within `%rep' block", col);
          return i;
        }
        // nasm still lists the rest of the iteration.
        for (let j = i + 1; j < lines.length; j++) this.out.list(lines[j]!);
        throw new ExitRep();
      case 'rotate':
        this.rotate(lines[i]!, rest, col);
        return i;
      case 'unmacro':
      case 'unimacro':
        this.macros.remove(text.split(/\s+/)[0] ?? '');
        return i;
      case 'include': {
        const f = /^(["'`<])(.*)["'`>]$/.exec(text);
        this.include(f ? f[2]! : text, col, end);
        return i;
      }
      case 'error':
      case 'fatal':
      case 'warning': {
        let msg = this.safeExpand(text);
        const q = /^(["'`])(.*)\1$/.exec(msg);
        if (q) msg = q[2]!;
        this.error(msg, col, end, name === 'warning' ? 'warning' : 'error');
        if (name === 'fatal') throw new Abort();
        return i;
      }
      case 'endmacro':
      case 'endm':
        this.error(`\`%${name}': not defining a macro`, col, end);
        return i;
      case 'endrep':
        this.error("`%endrep': no matching `%rep'", col, end);
        return i;
      default:
        if (!IGNORED.has(name)) this.error(`unknown preprocessor directive \`%${name}'`, col, end);
        return i;
    }
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
    const saved = this.out.current;
    try {
      this.run(splitLines(text, name, saved.depth + 1), 0);
    } finally {
      this.includeDepth--;
      this.out.current = saved;
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
      this.out.list(lines[j]!);
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
    // A macro defined in a macro body lives in the file that holds that body.
    const at = lines[i]!;
    const where = at.from ? at.from[at.from.length - 1]! : at;
    const m = this.macros.define(rest, body, caseless, {
      ...at,
      file: where.file,
      line: where.line,
    });
    if (!m) this.error("`%macro' expects a macro name and a parameter count", col);
    else this.macroDefs.push({ name: m.name, file: m.file, line: m.line });
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
    const limit = BigInt(MAX_PREPROCESSED_LINES);
    const n = count > limit ? MAX_PREPROCESSED_LINES + 1 : Number(count);
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

  /** STRUC/ENDSTRUC/ISTRUC/AT/IEND; true when the line was one of them. */
  private strucLine(r: Raw, text: string): boolean {
    return this.strucs.line(
      text,
      (t) => this.out.emit(r, t),
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
    if (args.length === 0) return;
    rotateArgs(args, this.evaluate(stripComment(rest).trim() || '1', col, '%rotate'));
  }

  /** Expands a multi-line macro call on this line; false when the line is not one. */
  private invokeMacro(r: Raw, text: string, depth: number): boolean {
    const call = this.macros.match(text);
    if (call === undefined) return false;
    if (typeof call === 'string') {
      this.error(call);
      return true;
    }
    const { name, mac, args, label, col, endCol } = call;
    if (depth >= MAX_MACRO_DEPTH) {
      this.error(`macro \`${name}' nested too deeply (limit ${MAX_MACRO_DEPTH})`);
      return true;
    }
    if (label) this.out.emit(r, label);
    const frame = { args, id: ++this.uid };
    const body = mac.body.map(
      (b): Raw => ({
        text: b.text,
        frame,
        file: r.file,
        line: r.line,
        depth: r.depth + 1,
        listText: b.text,
        listLine: b.line,
        from: [
          ...(r.from ?? []),
          { macro: mac.name, callCol: col, callEndCol: endCol, file: mac.file, line: b.line },
        ],
      }),
    );
    this.run(body, depth + 1);
    return true;
  }
}
