// Evaluated instruction operands and 16-bit effective addresses (Intel SDM vol. 2A, table 2-1).

import { AsmError, type EvalContext, evaluate } from './expression';
import type { RegisterInfo } from './registers';
import type { OperandAst } from './syntax';

/** An operand with its expressions evaluated for the current pass. */
export type Operand =
  | { kind: 'reg'; reg: RegisterInfo; size: number }
  | {
      kind: 'mem';
      size: number;
      far: boolean;
      seg: number;
      /** ModRM r/m for 16-bit addressing; -1 for a bare displacement. */
      rm: number;
      disp: bigint;
    }
  | {
      kind: 'imm';
      value: bigint;
      size: number;
      strict: boolean;
      jump: '' | 'short' | 'near' | 'far';
    }
  | { kind: 'farptr'; seg: bigint; off: bigint }
  | { kind: 'empty' };

/** Collects whether some value was not yet known, and the first undefined symbol. */
export interface Unknowns {
  any: boolean;
  firstUndefined?: { name: string; col: number; endCol: number };
}

// Register sets of the eight 16-bit addressing forms.
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
  const v = evaluate(ast, ctx);
  if (v.regs.size > 0)
    throw new AsmError(
      'invalid operand: registers are only allowed inside [ ]',
      ast.col,
      ast.endCol,
    );
  note(v, unknowns);
  return v.k;
}

function note(v: ReturnType<typeof evaluate>, unknowns: Unknowns): void {
  if (!v.unknown) return;
  unknowns.any = true;
  if (!unknowns.firstUndefined && v.undefinedSym && v.undefinedSym.t === 'sym') {
    const s = v.undefinedSym;
    unknowns.firstUndefined = { name: s.name, col: s.col, endCol: s.endCol };
  }
}

/** Evaluates a parsed operand; memory operands get their 16-bit r/m form. */
export function evalOperand(ast: OperandAst, ctx: EvalContext, unknowns: Unknowns): Operand {
  switch (ast.kind) {
    case 'reg':
      return { kind: 'reg', reg: ast.reg, size: ast.size };
    case 'empty':
      return { kind: 'empty' };
    case 'imm':
      return {
        kind: 'imm',
        value: evalScalar(ast.expr, ctx, unknowns),
        size: ast.size,
        strict: ast.strict,
        jump: ast.jump,
      };
    case 'farptr':
      return {
        kind: 'farptr',
        seg: evalScalar(ast.seg, ctx, unknowns),
        off: evalScalar(ast.off, ctx, unknowns),
      };
    case 'mem': {
      let rm = -1;
      let disp = 0n;
      if (ast.expr) {
        const v = evaluate(ast.expr, ctx);
        note(v, unknowns);
        disp = v.k;
        const names = [...v.regs.keys()].sort((a, b) => (a < b ? -1 : 1));
        if ([...v.regs.values()].some((c) => c !== 1n)) {
          throw new AsmError('invalid 16-bit effective address', ast.col, ast.endCol);
        }
        if (names.some((n) => n.startsWith('e'))) {
          throw new AsmError('32-bit addressing is not supported yet', ast.col, ast.endCol);
        }
        if (names.length > 0) {
          const form = RM16[names.join('+')]; // sorted, so a base (bx, bp) comes first
          if (form === undefined)
            throw new AsmError('invalid 16-bit effective address', ast.col, ast.endCol);
          rm = form;
        }
      }
      return { kind: 'mem', size: ast.size, far: ast.far, seg: ast.seg, rm, disp };
    }
  }
}
