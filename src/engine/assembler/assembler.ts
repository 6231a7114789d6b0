// NASM-syntax assembler driver: multi-pass layout, directives, flat binary, symbols and source map (NASM manual 2.1.23, 3, 7.1).

import { AsmError, type EvalContext } from './expression';
import { lineBytes, MAX_OUTPUT_BYTES, undefinedError } from './line-bytes';
import { evalScalar, type Unknowns } from './operands';
import { LineParser } from './parser';
import type { ParseDiagnostic, ParsedLine, Span } from './syntax';

export { MAX_OUTPUT_BYTES } from './line-bytes';

/** A diagnostic with 1-based line and columns; endColumn is exclusive, as in editor markers. */
export interface AsmDiagnostic {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  severity: 'error' | 'warning';
  message: string;
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
  /** Address of the first byte each source line emitted. */
  sourceMap: { address: number; line: number }[];
}

const MAX_PASSES = 60;
/** After this many passes sizes may only grow, which guarantees that layout converges. */
const GROW_ONLY_AFTER = 8;

interface PassResult {
  symbols: Map<string, bigint>;
  order: string[];
  lengths: number[];
  chunks: Uint8Array[];
  sourceMap: { address: number; line: number }[];
  diagnostics: ParseDiagnostic[];
}

/** Assembles NASM-syntax `source` into a flat binary. Never throws; errors become diagnostics. */
export function assemble(source: string, options: { fileName?: string } = {}): AssemblyOutput {
  const file = options.fileName ?? 'input.asm';
  try {
    return assembleUnguarded(source, file);
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
    };
  }
}

function assembleUnguarded(source: string, file: string): AssemblyOutput {
  const parseDiagnostics: ParseDiagnostic[] = [];
  const parser = new LineParser(parseDiagnostics);
  const lines = source.split(/\r\n|\n|\r/).map((text, i) => parser.parseLine(text, i + 1));
  const origin = findOrigin(lines, parseDiagnostics);
  checkDuplicates(lines, parseDiagnostics);

  let prev = new Map<string, bigint>();
  let lengths: number[] = [];
  let converged = false;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const floor = pass > GROW_ONLY_AFTER ? lengths : [];
    const r = runPass(lines, origin, prev, floor, false);
    const stable = sameSymbols(prev, r.symbols) && sameNumbers(lengths, r.lengths);
    prev = r.symbols;
    lengths = r.lengths;
    if (stable) {
      converged = true;
      break;
    }
  }
  const final = runPass(lines, origin, prev, lengths, true);
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
  const diagnostics = all
    .map((d) => ({
      file,
      line: d.line,
      column: d.col,
      endColumn: d.endCol,
      severity: d.severity,
      message: d.message,
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
  const ok = !diagnostics.some((d) => d.severity === 'error');
  let total = 0;
  for (const c of final.chunks) total += c.length;
  const bytes = new Uint8Array(ok ? total : 0);
  if (ok) {
    let at = 0;
    for (const c of final.chunks) {
      bytes.set(c, at);
      at += c.length;
    }
  }
  return {
    ok,
    bytes,
    origin: Number(origin),
    diagnostics,
    symbols: final.order.map((name) => ({ name, value: Number(final.symbols.get(name)!) })),
    sourceMap: final.sourceMap,
  };
}

/** ORG must be a constant and given once; its value applies to the whole file. */
function findOrigin(lines: ParsedLine[], diags: ParseDiagnostic[]): bigint {
  let origin: bigint | undefined;
  const ctx: EvalContext = { here: 0n, start: 0n, lookup: () => undefined };
  for (const l of lines) {
    if (l.body.kind !== 'org') continue;
    const span = l.body.span;
    try {
      const unknowns: Unknowns = { any: false };
      const v = evalScalar(l.body.value, ctx, unknowns);
      if (unknowns.any) throw new AsmError('ORG value must be a constant', span.col, span.endCol);
      if (origin !== undefined)
        throw new AsmError('program origin redefined', span.col, span.endCol);
      origin = BigInt.asUintN(32, v);
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
  }
  return origin ?? 0n;
}

function checkDuplicates(lines: ParsedLine[], diags: ParseDiagnostic[]): void {
  const seen = new Set<string>();
  for (const l of lines) {
    if (!l.label) continue;
    if (seen.has(l.label.name)) {
      diags.push({
        line: l.line,
        severity: 'error',
        message: `symbol '${l.label.name}' redefined`,
        col: l.label.col,
        endCol: l.label.endCol,
      });
      delete l.label;
    } else seen.add(l.label.name);
  }
}

function sameSymbols(a: Map<string, bigint>, b: Map<string, bigint>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function sameNumbers(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** One pass over all lines with symbol values from the previous pass where needed. */
function runPass(
  lines: ParsedLine[],
  origin: bigint,
  prev: Map<string, bigint>,
  floor: number[],
  final: boolean,
): PassResult {
  const symbols = new Map<string, bigint>();
  const r: PassResult = {
    symbols,
    order: [],
    lengths: [],
    chunks: [],
    sourceMap: [],
    diagnostics: [],
  };
  const lookup = (name: string) => symbols.get(name) ?? prev.get(name);
  let offset = 0n;
  let total = 0;
  for (const [i, l] of lines.entries()) {
    const here = origin + offset;
    const ctx: EvalContext = { here, start: origin, lookup };
    const report = (message: string, span: Span, severity: 'error' | 'warning' = 'error') => {
      if (final)
        r.diagnostics.push({ line: l.line, message, severity, col: span.col, endCol: span.endCol });
    };
    if (l.label && l.body.kind !== 'equ') {
      symbols.set(l.label.name, here);
      r.order.push(l.label.name);
    }
    let chunk = new Uint8Array(0);
    let length = 0;
    let single = 0;
    try {
      const unknowns: Unknowns = { any: false };
      let count = 1n;
      const t = l.times;
      if (t) {
        const n = evalScalar(t, ctx, unknowns);
        if (unknowns.any) {
          if (final) throw undefinedError(unknowns, t, 'non-constant argument supplied to TIMES');
          count = 0n;
        } else if (n < 0n) {
          throw new AsmError(`TIMES value ${n} is negative`, t.col, t.endCol);
        } else count = n;
      }
      const body = lineBytes(l, ctx, final, floor[i] ?? 0, report, symbols, r.order);
      single = body.length;
      const size = BigInt(body.length) * count;
      if (BigInt(total) + size > BigInt(MAX_OUTPUT_BYTES)) {
        const span = l.times ?? { col: 1, endCol: 1 };
        throw new AsmError(`output would exceed ${MAX_OUTPUT_BYTES} bytes`, span.col, span.endCol);
      }
      length = Number(size);
      if (final) {
        chunk = new Uint8Array(length);
        for (let k = 0; k < length; k += body.length) chunk.set(body, k);
      }
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      report(e.message, e);
    }
    r.lengths.push(single);
    total += length;
    if (final) {
      r.chunks.push(chunk);
      if (length > 0) r.sourceMap.push({ address: Number(here), line: l.line });
    }
    offset += BigInt(length);
  }
  return r;
}
