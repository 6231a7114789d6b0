// NASM-syntax assembler driver: preprocessing, multi-pass layout, sections, flat binary, symbols and source map (NASM manual 2.1.23, 3, 8.1).

import { type AsmDiagnostic, lineDiagnostic, preprocessorDiagnostic } from './diagnostics';
import type { AddressField } from './encoder';
import { AsmError, type EvalContext } from './expression';
import { MAX_OUTPUT_BYTES } from './line-bytes';
import { evalScalar, type Unknowns } from './operands';
import { LineParser } from './parser';
import { type PassResult, type Program, runPass, type Sym } from './pass';
import { type ListedLine, preprocess, type ReadFile, type SourceLine } from './preprocessor';
import { layout, newSection, type SectionInfo } from './sections';
import type { ParseDiagnostic, ParsedLine } from './syntax';

export type { AsmDiagnostic, RelatedLocation } from './diagnostics';
export { formatNasmDiagnostic } from './diagnostics';
export { MAX_OUTPUT_BYTES } from './line-bytes';
export type { ReadFile } from './preprocessor';

/** One line of the assembled program for the listing: where it went and what it produced. */
export interface AssembledLine {
  /** The preprocessed line. */
  source: SourceLine;
  /** Section-relative offset of its first byte, and the section's name. */
  offset: number;
  section: string;
  /** Bytes of one repetition, how many repetitions (TIMES), and whether they are reserved space. */
  bytes: Uint8Array;
  repeat: number;
  reserved: boolean;
  /** Absolute address of the first byte. */
  address: number;
  /** Fields of `bytes` that hold addresses, which listings show as nasm does. */
  fields?: AddressField[];
  /** The bytes come from INCBIN (listed as their count). */
  incbin?: true;
  /** Warnings of this line, with the byte each concerns (where a listing shows it). */
  warnings?: { message: string; at: number }[];
}

/** The result of assembling one source text. */
export interface AssemblyOutput {
  /** True when there are no errors (warnings allowed). */
  ok: boolean;
  /** The flat binary (empty when there are errors). */
  bytes: Uint8Array;
  /** The ORG address of the first byte. */
  origin: number;
  diagnostics: AsmDiagnostic[];
  /** Labels and EQU constants, in source order. */
  symbols: { name: string; value: number }[];
  /** Address of the first byte each source line emitted, with its file and line. */
  sourceMap: { address: number; line: number; file: string }[];
  /** Every preprocessed line with its bytes, for listings. */
  lines: AssembledLine[];
  /** Multi-line macro definitions (for the editor). */
  macros: { name: string; file: string; line: number }[];
  /** Every source line read, with the index into `lines` of what it became (or -1). */
  listing: ListedLine[];
}

/** Options of `assemble`. */
export interface AssembleOptions {
  /** Name of the source, used in diagnostics (default input.asm). */
  fileName?: string;
  /** Reads project files for %include and incbin. */
  readFile?: ReadFile;
}

const MAX_PASSES = 60;
/** After this many passes sizes may only grow, which guarantees that layout converges. */
const GROW_ONLY_AFTER = 8;

/** Assembles NASM-syntax `source` into a flat binary. Never throws; errors become diagnostics. */
export function assemble(source: string, options: AssembleOptions = {}): AssemblyOutput {
  const file = options.fileName ?? 'input.asm';
  try {
    return assembleUnguarded(source, file, options.readFile);
  } catch (e) {
    // A bug must not take the caller down: report it like any other error.
    const message = `internal assembler error: ${e instanceof Error ? e.message : String(e)}`;
    return {
      ok: false,
      bytes: new Uint8Array(0),
      origin: 0,
      diagnostics: [{ file, line: 1, column: 1, endColumn: 1, severity: 'error', message }],
      symbols: [],
      sourceMap: [],
      lines: [],
      macros: [],
      listing: [],
    };
  }
}

