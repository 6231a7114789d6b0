// What NASM's preprocessor hands on: expanded lines, the listing's view of every line read, diagnostics, size limits.

import type { MacroStep, Raw } from './source-lines';

export type { MacroStep } from './source-lines';

/** A line after preprocessing, with where it came from. */
export interface SourceLine {
  text: string;
  file: string;
  line: number;
  /** Macro expansion depth: 0 for a line of a source file. */
  depth: number;
  /** For a line of a macro body: the macro calls that led to it, outermost first. */
  from?: MacroStep[];
}

/** A preprocessor diagnostic. */
export interface PreDiagnostic {
  file: string;
  line: number;
  col: number;
  endCol: number;
  severity: 'error' | 'warning';
  message: string;
  /** Raised in a macro body: the macro calls that led there, outermost first. */
  from?: MacroStep[];
}

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
  /** %warning messages the line gave, which nasm lists under it. */
  warnings?: string[];
}

/** Most lines %rep and macros may produce, so that no source can exhaust memory or time. */
export const MAX_PREPROCESSED_LINES = 100_000;
/** Most lines the preprocessor may look at (macro and %rep bodies count each time). */
const MAX_WORK = 500_000;
/** Errors after which preprocessing gives up. */
const MAX_ERRORS = 500;

/** Thrown to stop preprocessing: a limit was reached, or %fatal. */
export class Abort {}

/** Collects the preprocessor's output lines, listing rows and diagnostics, within limits. */
export class PreprocessorOutput {
  readonly lines: SourceLine[] = [];
  readonly listing: ListedLine[] = [];
  readonly diagnostics: PreDiagnostic[] = [];
  /** Set when a size limit stopped preprocessing. */
  overLimit = false;
  /** The line being processed, where diagnostics point. */
  current: Raw = { text: '', file: '', line: 0, depth: 0 };
  private lastListed: Raw | undefined;
  private work = 0;

  /** Reports a problem on the current line; stops preprocessing after too many. */
  error(message: string, col = 1, endCol = col, severity: 'error' | 'warning' = 'error'): void {
    const r = this.current;
    const from = r.from ? { from: r.from } : {};
    this.diagnostics.push({ file: r.file, line: r.line, col, endCol, severity, message, ...from });
    const listed = this.listing[this.listing.length - 1];
    if (severity === 'warning' && listed && this.lastListed === r) {
      listed.warnings = [...(listed.warnings ?? []), message];
    }
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

  /** Counts one line looked at; stops preprocessing when expansion runs away. */
  step(): void {
    if (++this.work > MAX_WORK) {
      this.error(`macro and %rep expansion too large (more than ${MAX_WORK} lines processed)`);
      this.overLimit = true;
      throw new Abort();
    }
  }

  /** Hands on `text` as the expansion of `r`. */
  emit(r: Raw, text: string): void {
    if (this.lines.length >= MAX_PREPROCESSED_LINES) {
      this.error(`more than ${MAX_PREPROCESSED_LINES} lines after macro expansion and %rep`);
      this.overLimit = true;
      throw new Abort();
    }
    const line: SourceLine = { text, file: r.file, line: r.line, depth: r.depth };
    if (r.from) line.from = r.from;
    this.lines.push(line);
    const last = this.listing[this.listing.length - 1];
    if (last && this.lastListed === r) {
      if (last.out === -1) last.out = this.lines.length - 1;
      last.outEnd = this.lines.length - 1;
    }
  }

  /** Adds `r` to the listing, as read. */
  list(r: Raw): void {
    if (this.listing.length >= MAX_PREPROCESSED_LINES * 2) return;
    const expanded = r.frame !== undefined || r.expanded === true;
    this.listing.push({
      text: r.listText ?? r.text,
      line: r.listLine ?? r.line,
      depth: r.depth,
      out: -1,
      expanded,
    });
    this.lastListed = r;
  }
}
