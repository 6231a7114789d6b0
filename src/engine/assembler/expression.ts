// NASM expressions: parsing and 64-bit evaluation, with registers for effective addresses (NASM manual 3.5).

import type { Token } from './lexer';

/** A diagnostic raised while parsing or evaluating, with its column span. */
export class AsmError extends Error {
  constructor(
    message: string,
    readonly col: number,
    readonly endCol: number,
  ) {
    super(message);
  }
}

/** Expression tree; every node keeps its source span. */
export type Expr = { col: number; endCol: number } & (
  | { t: 'num'; value: bigint }
  | { t: 'sym'; name: string }
  | { t: 'here' }
  | { t: 'start' }
  | { t: 'reg'; name: string }
  | { t: 'str'; bytes: number[] }
  | { t: 'unary'; op: string; a: Expr }
  | { t: 'binary'; op: string; a: Expr; b: Expr }
  | { t: 'cond'; c: Expr; a: Expr; b: Expr }
);

const MAX_DEPTH = 200;

/** Binary operator levels, loosest first (NASM manual 3.5.2-3.5.11); ?: sits above them. */
const LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['^^'],
  ['&&'],
  ['=', '==', '!=', '<>', '<', '<=', '>', '>=', '<=>'],
  ['|'],
  ['^'],
  ['&'],
  ['<<', '>>', '<<<', '>>>'],
  ['+', '-'],
  ['*', '/', '//', '%', '%%'],
];
const LEVEL_OF = new Map<string, number>();
LEVELS.forEach((ops, i) => {
  for (const op of ops) LEVEL_OF.set(op, i);
});

/** Recursive-descent expression parser over a token array. */
export class ExprParser {
  pos: number;

  /**
   * @param isRegister tells which identifiers are registers (allowed in effective addresses)
   * @param qualify expands a `.local` label name to its full name
   */
  constructor(
    private readonly tokens: Token[],
    start: number,
    private readonly isRegister: (name: string) => boolean,
    private readonly qualify: (name: string) => string,
  ) {
    this.pos = start;
  }

  /** Parses one expression starting at the current token. */
  parse(): Expr {
    return this.conditional(0);
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private conditional(depth: number): Expr {
    const c = this.level(0, depth);
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== '?') return c;
    this.pos++;
    const a = this.conditional(depth + 1);
    const colon = this.peek();
    if (colon.kind !== 'op' || colon.text !== ':')
      throw new AsmError("expecting `:'", colon.col, colon.endCol);
    this.pos++;
    const b = this.conditional(depth + 1);
    return { t: 'cond', c, a, b, col: c.col, endCol: b.endCol };
  }

  private level(n: number, depth: number): Expr {
    if (n === LEVELS.length) return this.unary(depth);
    let left = this.level(n + 1, depth);
    for (;;) {
      const t = this.peek();
      if (t.kind === 'ident' && t.text.toLowerCase() === 'wrt')
        throw new AsmError('WRT is not supported in flat binary output', t.col, t.endCol);
      if (t.kind !== 'op' || LEVEL_OF.get(t.text) !== n) return left;
      this.pos++;
      const right = this.level(n + 1, depth);
      left = { t: 'binary', op: t.text, a: left, b: right, col: left.col, endCol: right.endCol };
    }
  }

  private unary(depth: number): Expr {
    const t = this.peek();
    if (depth > MAX_DEPTH) throw new AsmError('expression too deeply nested', t.col, t.endCol);
    if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!')) {
      this.pos++;
      const a = this.unary(depth + 1);
      return { t: 'unary', op: t.text, a, col: t.col, endCol: a.endCol };
    }
    if (t.kind === 'ident' && t.text.toLowerCase() === 'seg')
      throw new AsmError(
        'SEG is not supported: binary output format does not support segment base references',
        t.col,
        t.endCol,
      );
    return this.primary(depth);
  }

  private primary(depth: number): Expr {
    const t = this.peek();
    const span = { col: t.col, endCol: t.endCol };
    if (t.kind === 'number') {
      this.pos++;
      return { t: 'num', value: t.value, ...span };
    }
    if (t.kind === 'string') {
      this.pos++;
      return { t: 'str', bytes: t.bytes ?? [], ...span };
    }
    if (t.kind === 'ident') {
      this.pos++;
      if (t.text === '$') return { t: 'here', ...span };
      if (t.text === '$$') return { t: 'start', ...span };
      const lower = t.text.toLowerCase();
      if (this.isRegister(lower)) return { t: 'reg', name: lower, ...span };
      return { t: 'sym', name: this.qualify(t.text), ...span };
    }
    if (t.kind === 'op' && t.text === '(') {
      this.pos++;
      const e = this.conditional(depth + 1);
      const close = this.peek();
      if (close.kind !== 'op' || close.text !== ')') {
        throw new AsmError("expecting `)'", close.col, close.endCol);
      }
      this.pos++;
      return { ...e, col: t.col, endCol: close.endCol };
    }
    throw new AsmError('expression syntax error', t.col, Math.max(t.endCol, t.col + 1));
  }
}

