// One assembly pass over the parsed program: symbol values, line bytes, and the caches that let repeated passes skip unchanged lines.

import type { AssembledLine } from './assembler';
import { isRelative } from './encoder';
import { AsmError, type EvalContext, type Expr } from './expression';
import { type LineContext, lineBytes, MAX_OUTPUT_BYTES, undefinedError } from './line-bytes';
import { evalScalar, type Unknowns } from './operands';
import type { ReadFile, SourceLine } from './preprocessor';
import type { SectionInfo } from './sections';
import type { ParseDiagnostic, ParsedLine, ReportSpan } from './syntax';

export interface Sym {
  value: bigint;
  reloc: number;
  /** Base address of the label's section (see LinearValue.base). */
  base: number;
}

export interface PassResult {
  symbols: Map<string, Sym>;
  order: string[];
  lengths: number[];
  sizes: number[];
  aligns: number[];
  lines: AssembledLine[];
  diagnostics: ParseDiagnostic[];
}

/** Per-line facts that do not change between passes. */
export interface Program {
  lines: ParsedLine[];
  sources: SourceLine[];
  /** Section index and BITS of each line. */
  section: number[];
  bits: (16 | 32)[];
  sections: SectionInfo[];
  origin: number;
}

/** Evaluates a line's TIMES count (1 without TIMES; 0 while it is not known yet). */
export function timesCount(l: ParsedLine, ctx: EvalContext, final: boolean): number {
  const t = l.times;
  if (!t) return 1;
  const unknowns: Unknowns = { any: false };
  const n = evalScalar(t, ctx, unknowns);
  if (unknowns.any) {
    if (final) throw undefinedError(unknowns, t, 'non-constant argument supplied to TIMES');
    return 0;
  }
  if (n < 0n) throw new AsmError(`TIMES value ${n} is negative`, t.col, t.endCol);
  if (n > BigInt(MAX_OUTPUT_BYTES))
    throw new AsmError(`output would exceed ${MAX_OUTPUT_BYTES} bytes`, t.col, t.endCol);
  return Number(n);
}

/**
 * Bytes of constant lines by their parsed body: lines with the same text share one body
 * (see parseAll), so a line repeated a thousand times is encoded once.
 */
export const sharedBytes = new WeakMap<object, NonNullable<ParsedLine['cached']>>();

const u8Cache = new WeakMap<number[], Uint8Array>();
/** A line's bytes as a Uint8Array, shared by the lines that share one byte array. */
function bytesOf(body: number[]): Uint8Array {
  let u = u8Cache.get(body);
  if (!u) {
    u = Uint8Array.from(body);
    u8Cache.set(body, u);
  }
  return u;
}

/** True when every symbol still has the value it had. */
function sameValues(
  names: string[],
  values: bigint[],
  lookup: (name: string) => bigint | undefined,
): boolean {
  for (let k = 0; k < names.length; k++) if (lookup(names[k]!) !== values[k]) return false;
  return true;
}

const depsCache = new WeakMap<ParsedLine, { names: string[]; here: boolean } | null>();

/**
 * The symbols a line's bytes depend on and whether they depend on `$`; null for lines with
 * side effects (EQU, ALIGN, sections, incbin) that are always assembled afresh.
 */
function dependencies(l: ParsedLine): { names: string[]; here: boolean } | null {
  let d = depsCache.get(l);
  if (d !== undefined) return d;
  const names = new Set<string>();
  let here = false;
  const walk = (e: Expr): void => {
    switch (e.t) {
      case 'sym':
        names.add(e.name);
        break;
      case 'here':
      case 'start':
        here = true;
        break;
      case 'unary':
        walk(e.a);
        break;
      case 'binary':
        walk(e.a);
        walk(e.b);
        break;
      case 'cond':
        walk(e.c);
        walk(e.a);
        walk(e.b);
        break;
    }
  };
  const b = l.body;
  d = { names: [], here: false };
  if (l.times) walk(l.times);
  if (b.kind === 'instr') {
    if (isRelative(b.mnemonic)) here = true;
    for (const o of b.operands) {
      if (o.kind === 'imm') walk(o.expr);
      else if (o.kind === 'mem' && o.expr) walk(o.expr);
      else if (o.kind === 'farptr') {
        walk(o.seg);
        walk(o.off);
      }
    }
  } else if (b.kind === 'data') {
    for (const it of b.items) if (it.kind === 'expr') walk(it.expr);
  } else if (b.kind === 'reserve') walk(b.count);
  else d = null;
  if (d) d = { names: [...names], here };
  depsCache.set(l, d);
  return d;
}

