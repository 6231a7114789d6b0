// Parses NASM source lines into labels, directives and instructions (NASM manual chapters 3 and 8).

import { AsmError, type Expr, ExprParser } from './expression';
import {
  DATA,
  DIRECTIVES,
  isKeyword,
  MNEMONICS,
  PREFIXES,
  RESERVE,
  UNSUPPORTED,
  X87,
} from './keywords';
import { type LexError, type Token, tokenize } from './lexer';
import { parseOperand, type TokenCursor } from './operand-parser';
import { isRegister } from './registers';
import type {
  DataItem,
  LineBody,
  OperandAst,
  ParseDiagnostic,
  ParsedLine,
  SectionAttrs,
  Span,
} from './syntax';

/** Parses source lines; `qualify` state (the last non-local label) runs across lines. */
export class LineParser {
  private lastGlobal = '';
  private tokens: Token[] = [];
  private pos = 0;

  constructor(private readonly diagnostics: ParseDiagnostic[]) {}

  /** This parser's tokens, for the operand parser. */
  private readonly cursor: TokenCursor = {
    peek: (ahead = 0) => this.peek(ahead),
    isOp: (t, text) => this.isOp(t, text),
    skip: (n) => {
      this.pos += n;
    },
    expr: () => this.expr(),
  };

  /** Parses line number `lineNo` (1-based). */
  parseLine(text: string, lineNo: number): ParsedLine {
    const lexErrors: LexError[] = [];
    this.tokens = tokenize(text, lexErrors);
    this.pos = 0;
    const result: ParsedLine = { line: lineNo, body: { kind: 'none' } };
    for (const e of lexErrors) this.error(lineNo, e.message, e);
    if (lexErrors.length > 0) return result;
    try {
      this.parseInto(result);
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      this.error(lineNo, e.message, e);
      result.body = { kind: 'none' };
      delete result.times;
    }
    return result;
  }

