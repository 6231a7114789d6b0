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
);

const MAX_DEPTH = 200;

/** Binary operator levels, loosest first (NASM manual 3.5.1-3.5.6). */
const LEVELS: readonly (readonly string[])[] = [
  ['|'],
  ['^'],
  ['&'],
  ['<<', '>>', '<<<', '>>>'],
  ['+', '-'],
  ['*', '/', '//', '%', '%%'],
];

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
    return this.level(0, 0);
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private level(n: number, depth: number): Expr {
    if (n === LEVELS.length) return this.unary(depth);
    let left = this.level(n + 1, depth);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !LEVELS[n]!.includes(t.text)) return left;
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
      const e = this.level(0, depth + 1);
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
}

/** A value of the form k + sum(coef * register), for effective addresses. */
export interface LinearValue {
  k: bigint;
  regs: Map<string, bigint>;
  /** Some symbol had no value yet; k is then a guess (0 for the unknown part). */
  unknown: boolean;
  /** First undefined symbol, for the final pass's "not defined" error. */
  undefinedSym?: Expr;
}

const wrap = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);

/** Value of a character constant: up to eight bytes, little-endian (NASM manual 3.4.3). */
export function charConstant(bytes: number[]): bigint {
  let v = 0n;
  for (let i = Math.min(bytes.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return wrap(v);
}

/** Evaluates `e` to a linear form; registers are kept as terms for the caller to check. */
export function evaluate(e: Expr, ctx: EvalContext): LinearValue {
  switch (e.t) {
    case 'num':
      return { k: wrap(e.value), regs: new Map(), unknown: false };
    case 'str':
      return { k: charConstant(e.bytes), regs: new Map(), unknown: false };
    case 'here':
      return { k: ctx.here, regs: new Map(), unknown: false };
    case 'start':
      return { k: ctx.start, regs: new Map(), unknown: false };
    case 'reg':
      return { k: 0n, regs: new Map([[e.name, 1n]]), unknown: false };
    case 'sym': {
      const v = ctx.lookup(e.name);
      if (v === undefined) return { k: 0n, regs: new Map(), unknown: true, undefinedSym: e };
      return { k: v, regs: new Map(), unknown: false };
    }
    case 'unary': {
      const a = evaluate(e.a, ctx);
      if (e.op === '+') return a;
      if (e.op === '-') return scale(a, -1n);
      noRegs(a, e);
      return { ...a, k: e.op === '~' ? wrap(~a.k) : a.k === 0n ? 1n : 0n };
    }
    case 'binary':
      return binary(e, evaluate(e.a, ctx), evaluate(e.b, ctx));
  }
}

function scale(a: LinearValue, by: bigint): LinearValue {
  const regs = new Map<string, bigint>();
  for (const [r, c] of a.regs) regs.set(r, c * by);
  return { ...a, k: wrap(a.k * by), regs };
}

function noRegs(a: LinearValue, e: Expr): void {
  if (a.regs.size > 0) throw new AsmError('invalid effective address', e.col, e.endCol);
}

function merge(a: LinearValue, b: LinearValue, k: bigint, regs: Map<string, bigint>): LinearValue {
  const unknown = a.unknown || b.unknown;
  const undefinedSym = a.undefinedSym ?? b.undefinedSym;
  return { k, regs, unknown, ...(undefinedSym ? { undefinedSym } : {}) };
}

function binary(e: Expr & { t: 'binary' }, a: LinearValue, b: LinearValue): LinearValue {
  if (e.op === '+' || e.op === '-') {
    const sign = e.op === '+' ? 1n : -1n;
    const regs = new Map(a.regs);
    for (const [r, c] of b.regs) regs.set(r, (regs.get(r) ?? 0n) + sign * c);
    for (const [r, c] of regs) if (c === 0n) regs.delete(r);
    return merge(a, b, wrap(a.k + sign * b.k), regs);
  }
  if (e.op === '*') {
    if (a.regs.size > 0 && b.regs.size > 0)
      throw new AsmError('invalid effective address', e.col, e.endCol);
    if (a.regs.size > 0) return merge(a, b, wrap(a.k * b.k), scale(a, b.k).regs);
    return merge(a, b, wrap(a.k * b.k), scale(b, a.k).regs);
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
        if (a.unknown || b.unknown) return merge(a, b, 0n, new Map());
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
    default:
      k = x ^ y;
  }
  return merge(a, b, wrap(k), new Map());
}