function assembleUnguarded(source: string, file: string, readFile?: ReadFile): AssemblyOutput {
  const pre = preprocess(source, file, readFile);
  if (pre.aborted) return preprocessorFailure(pre, file);
  const parseDiagnostics: ParseDiagnostic[] = [];
  const parser = new LineParser(parseDiagnostics);
  const lines = parseAll(pre.lines, parser, parseDiagnostics);
  const prog = structure(lines, pre.lines, parseDiagnostics);
  checkDuplicates(lines, parseDiagnostics);

  let prev = new Map<string, Sym>();
  let lengths: number[] = [];
  let converged = false;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const floor = pass > GROW_ONLY_AFTER ? lengths : [];
    const r = runPass(prog, prev, floor, false, readFile);
    const stable = sameSymbols(prev, r.symbols) && sameNumbers(lengths, r.lengths);
    prev = r.symbols;
    lengths = r.lengths;
    applySizes(prog, r);
    if (stable) {
      converged = true;
      break;
    }
  }
  const final = runPass(prog, prev, lengths, true, readFile);
  // Parse warnings (a label alone) come first among a line's warnings, as in nasm's listing.
  for (const d of parseDiagnostics) {
    const line = final.lines[d.line - 1];
    if (d.severity !== 'warning' || !line) continue;
    line.warnings = [{ message: d.message, at: 0 }, ...(line.warnings ?? [])];
  }
  const all = [...parseDiagnostics, ...final.diagnostics];
  if (!converged) {
    all.push({
      line: 1,
      col: 1,
      endCol: 1,
      severity: 'error',
      message: 'phase error detected at end of assembly',
    });
  }
  const diagnostics: AsmDiagnostic[] = all.map((d) =>
    lineDiagnostic(d, pre.lines[d.line - 1], file),
  );
  for (const d of pre.diagnostics) diagnostics.push(preprocessorDiagnostic(d, file));
  diagnostics.sort((a, b) =>
    a.file === b.file
      ? a.line - b.line || a.column - b.column
      : a.file === file
        ? -1
        : b.file === file
          ? 1
          : 0,
  );
  let ok = !diagnostics.some((d) => d.severity === 'error');
  const order = layout(prog.sections, prog.origin);
  let bytes = new Uint8Array(0);
  if (ok) {
    const loaded = order.filter((s) => !s.nobits && s.size > 0);
    const end = loaded.reduce((m, s) => Math.max(m, s.loadAt + s.size), prog.origin);
    const start = loaded.reduce((m, s) => Math.min(m, s.loadAt), prog.origin);
    if (end - start > MAX_OUTPUT_BYTES) {
      diagnostics.push({
        file,
        line: 1,
        column: 1,
        endColumn: 1,
        severity: 'error',
        message: `output would exceed ${MAX_OUTPUT_BYTES} bytes`,
      });
      ok = false;
    } else {
      bytes = new Uint8Array(end - prog.origin);
      const base = new Map(prog.sections.map((s) => [s.name, s.loadAt - s.vaddr]));
      for (const l of final.lines) {
        if (l.reserved || l.bytes.length === 0) continue;
        const sec = prog.sections.find((s) => s.name === l.section)!;
        if (sec.nobits) continue;
        let at = l.address + (base.get(l.section) ?? 0) - prog.origin;
        for (let k = 0; k < l.repeat; k++, at += l.bytes.length) {
          if (at >= 0) bytes.set(l.bytes, at);
        }
      }
    }
  }
  const sourceMap = final.lines
    .filter((l) => l.bytes.length > 0 && l.repeat > 0 && !l.reserved)
    .map((l) => ({ address: l.address, line: l.source.line, file: l.source.file }));
  return {
    ok,
    bytes,
    origin: prog.origin,
    diagnostics,
    symbols: final.order.map((name) => ({ name, value: Number(final.symbols.get(name)!.value) })),
    sourceMap,
    lines: final.lines,
    macros: pre.macros,
    listing: pre.listing,
  };
}

/** The result when preprocessing stopped at a limit: its diagnostics and nothing else. */
function preprocessorFailure(pre: ReturnType<typeof preprocess>, file: string): AssemblyOutput {
  return {
    ok: false,
    bytes: new Uint8Array(0),
    origin: 0,
    diagnostics: pre.diagnostics.map((d) => preprocessorDiagnostic(d, file)),
    symbols: [],
    sourceMap: [],
    lines: [],
    macros: pre.macros,
    listing: [],
  };
}

const CONST_CTX: EvalContext = { here: 0n, start: 0n, lookup: () => undefined };

/** Evaluates a constant directive argument, reporting an error when it is not constant. */
function constant(e: Parameters<typeof evalScalar>[0], what: string): number {
  const unknowns: Unknowns = { any: false };
  const v = evalScalar(e, CONST_CTX, unknowns);
  if (unknowns.any) throw new AsmError(`${what} must be a constant`, e.col, e.endCol);
  return Number(BigInt.asUintN(32, v));
}