  private error(
    line: number,
    message: string,
    span: Span,
    severity: 'error' | 'warning' = 'error',
  ) {
    this.diagnostics.push({ line, message, severity, col: span.col, endCol: span.endCol });
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private isOp(t: Token, text: string): boolean {
    return t.kind === 'op' && t.text === text;
  }

  private qualify = (name: string): string =>
    name.startsWith('.') && !name.startsWith('..') ? this.lastGlobal + name : name;

  private expr(): Expr {
    const p = new ExprParser(this.tokens, this.pos, isRegister, this.qualify);
    const e = p.parse();
    this.pos = p.pos;
    return e;
  }

  private parseInto(out: ParsedLine): void {
    let t = this.peek();
    if (this.isOp(t, '%')) {
      const name = this.peek(1);
      throw new AsmError(
        `unknown preprocessor directive '%${name.kind === 'ident' ? name.text : ''}'`,
        t.col,
        name.endCol,
      );
    }
    if (this.isOp(t, '[')) {
      this.bracketDirective(out);
      return;
    }
    if (t.kind === 'end') return;
    if (t.kind !== 'ident') throw new AsmError('parser: instruction expected', t.col, t.endCol);
    const word = t.text.toLowerCase();
    const next = this.peek(1);
    const nextWord = next.kind === 'ident' ? next.text.toLowerCase() : '';
    const isLabel =
      this.isOp(next, ':') ||
      nextWord === 'equ' ||
      (!isKeyword(word) && (next.kind === 'end' || isKeyword(nextWord)));
    if (isLabel) {
      if (isRegister(word))
        throw new AsmError(`cannot use register '${word}' as a label`, t.col, t.endCol);
      const name = this.qualify(t.text);
      if (!t.text.startsWith('.') && !t.text.startsWith('..@') && nextWord !== 'equ')
        this.lastGlobal = t.text;
      out.label = { name, col: t.col, endCol: t.endCol };
      this.pos++;
      if (this.isOp(this.peek(), ':')) this.pos++;
      else if (next.kind === 'end') {
        this.error(
          out.line,
          'label alone on a line without a colon might be in error',
          t,
          'warning',
        );
      }
      t = this.peek();
      if (t.kind === 'end') return;
      if (t.kind === 'ident' && t.text.toLowerCase() === 'equ') {
        this.pos++;
        out.body = { kind: 'equ', value: this.expr() };
        this.expectEnd();
        return;
      }
    } else if (!isKeyword(word)) {
      throw new AsmError('parser: instruction expected', t.col, t.endCol);
    }
    out.body = this.body(out);
  }

  private bracketDirective(out: ParsedLine): void {
    this.pos++;
    const t = this.peek();
    const word = t.kind === 'ident' ? t.text.toLowerCase() : '';
    if (!DIRECTIVES.has(word)) throw new AsmError('unknown directive', t.col, t.endCol);
    out.body = this.directive(word, t);
    const close = this.peek();
    if (!this.isOp(close, ']')) throw new AsmError("expecting `]'", close.col, close.endCol);
    this.pos++;
    this.expectEnd();
  }

  private body(out: ParsedLine): LineBody {
    const t = this.peek();
    if (t.kind !== 'ident') throw new AsmError('parser: instruction expected', t.col, t.endCol);
    const word = t.text.toLowerCase();
    if (word === 'times') {
      // NASM accepts a nested TIMES but does not multiply the counts; refuse it instead.
      if (out.times) throw new AsmError('nested TIMES is not supported', t.col, t.endCol);
      this.pos++;
      out.times = this.expr();
      return this.body(out);
    }
    if (word === 'equ') throw new AsmError('equ without a label', t.col, t.endCol);
    if (UNSUPPORTED.has(word))
      throw new AsmError(`'${word}' is not supported yet`, t.col, t.endCol);
    if (word in DATA) {
      this.pos++;
      return { kind: 'data', width: DATA[word]!, items: this.dataItems() };
    }
    if (word in RESERVE) {
      this.pos++;
      const count = this.expr();
      this.expectEnd();
      return { kind: 'reserve', width: RESERVE[word]!, count, span: t };
    }
    if (DIRECTIVES.has(word)) {
      // INCBIN repeats like data; the other directives make no sense repeated.
      if (out.times && word !== 'incbin')
        throw new AsmError(`'${word}' cannot follow TIMES`, t.col, t.endCol);
      const d = this.directive(word, t);
      this.expectEnd();
      return d;
    }
    const prefixes: { name: string; span: Span }[] = [];
    let m = this.peek();
    while (m.kind === 'ident' && PREFIXES.has(m.text.toLowerCase())) {
      const after = this.peek(1);
      if (after.kind !== 'ident' || !isKeyword(after.text.toLowerCase())) break;
      prefixes.push({ name: m.text.toLowerCase(), span: m });
      this.pos++;
      m = this.peek();
    }
    const mnemonic = m.kind === 'ident' ? m.text.toLowerCase() : '';
    if (X87.has(mnemonic)) {
      throw new AsmError(
        `x87 instruction \`${mnemonic}' is not supported: vmlab's CPU has no FPU (its opcodes raise #NM or #UD); write the bytes with db`,
        m.col,
        m.endCol,
      );
    }
    if (!MNEMONICS.has(mnemonic))
      throw new AsmError('parser: instruction expected', m.col, m.endCol);
    this.pos++;
    const operands: OperandAst[] = [];
    if (this.peek().kind !== 'end') {
      for (;;) {
        operands.push(this.operand());
        const sep = this.peek();
        if (sep.kind === 'end') break;
        if (!this.isOp(sep, ',')) {
          throw new AsmError(
            'comma, colon, decorator or end of line expected after operand',
            sep.col,
            sep.endCol,
          );
        }
        this.pos++;
      }
    }
    return { kind: 'instr', mnemonic, span: m, prefixes, operands };
  }

  private directive(word: string, t: Token): LineBody {
    this.pos++;
    switch (word) {
      case 'org':
        return { kind: 'org', value: this.expr(), span: t };
      case 'bits':
        return { kind: 'bits', value: this.expr(), span: t };
      case 'use16':
      case 'use32':
        return {
          kind: 'bits',
          value: { t: 'num', value: word === 'use16' ? 16n : 32n, col: t.col, endCol: t.endCol },
          span: t,
        };
      case 'align':
      case 'alignb': {
        const value = this.expr();
        // An explicit fill after a comma: `db X` fills with X; other instructions are not supported.
        if (this.isOp(this.peek(), ',')) {
          this.pos++;
          const d = this.peek();
          if (d.kind !== 'ident' || d.text.toLowerCase() !== 'db')
            throw new AsmError("only `db value' is supported as an ALIGN fill", d.col, d.endCol);
          this.pos++;
          return { kind: 'align', value, span: t, reserve: word === 'alignb', fill: this.expr() };
        }
        return { kind: 'align', value, span: t, reserve: word === 'alignb' };
      }
      case 'incbin': {
        const f = this.peek();
        if (f.kind !== 'string')
          throw new AsmError("`incbin' expects a file name", f.col, f.endCol);
        this.pos++;
        let skip: Expr | null = null;
        let len: Expr | null = null;
        if (this.isOp(this.peek(), ',')) {
          this.pos++;
          skip = this.expr();
          if (this.isOp(this.peek(), ',')) {
            this.pos++;
            len = this.expr();
          }
        }
        return { kind: 'incbin', file: f.text, skip, len, span: { col: t.col, endCol: f.endCol } };
      }
      case 'section':
      case 'segment':
        return this.section(t);
      case 'absolute':
        return { kind: 'absolute', value: this.expr(), span: t };
      default:
        // cpu, global, extern, default: accepted and ignored in a flat binary.
        while (this.peek().kind !== 'end' && !this.isOp(this.peek(), ']')) this.pos++;
        return { kind: 'none' };
    }
  }

  private section(t: Token): LineBody {
    const name = this.peek();
    if (name.kind !== 'ident' && name.kind !== 'string')
      throw new AsmError('section name expected', name.col, name.endCol);
    this.pos++;
    const attrs: SectionAttrs = {};
    while (this.peek().kind !== 'end' && !this.isOp(this.peek(), ']')) {
      const a = this.peek();
      const key = a.kind === 'ident' ? a.text.toLowerCase() : '';
      this.pos++;
      if (key === 'progbits' || key === 'nobits') {
        attrs.nobits = key === 'nobits';
        continue;
      }
      if (!this.isOp(this.peek(), '=')) {
        if (
          [
            'code',
            'text',
            'data',
            'bss',
            'rdata',
            'exec',
            'noexec',
            'alloc',
            'noalloc',
            'write',
            'nowrite',
            'private',
            'public',
          ].includes(key)
        )
          continue;
        throw new AsmError(`unknown section attribute '${a.text}'`, a.col, a.endCol);
      }
      this.pos++;
      if (key === 'follows' || key === 'vfollows') {
        const v = this.peek();
        if (v.kind !== 'ident') throw new AsmError('section name expected', v.col, v.endCol);
        this.pos++;
        attrs[key] = v.text;
      } else if (key === 'align' || key === 'start' || key === 'vstart') attrs[key] = this.expr();
      else throw new AsmError(`unknown section attribute '${a.text}'`, a.col, a.endCol);
    }
    return { kind: 'section', name: name.text, attrs, span: { col: t.col, endCol: name.endCol } };
  }

  private expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end')
      throw new AsmError(
        'comma, colon, decorator or end of line expected after operand',
        t.col,
        t.endCol,
      );
  }

  private dataItems(): DataItem[] {
    const items: DataItem[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'end') break;
      const after = this.peek(1);
      if (t.kind === 'string' && (after.kind === 'end' || this.isOp(after, ','))) {
        this.pos++;
        items.push({ kind: 'string', bytes: t.bytes ?? [], col: t.col, endCol: t.endCol });
      } else {
        const expr = this.expr();
        items.push({ kind: 'expr', expr, col: expr.col, endCol: expr.endCol });
      }
      const sep = this.peek();
      if (sep.kind === 'end') break;
      if (!this.isOp(sep, ',')) {
        throw new AsmError('comma expected after operand', sep.col, sep.endCol);
      }
      this.pos++;
    }
    return items;
  }

  private operand(): OperandAst {
    return parseOperand(this.cursor);
  }
}
