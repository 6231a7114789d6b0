// Parses one instruction operand: register, immediate, far pointer or memory reference with its size words (NASM manual 3.1, 3.3).

import { AsmError, type Expr } from './expression';
import { SIZES } from './keywords';
import type { Token } from './lexer';
import { registerInfo } from './registers';
import type { OperandAst, Span } from './syntax';

/** The line parser's position in a line's tokens, as the operand parser needs it. */
export interface TokenCursor {
  peek(ahead?: number): Token;
  isOp(t: Token, text: string): boolean;
  skip(n: number): void;
  expr(): Expr;
}

/** Parses the operand at the cursor, stopping before a comma or the end of the line. */
export function parseOperand(c: TokenCursor): OperandAst {
  const first = c.peek();
  if (first.kind === 'end' || c.isOp(first, ','))
    return { kind: 'empty', col: first.col, endCol: first.endCol };
  let size = 0;
  let strict = false;
  let jump: '' | 'short' | 'near' | 'far' = '';
  for (;;) {
    const t = c.peek();
    const w = t.kind === 'ident' ? t.text.toLowerCase() : '';
    if (w in SIZES) size = SIZES[w]!;
    else if (w === 'short' || w === 'near' || w === 'far') jump = w;
    else if (w === 'strict') strict = true;
    else break;
    c.skip(1);
  }
  const t = c.peek();
  if (c.isOp(t, '[')) {
    c.skip(1);
    let seg = -1;
    let segSpan: Span | undefined;
    let dispSize = 0;
    let nosplit = false;
    for (;;) {
      const w = c.peek();
      const word = w.kind === 'ident' ? w.text.toLowerCase() : '';
      if (word === 'nosplit') nosplit = true;
      else if (word === 'byte' || word === 'word' || word === 'dword') dispSize = SIZES[word]!;
      else if (word === 'rel' || word === 'abs') {
        // default addressing in 16/32-bit code: accepted and ignored
      } else break;
      c.skip(1);
    }
    const s0 = c.peek();
    const segReg = s0.kind === 'ident' ? registerInfo(s0.text.toLowerCase()) : undefined;
    if (segReg && c.isOp(c.peek(1), ':')) {
      if (segReg.cls !== 'sreg') throw new AsmError('invalid segment override', s0.col, s0.endCol);
      seg = segReg.num;
      segSpan = s0;
      c.skip(2);
    }
    const expr = c.isOp(c.peek(), ']') ? null : c.expr();
    const close = c.peek();
    if (!c.isOp(close, ']'))
      throw new AsmError('expecting ] at end of memory operand', close.col, close.endCol);
    c.skip(1);
    return {
      kind: 'mem',
      size,
      far: jump === 'far',
      seg,
      ...(segSpan ? { segSpan } : {}),
      expr,
      dispSize,
      nosplit,
      col: first.col,
      endCol: close.endCol,
    };
  }
  if (t.kind === 'ident') {
    const reg = registerInfo(t.text.toLowerCase());
    const after = c.peek(1);
    if (reg && (after.kind === 'end' || c.isOp(after, ','))) {
      c.skip(1);
      // nasm ignores a size word that contradicts the register, with a warning.
      if (size !== 0 && reg.size !== 0 && size !== reg.size) {
        return { kind: 'reg', reg, size: 0, sizeIgnored: true, col: first.col, endCol: t.endCol };
      }
      return { kind: 'reg', reg, size, col: first.col, endCol: t.endCol };
    }
  }
  const expr = c.expr();
  if (c.isOp(c.peek(), ':')) {
    c.skip(1);
    const off = c.expr();
    return { kind: 'farptr', seg: expr, off, size, col: first.col, endCol: off.endCol };
  }
  return { kind: 'imm', expr, size, strict, jump, col: first.col, endCol: expr.endCol };
}
