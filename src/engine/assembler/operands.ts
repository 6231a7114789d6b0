// Evaluated instruction operands and effective addresses, 16- and 32-bit (Intel SDM vol. 2A, tables 2-1 to 2-3).

import { AsmError, type EvalContext, evaluate, type LinearValue, type RegTerm } from './expression';
import { type RegisterInfo, registerInfo } from './registers';
import type { OperandAst } from './syntax';

/** A memory operand: 16-bit form (rm), 32-bit form (base, index, scale) or a bare displacement. */
export interface MemOperand {
  kind: 'mem';
  size: number;
  far: boolean;
  /** Segment override (0..5), or -1. */
  seg: number;
  /** Address size the registers imply: 16, 32, or 0 for a bare displacement. */
  asize: 0 | 16 | 32;
  /** ModRM r/m for 16-bit addressing; -1 for a bare displacement. */
  rm: number;
  /** 32-bit base and index register numbers (-1 for none) and the scale (1, 2, 4, 8). */
  base: number;
  index: number;
  scale: number;
  disp: bigint;
  /** Displacement width forced by `byte`/`word`/`dword` inside the brackets, or 0. */
  dispSize: number;
  /** The displacement holds an address (or an unknown symbol): never shortened. */
  reloc: boolean;
  /** The displacement is one address: its value relative to its section, as listings show it. */
  addr?: bigint;
}

/** An operand with its expressions evaluated for the current pass. */
export type Operand =
  | { kind: 'reg'; reg: RegisterInfo; size: number }
  | MemOperand
  | {
      kind: 'imm';
      value: bigint;
      size: number;
      strict: boolean;
      jump: '' | 'short' | 'near' | 'far';
      /** The value holds an address (or an unknown symbol). */
      reloc: boolean;
      /** The value is one address: relative to its section, and that section's base. */
      addr?: bigint;
      addrBase?: number;
    }
  | { kind: 'farptr'; seg: bigint; off: bigint; size: number; offAddr?: bigint }
  | { kind: 'empty' };

/** Collects whether some value was not yet known, and the first undefined symbol. */
export interface Unknowns {
  any: boolean;
  firstUndefined?: { name: string; col: number; endCol: number };
}

// Register sets of the eight 16-bit addressing forms, keyed by sorted register numbers.
const RM16: Record<string, number> = {
  'bx+si': 0,
  'bx+di': 1,
  'bp+si': 2,
  'bp+di': 3,
  si: 4,
  di: 5,
  bp: 6,
  bx: 7,
};

/** Evaluates an expression that must not contain registers. */
export function evalScalar(
  ast: Parameters<typeof evaluate>[0],
  ctx: EvalContext,
  unknowns: Unknowns,
): bigint {
  return evalValue(ast, ctx, unknowns).k;
}

/** Like evalScalar, but returns the whole value (with its relocation count). */
export function evalValue(
  ast: Parameters<typeof evaluate>[0],
  ctx: EvalContext,
  unknowns: Unknowns,
): LinearValue {
  const v = evaluate(ast, ctx);
  if (v.regs.length > 0)
    throw new AsmError(
      'invalid operand: registers are only allowed inside [ ]',
      ast.col,
      ast.endCol,
    );
  note(v, unknowns);
  return v;
}

/** For a value that is one known address: its offset in its section (what `nasm -l` shows). */
export function addressOf(v: LinearValue): bigint | undefined {
  return v.reloc === 1 && !v.unknown ? v.k - BigInt(v.base ?? 0) : undefined;
}

function note(v: LinearValue, unknowns: Unknowns): void {
  if (!v.unknown) return;
  unknowns.any = true;
  if (!unknowns.firstUndefined && v.undefinedSym && v.undefinedSym.t === 'sym') {
    const s = v.undefinedSym;
    unknowns.firstUndefined = { name: s.name, col: s.col, endCol: s.endCol };
  }
}