/** True when no expression of the line refers to a symbol or to `$`/`$$`. */
function isConstantLine(l: ParsedLine): boolean {
  const b = l.body;
  if (l.times && !constantExpr(l.times)) return false;
  switch (b.kind) {
    case 'instr':
      if (isRelative(b.mnemonic)) return false;
      return b.operands.every((o) => {
        if (o.kind === 'imm') return o.jump === '' && constantExpr(o.expr);
        if (o.kind === 'mem') return o.expr === null || constantExpr(o.expr);
        if (o.kind === 'farptr') return constantExpr(o.seg) && constantExpr(o.off);
        return true;
      });
    case 'data':
      return b.items.every((it) => it.kind === 'string' || constantExpr(it.expr));
    case 'none':
    case 'bits':
    case 'org':
    case 'section':
    case 'absolute':
      return true;
    default:
      return false;
  }
}

function constantExpr(e: Expr): boolean {
  switch (e.t) {
    case 'sym':
    case 'here':
    case 'start':
      return false;
    case 'unary':
      return constantExpr(e.a);
    case 'binary':
      return constantExpr(e.a) && constantExpr(e.b);
    case 'cond':
      return constantExpr(e.c) && constantExpr(e.a) && constantExpr(e.b);
    default:
      return true;
  }
}