/** What evaluation needs from the assembler: $, $$ and symbol values. */
export interface EvalContext {
  here: bigint;
  start: bigint;
  /** Value of a symbol, or undefined when it is not (yet) known. */
  lookup(name: string): bigint | undefined;
  /** 0 when `$` is an absolute number (inside ABSOLUTE), else 1 (an address in a section). */
  hereReloc?: number;
  /** How many section-relative addresses a symbol's value holds (1 for a label); 0 if absent. */
  relocOf?(name: string): number;
  /** Sum of the section bases in a symbol's value (a label's section address), for listings. */
  baseOf?(name: string): number;
}

/** A register term of an effective address; `mul` is set when it was written with `*`. */
export interface RegTerm {
  name: string;
  coef: bigint;
  mul: boolean;
}

/** A value of the form k + sum(coef * register), for effective addresses. */
export interface LinearValue {
  k: bigint;
  regs: RegTerm[];
  /** Some symbol had no value yet; k is then a guess (0 for the unknown part). */
  unknown: boolean;
  /**
   * Net count of section-relative addresses ($, $$, labels) in the value. NASM treats a
   * value with addresses as relocatable: it never shortens such immediates or displacements.
   */
  reloc: number;
  /**
   * Sum of the section bases behind those addresses (absent: 0): k - base is the value
   * relative to its section, which is what `nasm -l` shows for an address.
   */
  base?: number;
  /** First undefined symbol, for the final pass's "not defined" error. */
  undefinedSym?: Expr;
}

const NO_REGS: RegTerm[] = [];
const wrap = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);