/** Evaluates a parsed operand; memory operands get their addressing form. */
export function evalOperand(ast: OperandAst, ctx: EvalContext, unknowns: Unknowns): Operand {
  switch (ast.kind) {
    case 'reg':
      return { kind: 'reg', reg: ast.reg, size: ast.size };
    case 'empty':
      return { kind: 'empty' };
    case 'imm': {
      const v = evalValue(ast.expr, ctx, unknowns);
      const op: Operand = {
        kind: 'imm',
        value: v.k,
        size: ast.size,
        strict: ast.strict,
        jump: ast.jump,
        reloc: v.reloc !== 0 || v.unknown,
      };
      const addr = addressOf(v);
      if (addr !== undefined) {
        op.addr = addr;
        op.addrBase = v.base ?? 0;
      }
      return op;
    }
    case 'farptr': {
      const seg = evalScalar(ast.seg, ctx, unknowns);
      const off = evalValue(ast.off, ctx, unknowns);
      const op: Operand = { kind: 'farptr', seg, off: off.k, size: ast.size };
      const addr = addressOf(off);
      if (addr !== undefined) op.offAddr = addr;
      return op;
    }
    case 'mem': {
      const m: MemOperand = {
        kind: 'mem',
        size: ast.size,
        far: ast.far,
        seg: ast.seg,
        asize: 0,
        rm: -1,
        base: -1,
        index: -1,
        scale: 1,
        disp: 0n,
        dispSize: ast.dispSize,
        reloc: false,
      };
      if (ast.expr) {
        const v = evaluate(ast.expr, ctx);
        note(v, unknowns);
        m.disp = v.k;
        m.reloc = v.reloc !== 0 || v.unknown;
        const addr = addressOf(v);
        if (addr !== undefined) m.addr = addr;
        if (v.regs.length > 0) addressRegisters(m, v.regs, ast.nosplit, ast);
      }
      return m;
    }
  }
}

/** Fills in the addressing form from the register terms, with NASM's choices of base and index. */
function addressRegisters(
  m: MemOperand,
  regs: RegTerm[],
  nosplit: boolean,
  span: { col: number; endCol: number },
): void {
  const infos = regs.map((r) => registerInfo(r.name));
  const bad = () => new AsmError('invalid effective address', span.col, span.endCol);
  if (infos.some((i) => !i || (i.cls !== 'r16' && i.cls !== 'r32'))) throw bad();
  const cls = infos[0]!.cls;
  if (infos.some((i) => i!.cls !== cls)) throw bad();
  if (cls === 'r16') {
    if (regs.some((r) => r.coef !== 1n) || regs.length > 2) throw bad();
    const names = regs.map((r) => r.name).sort((a, b) => (a < b ? -1 : 1));
    const form = RM16[names.join('+')]; // sorted, so a base (bx, bp) comes first
    if (form === undefined) throw bad();
    m.asize = 16;
    m.rm = form;
    return;
  }
  m.asize = 32;
  if (regs.length > 2) throw bad();
  let base = -1;
  let index = -1;
  let scale = 0n;
  if (regs.length === 1) {
    const r = regs[0]!;
    const n = infos[0]!.num;
    if (r.coef === 1n) base = n;
    else {
      index = n;
      scale = r.coef;
    }
  } else {
    const [a, b] = regs as [RegTerm, RegTerm];
    const [na, nb] = [infos[0]!.num, infos[1]!.num];
    // The first register written without `*` is the base; the other is the index.
    const aBase = a.coef === 1n && (!a.mul || (b.coef === 1n && b.mul));
    if (aBase) {
      base = na;
      index = nb;
      scale = b.coef;
    } else {
      if (b.coef !== 1n) throw bad();
      base = nb;
      index = na;
      scale = a.coef;
    }
  }
  if (index >= 0) {
    if (base < 0 && scale === 1n) {
      base = index;
      index = -1;
    } else if (
      base < 0 &&
      !nosplit &&
      (scale === 2n || scale === 3n || scale === 5n || scale === 9n)
    ) {
      // NASM turns [eax*2] into [eax+eax], which needs no 32-bit displacement.
      base = index;
      scale -= 1n;
    }
  }
  if (index === 4 && scale === 1n && base >= 0) [base, index] = [index, base];
  if (index === 4 || (index >= 0 && scale !== 1n && scale !== 2n && scale !== 4n && scale !== 8n))
    throw bad();
  m.base = base;
  m.index = index;
  m.scale = index >= 0 ? Number(scale) : 1;
}
