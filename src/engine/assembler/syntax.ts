// The assembler's syntax tree: parsed lines, operands and data items with their source spans.

import type { AddressField } from './encoder';
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
    | {
        kind: 'reg';
        reg: RegisterInfo;
        size: number;
        /** A size word that did not match the register was written and ignored (nasm warns). */
        sizeIgnored?: boolean;
      }
    | {
        kind: 'mem';
        size: number;
        far: boolean;
        seg: number;
        segSpan?: Span;
        expr: Expr | null;
        /** Displacement size from `byte`/`word`/`dword` inside the brackets, or 0. */
        dispSize: number;
        nosplit: boolean;
      }
    | {
        kind: 'imm';
        expr: Expr;
        size: number;
        strict: boolean;
        jump: '' | 'short' | 'near' | 'far';
      }
    | { kind: 'farptr'; seg: Expr; off: Expr; size: number }
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
  | { kind: 'align'; value: Expr; span: Span; reserve: boolean; fill?: Expr }
  | { kind: 'section'; name: string; attrs: SectionAttrs; span: Span }
  | { kind: 'absolute'; value: Expr; span: Span }
  | { kind: 'incbin'; file: string; skip: Expr | null; len: Expr | null; span: Span };

/** Attributes of a SECTION directive for the bin format (NASM manual 8.1.3). */
export interface SectionAttrs {
  align?: Expr;
  start?: Expr;
  vstart?: Expr;
  follows?: string;
  vfollows?: string;
  nobits?: boolean;
}

/** A parsed line. */
export interface ParsedLine {
  /** 1-based line number. */
  line: number;
  label?: Span & { name: string };
  times?: Expr;
  body: LineBody;
  /**
   * Bytes and diagnostics of a line that references no symbol and no `$`: they are the
   * same in every pass, so the assembler computes them once.
   */
  /** The bytes of a line as last assembled, with the symbol values and `$` they were made for. */
  reuse?: {
    names: string[];
    values: bigint[];
    here: boolean;
    hereValue: number;
    floor: number;
    bytes: number[];
    count: number;
    reports: { message: string; span: ReportSpan; severity: 'error' | 'warning' }[];
    fields: AddressField[] | undefined;
  };
  cached?: {
    bytes: number[];
    count: number;
    bits: number;
    reports: { message: string; span: ReportSpan; severity: 'error' | 'warning' }[];
  };
}

/** Where a problem is on its line; `at` is the byte of the line's output it concerns. */
export interface ReportSpan extends Span {
  at?: number;
}

/** A diagnostic found while parsing. */
export interface ParseDiagnostic extends Span {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}
