// The assembler's syntax tree: parsed lines, operands and data items with their source spans.

import type { Expr } from './expression';
import type { RegisterInfo } from './registers';

/** A source span on one line. */
export interface Span {
  col: number;
  endCol: number;
}

/** A parsed operand, before evaluation. */
export type OperandAst = Span &
  (
    | { kind: 'reg'; reg: RegisterInfo; size: number }
    | { kind: 'mem'; size: number; far: boolean; seg: number; segSpan?: Span; expr: Expr | null }
    | {
        kind: 'imm';
        expr: Expr;
        size: number;
        strict: boolean;
        jump: '' | 'short' | 'near' | 'far';
      }
    | { kind: 'farptr'; seg: Expr; off: Expr }
    | { kind: 'empty' }
  );

/** One item of db/dw/dd/dq: a string laid out byte by byte, or an expression. */
export type DataItem = Span & ({ kind: 'string'; bytes: number[] } | { kind: 'expr'; expr: Expr });

/** What a line asks for after its label and TIMES prefix. */
export type LineBody =
  | { kind: 'none' }
  | {
      kind: 'instr';
      mnemonic: string;
      span: Span;
      prefixes: { name: string; span: Span }[];
      operands: OperandAst[];
    }
  | { kind: 'data'; width: number; items: DataItem[] }
  | { kind: 'reserve'; width: number; count: Expr; span: Span }
  | { kind: 'equ'; value: Expr }
  | { kind: 'org'; value: Expr; span: Span }
  | { kind: 'bits'; value: Expr; span: Span }
  | { kind: 'align'; value: Expr; span: Span };

/** A parsed line. */
export interface ParsedLine {
  /** 1-based line number. */
  line: number;
  label?: Span & { name: string };
  times?: Expr;
  body: LineBody;
}

/** A diagnostic found while parsing. */
export interface ParseDiagnostic extends Span {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}