/** One walk over the parsed lines for ORG, BITS and the sections. */
function structure(lines: ParsedLine[], sources: SourceLine[], diags: ParseDiagnostic[]): Program {
  let origin: number | undefined;
  const sections: SectionInfo[] = [newSection('.text')];
  const section: number[] = [];
  const bits: (16 | 32)[] = [];
  let cur = 0;
  let b: 16 | 32 = 16;
  for (const l of lines) {
    const body = l.body;
    try {
      if (body.kind === 'org') {
        const v = constant(body.value, 'ORG value');
        if (origin !== undefined)
          throw new AsmError('program origin redefined', body.span.col, body.span.endCol);
        origin = v;
      } else if (body.kind === 'bits') {
        const v = constant(body.value, 'BITS value');
        if (v === 16 || v === 32) b = v;
        else if (v === 64)
          throw new AsmError(
            'BITS 64 is not supported: vmlab models a 32-bit CPU',
            body.value.col,
            body.value.endCol,
          );
        else
          throw new AsmError(
            `\`${v}' is not a valid segment size; must be 16, 32 or 64`,
            body.value.col,
            body.value.endCol,
          );
      } else if (body.kind === 'absolute') {
        // ABSOLUTE: labels count from a fixed address and nothing is emitted (NASM manual 7.4).
        const s = newSection(`..absolute${sections.length}`);
        s.nobits = true;
        s.absolute = true;
        s.vstart = constant(body.value, 'ABSOLUTE address');
        sections.push(s);
        cur = sections.length - 1;
      } else if (body.kind === 'section') {
        let idx = sections.findIndex((s) => s.name === body.name);
        if (idx < 0) {
          sections.push(newSection(body.name));
          idx = sections.length - 1;
        }
        cur = idx;
        const s = sections[idx]!;
        const a = body.attrs;
        if (a.nobits !== undefined) s.nobits = a.nobits;
        if (a.align) {
          const v = constant(a.align, 'section alignment');
          if (v === 0 || (v & (v - 1)) !== 0)
            throw new AsmError(
              'section alignment must be a power of two',
              a.align.col,
              a.align.endCol,
            );
          s.align = v;
        }
        if (a.start) s.start = constant(a.start, 'section start');
        if (a.vstart) s.vstart = constant(a.vstart, 'section vstart');
        if (a.follows) s.follows = a.follows;
        if (a.vfollows) s.vfollows = a.vfollows;
      }
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      diags.push({
        line: l.line,
        severity: 'error',
        message: e.message,
        col: e.col,
        endCol: e.endCol,
      });
    }
    section.push(cur);
    bits.push(b);
  }
  const prog = { lines, sources, section, bits, sections, origin: origin ?? 0 };
  layout(sections, prog.origin);
  return prog;
}

function applySizes(prog: Program, r: PassResult): void {
  prog.sections.forEach((s, i) => {
    s.size = r.sizes[i]!;
    s.align = Math.max(s.align, r.aligns[i]!);
  });
  layout(prog.sections, prog.origin);
}

function checkDuplicates(lines: ParsedLine[], diags: ParseDiagnostic[]): void {
  const seen = new Set<string>();
  for (const l of lines) {
    if (!l.label) continue;
    if (seen.has(l.label.name)) {
      diags.push({
        line: l.line,
        severity: 'error',
        message: `label \`${l.label.name}' inconsistently redefined`,
        col: l.label.col,
        endCol: l.label.endCol,
      });
      delete l.label;
    } else seen.add(l.label.name);
  }
}

function sameSymbols(a: Map<string, Sym>, b: Map<string, Sym>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.value !== v.value || w.reloc !== v.reloc || w.base !== v.base) return false;
  }
  return true;
}

function sameNumbers(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses every line. Lines that repeat, hold no label and no local name, and parse cleanly
 * share one syntax tree: the AST is never modified, so sharing is safe and saves the work.
 */
function parseAll(
  sources: SourceLine[],
  parser: LineParser,
  diags: ParseDiagnostic[],
): ParsedLine[] {
  const seen = new Map<string, ParsedLine>();
  const out: ParsedLine[] = [];
  for (let i = 0; i < sources.length; i++) {
    const text = sources[i]!.text;
    const known = seen.get(text);
    if (known) {
      out.push({ line: i + 1, body: known.body, ...(known.times ? { times: known.times } : {}) });
      continue;
    }
    const before = diags.length;
    const l = parser.parseLine(text, i + 1);
    if (diags.length === before && !l.label && !text.includes('.') && !text.includes('%'))
      seen.set(text, l);
    out.push(l);
  }
  return out;
}