/** Value of a character constant: up to eight bytes, little-endian (NASM manual 3.4.3). */
export function charConstant(bytes: number[]): bigint {
  let v = 0n;
  for (let i = Math.min(bytes.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return wrap(v);
}

const konst = (k: bigint, reloc = 0, base = 0): LinearValue => ({
  k,
  regs: NO_REGS,
  unknown: false,
  reloc,
  base,
});

/** Evaluates `e` to a linear form; registers are kept as terms for the caller to check. */
export function evaluate(e: Expr, ctx: EvalContext): LinearValue {
  switch (e.t) {
    case 'num':
      return konst(wrap(e.value));
    case 'str':
      return konst(charConstant(e.bytes));
    case 'here':
    case 'start': {
      const reloc = ctx.hereReloc ?? 1;
      return konst(e.t === 'here' ? ctx.here : ctx.start, reloc, reloc ? Number(ctx.start) : 0);
    }
    case 'reg':
      return { k: 0n, regs: [{ name: e.name, coef: 1n, mul: false }], unknown: false, reloc: 0 };
    case 'sym': {
      const v = ctx.lookup(e.name);
      if (v === undefined)
        return { k: 0n, regs: NO_REGS, unknown: true, reloc: 1, undefinedSym: e };
      return konst(v, ctx.relocOf ? ctx.relocOf(e.name) : 0, ctx.baseOf?.(e.name) ?? 0);
    }
    case 'unary': {
      const a = evaluate(e.a, ctx);
      if (e.op === '+') return a;
      if (e.op === '-') return scale(a, -1n, false);
      noRegs(a, e);
      return { ...a, reloc: 0, base: 0, k: e.op === '~' ? wrap(~a.k) : a.k === 0n ? 1n : 0n };
    }
    case 'cond': {
      const c = evaluate(e.c, ctx);
      noRegs(c, e.c);
      const a = evaluate(e.a, ctx);
      const b = evaluate(e.b, ctx);
      const pick = c.k !== 0n ? a : b;
      return c.unknown || a.unknown || b.unknown
        ? merge(c, merge(a, b, pick.k, pick.regs), pick.k, pick.regs)
        : pick;
    }
    case 'binary':
      return binary(e, evaluate(e.a, ctx), evaluate(e.b, ctx));
  }
}

function scale(a: LinearValue, by: bigint, mul: boolean): LinearValue {
  const regs = a.regs.map((r) => ({ name: r.name, coef: r.coef * by, mul: r.mul || mul }));
  const keep = by === -1n ? -1 : by === 1n ? 1 : 0;
  return {
    ...a,
    k: wrap(a.k * by),
    regs,
    reloc: a.reloc * keep,
    base: (a.base ?? 0) * keep,
  };
}

function noRegs(a: LinearValue, e: Expr): void {
  if (a.regs.length > 0) throw new AsmError('invalid effective address', e.col, e.endCol);
}

function merge(
  a: LinearValue,
  b: LinearValue,
  k: bigint,
  regs: RegTerm[],
  reloc = 0,
  base = 0,
): LinearValue {
  const unknown = a.unknown || b.unknown;
  const undefinedSym = a.undefinedSym ?? b.undefinedSym;
  return { k, regs, unknown, reloc, base, ...(undefinedSym ? { undefinedSym } : {}) };
}

function addRegs(a: RegTerm[], b: RegTerm[], sign: bigint): RegTerm[] {
  if (b.length === 0) return a;
  const regs = a.map((r) => ({ ...r }));
  for (const t of b) {
    const same = regs.find((r) => r.name === t.name);
    if (same) {
      same.coef += sign * t.coef;
      same.mul = same.mul || t.mul;
    } else regs.push({ name: t.name, coef: sign * t.coef, mul: t.mul });
  }
  return regs.filter((r) => r.coef !== 0n);
}

const bool = (v: boolean) => (v ? 1n : 0n);

function binary(e: Expr & { t: 'binary' }, a: LinearValue, b: LinearValue): LinearValue {
  if (e.op === '+' || e.op === '-') {
    const sign = e.op === '+' ? 1n : -1n;
    const regs = addRegs(a.regs, b.regs, sign);
    const reloc = a.reloc + (e.op === '+' ? b.reloc : -b.reloc);
    const base = (a.base ?? 0) + (e.op === '+' ? 1 : -1) * (b.base ?? 0);
    return merge(a, b, wrap(a.k + sign * b.k), regs, reloc, base);
  }
  if (e.op === '*') {
    if (a.regs.length > 0 && b.regs.length > 0)
      throw new AsmError('invalid effective address', e.col, e.endCol);
    if (a.regs.length > 0) return merge(a, b, wrap(a.k * b.k), scale(a, b.k, true).regs);
    return merge(a, b, wrap(a.k * b.k), scale(b, a.k, true).regs);
  }
  noRegs(a, e);
  noRegs(b, e);
  const x = a.k;
  const y = b.k;
  let k: bigint;
  switch (e.op) {
    case '/':
    case '//':
    case '%':
    case '%%':
      if (y === 0n) {
        if (a.unknown || b.unknown) return merge(a, b, 0n, NO_REGS);
        throw new AsmError('division by zero', e.col, e.endCol);
      }
      // NASM: / and % are unsigned, // and %% signed (truncating).
      if (e.op === '/') k = u64(x) / u64(y);
      else if (e.op === '%') k = u64(x) % u64(y);
      else if (e.op === '//') k = x / y;
      else k = x % y;
      break;
    case '<<':
    case '<<<':
      k = y >= 64n || y < 0n ? 0n : x << y;
      break;
    case '>>':
      k = y >= 64n || y < 0n ? 0n : u64(x) >> y;
      break;
    case '>>>':
      k = x >> (y >= 64n || y < 0n ? 63n : y);
      break;
    case '&':
      k = x & y;
      break;
    case '|':
      k = x | y;
      break;
    case '^':
      k = x ^ y;
      break;
    case '=':
    case '==':
      k = bool(x === y);
      break;
    case '!=':
    case '<>':
      k = bool(x !== y);
      break;
    case '<':
      k = bool(x < y);
      break;
    case '<=':
      k = bool(x <= y);
      break;
    case '>':
      k = bool(x > y);
      break;
    case '>=':
      k = bool(x >= y);
      break;
    case '<=>':
      // The manual promises -1/0/1, but nasm 2.16 yields 0 for "less": match nasm's bytes.
      k = x > y ? 1n : 0n;
      break;
    case '&&':
      k = bool(x !== 0n && y !== 0n);
      break;
    case '||':
      k = bool(x !== 0n || y !== 0n);
      break;
    default: // ^^
      k = bool((x !== 0n) !== (y !== 0n));
  }
  return merge(a, b, wrap(k), NO_REGS);
}
