// NASM's conditional assembly: the %if, %elif, %else, %endif stack and the %if<cond> tests (NASM manual 4.4).

import { tokenize } from './lexer';
import { splitArgs, stripComment } from './macros';
import type { conditionName } from './source-lines';

/** A decoded %if<cond>, %elif<cond> or %else. */
export type Condition = NonNullable<ReturnType<typeof conditionName>>;

/** What the tests need from the preprocessor around them. */
export interface ConditionContext {
  error(message: string, col: number, endCol?: number): void;
  /** Expands single-line macros, giving '' after reporting a runaway expansion. */
  expand(text: string): string;
  /** Evaluates a critical expression (constants only). */
  evaluate(text: string, col: number, what: string): bigint;
  isDefined(name: string): boolean;
  isMacro(name: string): boolean;
  /** %ifctx: the innermost context has one of these names. */
  isContext(names: string): boolean;
}

interface Cond {
  /** This branch is being assembled. */
  active: boolean;
  /** Some branch of this %if has been taken. */
  done: boolean;
  /** The enclosing region is active. */
  outer: boolean;
  sawElse: boolean;
}

/** The open %if blocks of one source file, macro body or %rep body. */
export class ConditionStack {
  private readonly conds: Cond[] = [];

  constructor(private readonly ctx: ConditionContext) {}

  /** Lines are being assembled (every enclosing branch is taken). */
  get active(): boolean {
    return this.conds.length === 0 || this.conds[this.conds.length - 1]!.active;
  }

  /** Some %if is still open. */
  get open(): boolean {
    return this.conds.length > 0;
  }

  /** %endif: closes the innermost %if. */
  endif(col: number): void {
    if (this.conds.length === 0) this.ctx.error("`%endif': no matching `%if'", col, col + 6);
    else this.conds.pop();
  }

  /** %if<cond>, %elif<cond>, %else; `name` is the directive as written, for messages. */
  branch(c: Condition, rest: string, col: number, name: string): void {
    const conds = this.conds;
    const outer = this.active;
    if (c.kind === 'if') {
      const v = outer ? this.test(c.cond, rest, col, name) !== c.neg : false;
      conds.push({ active: outer && v, done: v, outer, sawElse: false });
      return;
    }
    const top = conds[conds.length - 1];
    if (!top) {
      this.ctx.error(`\`%${name}': no matching \`%if'`, col, col + name.length + 1);
      return;
    }
    if (top.sawElse) this.ctx.error(`\`%${name}' after \`%else'`, col, col + name.length + 1);
    if (c.kind === 'else') {
      top.active = top.outer && !top.done;
      top.done = true;
      top.sawElse = true;
      return;
    }
    if (top.done || !top.outer) {
      top.active = false;
      return;
    }
    const v = this.test(c.cond, rest, col, name) !== c.neg;
    top.active = v;
    top.done = v;
  }

  /** Evaluates the condition of %if<cond>. */
  private test(cond: string, rest: string, col: number, name: string): boolean {
    const ctx = this.ctx;
    const text = stripComment(rest).trim();
    switch (cond) {
      case 'def':
        return ctx.isDefined(text);
      case 'macro':
        return ctx.isMacro(text.split(/\s+/)[0] ?? '');
      case 'ctx':
        return ctx.isContext(text);
      case 'idn':
      case 'idni': {
        const parts = splitArgs(ctx.expand(text), false);
        if (parts.length !== 2) {
          ctx.error(`\`%${name}' expects two comma-separated arguments`, col);
          return false;
        }
        const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
        const [a, b] = [norm(parts[0]!), norm(parts[1]!)];
        return cond === 'idn' ? a === b : a.toLowerCase() === b.toLowerCase();
      }
      case 'num':
      case 'str':
      case 'id': {
        const toks = tokenize(ctx.expand(text), []);
        if (toks.length !== 2) return false;
        const k = toks[0]!.kind;
        return cond === 'num' ? k === 'number' : cond === 'str' ? k === 'string' : k === 'ident';
      }
      case 'empty':
        return ctx.expand(text).trim() === '';
      default:
        return ctx.evaluate(text, col, `%${name}`) !== 0n;
    }
  }
}