/** One pass over all lines with symbol values from the previous pass where needed. */
export function runPass(
  prog: Program,
  prev: Map<string, Sym>,
  floor: number[],
  final: boolean,
  readFile?: ReadFile,
): PassResult {
  const symbols = new Map<string, Sym>();
  const nsec = prog.sections.length;
  const r: PassResult = {
    symbols,
    order: [],
    lengths: [],
    sizes: new Array(nsec).fill(0),
    aligns: new Array(nsec).fill(1),
    lines: [],
    diagnostics: [],
  };
  const get = (name: string) => symbols.get(name) ?? prev.get(name);
  const lookup = (name: string) => get(name)?.value;
  const relocOf = (name: string) => get(name)?.reloc ?? 1;
  const baseOf = (name: string) => get(name)?.base ?? 0;
  const define = (name: string, value: bigint, reloc: number, base: number) => {
    symbols.set(name, { value, reloc, base });
    r.order.push(name);
  };
  const offsets = new Array<number>(nsec).fill(0);
  let total = 0;
  const lines = prog.lines;
  // One context object per pass, updated line by line: no allocation per line.
  // `$` is kept as a number and made a BigInt only when an expression asks for it.
  let hereNum = 0;
  const ctx: EvalContext = {
    get here() {
      return BigInt(hereNum);
    },
    start: 0n,
    lookup,
    relocOf,
    baseOf,
  };
  let l = lines[0]!;
  let si = 0;
  let warnings: { message: string; at: number }[] | undefined;
  const report = (message: string, span: ReportSpan, severity: 'error' | 'warning' = 'error') => {
    if (!final) return;
    r.diagnostics.push({ line: l.line, message, severity, col: span.col, endCol: span.endCol });
    if (severity !== 'warning') return;
    warnings = warnings ?? [];
    warnings.push({ message, at: span.at ?? 0 });
  };
  const lc: LineContext = {
    bits: 16,
    nobits: false,
    section: '.text',
    ...(readFile ? { readFile } : {}),
    sectAlign: (n) => {
      r.aligns[si] = Math.max(r.aligns[si]!, n);
    },
  };
  const starts = prog.sections.map((s) => BigInt(s.vaddr));
  for (let i = 0; i < lines.length; i++) {
    l = lines[i]!;
    si = prog.section[i]!;
    const sec = prog.sections[si]!;
    const start = starts[si]!;
    hereNum = sec.vaddr + offsets[si]!;
    const here = hereNum;
    ctx.start = start;
    ctx.hereReloc = sec.absolute ? 0 : 1;
    if (l.label && l.body.kind !== 'equ')
      define(l.label.name, BigInt(here), sec.absolute ? 0 : 1, sec.absolute ? 0 : sec.vaddr);
    let body: number[] = [];
    let count = 1;
    lc.bits = prog.bits[i]!;
    lc.nobits = sec.nobits;
    lc.section = sec.name;
    const shared = l.cached ?? sharedBytes.get(l.body);
    const cached = shared && shared.bits === lc.bits ? shared : undefined;
    const fl = floor[i] ?? 0;
    const reuse = l.reuse;
    lc.fields = undefined;
    warnings = undefined;
    if (cached) {
      body = cached.bytes;
      count = cached.count;
      if (final) for (const c of cached.reports) report(c.message, c.span, c.severity);
    } else if (
      reuse &&
      reuse.floor === fl &&
      (!reuse.here || reuse.hereValue === here) &&
      sameValues(reuse.names, reuse.values, lookup)
    ) {
      // Nothing this line depends on has changed since it was last assembled.
      body = reuse.bytes;
      count = reuse.count;
      lc.fields = reuse.fields;
      if (final) for (const c of reuse.reports) report(c.message, c.span, c.severity);
    } else {
      const constant = isConstantLine(l);
      const deps = constant ? null : dependencies(l);
      const values = deps ? deps.names.map(lookup) : [];
      const capture = constant || (deps !== null && values.every((v) => v !== undefined));
      const reports: { message: string; span: ReportSpan; severity: 'error' | 'warning' }[] = [];
      const note = capture
        ? (message: string, span: ReportSpan, severity: 'error' | 'warning' = 'error') => {
            reports.push({ message, span, severity });
            report(message, span, severity);
          }
        : report;
      try {
        count = timesCount(l, ctx, final || capture);
        if (count > 0 || !l.times) body = lineBytes(l, ctx, final || capture, fl, note, define, lc);
        // NASM implements ALIGN as TIMES n of one filler, and lists it that way.
        if (l.body.kind === 'align' && body.length > 1 && count === 1) {
          count = body.length;
          body = body.slice(0, 1);
        }
        if (total + body.length * count > MAX_OUTPUT_BYTES) {
          const span = l.times ?? { col: 1, endCol: 1 };
          throw new AsmError(
            `output would exceed ${MAX_OUTPUT_BYTES} bytes`,
            span.col,
            span.endCol,
          );
        }
      } catch (e) {
        if (!(e instanceof AsmError)) throw e;
        note(e.message, e);
        body = [];
      }
      if (constant) {
        l.cached = { bytes: body, count, reports, bits: lc.bits };
        sharedBytes.set(l.body, l.cached);
      } else if (deps && capture)
        l.reuse = {
          names: deps.names,
          values: values as bigint[],
          here: deps.here,
          hereValue: here,
          floor: fl,
          bytes: body,
          count,
          reports,
          fields: lc.fields,
        };
    }
    const length = body.length * count;
    r.lengths.push(body.length);
    total += length;
    if (final) {
      const line: AssembledLine = {
        source: prog.sources[i]!,
        offset: offsets[si]!,
        section: sec.name,
        bytes: bytesOf(body),
        repeat: count,
        reserved:
          l.body.kind === 'reserve' || (l.body.kind === 'align' && (l.body.reserve || sec.nobits)),
        address: here,
      };
      if (lc.fields && body.length > 0) line.fields = lc.fields;
      if (l.body.kind === 'incbin') line.incbin = true;
      if (warnings) line.warnings = warnings;
      r.lines.push(line);
    }
    offsets[si] = offsets[si]! + length;
  }
  r.sizes = offsets;
  return r;
}
