// NASM's context stack: %push, %pop, %repl, %$local names, %ifctx, and %stacksize/%arg/%local on top (NASM manual 4.7, 4.8).

import { skipString, splitArgs, stripComment } from './macros';

/** What the context directives need from the preprocessor around them. */
export interface ContextHost {
  error(message: string, col: number, endCol: number): void;
  /** A fresh number for unique names, shared with macro-local %%labels. */
  nextId(): number;
  /** Defines a single-line macro without parameters. */
  define(name: string, body: string): void;
  /** Evaluates a critical expression (constants only) for `what`. */
  evaluate(text: string, col: number, what: string): bigint;
}

/** Sizes %arg and %local accept (a variable takes at least one stack slot). */
const SIZES: Record<string, number> = { byte: 1, word: 2, dword: 4, qword: 8, tword: 10 };

/**
 * %stacksize settings: slot size, frame pointer, first argument offset. nasm 2.16 gives
 * `small` the larger offset (6) and `large` the smaller (4); its bytes are what count here.
 */
const STACK_SIZES: Record<string, { slot: number; frame: string; argOffset: number }> = {
  flat: { slot: 4, frame: 'ebp', argOffset: 8 },
  flat64: { slot: 8, frame: 'rbp', argOffset: 16 },
  large: { slot: 2, frame: 'bp', argOffset: 4 },
  small: { slot: 2, frame: 'bp', argOffset: 6 },
};

interface Context {
  name: string;
  id: number;
}

/** The contexts opened by %push, innermost last, and the %arg/%local frame layout. */
export class ContextStack {
  private readonly stack: Context[] = [];
  /** The %stacksize in force (nasm starts flat), and the offsets %arg and %local reached. */
  private frame = { ...STACK_SIZES.flat!, localOffset: 0 };

  constructor(private readonly host: ContextHost) {}

  /** %ifctx: the innermost context has one of the `names`. */
  isTop(names: string): boolean {
    const top = this.stack[this.stack.length - 1];
    return top !== undefined && names.split(/[\s,]+/).includes(top.name);
  }

  /**
   * Replaces %$name (innermost context) and %$$name (one further out, and so on) outside
   * strings and comments by the context's unique ..@<id>.name.
   */
  localNames(text: string, col: number): string {
    let out = '';
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === "'" || c === '"' || c === '`') {
        const j = skipString(text, i);
        out += text.slice(i, j);
        i = j;
        continue;
      }
      if (c === ';') return out + text.slice(i);
      const m =
        c === '%' ? /^%(\$+)([A-Za-z0-9_.?@#~][A-Za-z0-9_.?@$#~]*)/.exec(text.slice(i)) : null;
      if (!m) {
        out += c;
        i++;
        continue;
      }
      const depth = m[1]!.length;
      const ctx = this.stack[this.stack.length - depth];
      if (!ctx) {
        const where = col + i;
        if (this.stack.length === 0)
          this.host.error(`\`${m[0]}': context stack is empty`, where, where + m[0].length);
        else
          this.host.error(
            `\`${m[2]}': context stack is only ${this.stack.length} level${this.stack.length === 1 ? '' : 's'} deep`,
            where,
            where + m[0].length,
          );
        out += m[0];
      } else out += `..@${ctx.id}.${m[2]}`;
      i += m[0].length;
    }
    return out;
  }

  /** Runs a context directive (`name` without %); false when `name` is not one. */
  directive(name: string, rest: string, col: number): boolean {
    const end = col + name.length + 1;
    const text = stripComment(rest).trim();
    const err = (message: string) => this.host.error(message, col, end);
    switch (name) {
      case 'push':
        this.stack.push({ name: text, id: this.host.nextId() });
        return true;
      case 'pop':
      case 'repl': {
        const top = this.stack[this.stack.length - 1];
        if (!top) err(`\`%${name}': context stack is empty`);
        else if (name === 'repl') top.name = text;
        else if (text !== '' && text !== top.name)
          err(`\`%pop' in wrong context: ${top.name}, expected ${text}`);
        else this.stack.pop();
        return true;
      }
      case 'stacksize': {
        const s = STACK_SIZES[text.toLowerCase()];
        if (!s) err("`%stacksize' invalid size type");
        else this.frame = { ...s, localOffset: 0 };
        return true;
      }
      case 'arg':
      case 'local':
        this.frameVariables(name, text, col, end);
        return true;
      default:
        return false;
    }
  }

  /** %arg and %local: name:size variables at offsets from the frame pointer. */
  private frameVariables(name: 'arg' | 'local', text: string, col: number, end: number): void {
    const f = this.frame;
    // TASM's `= size` after the list is accepted and ignored, as nasm does.
    const list = text.replace(/=.*$/, '');
    for (const item of splitArgs(list, false)) {
      const m = /^([A-Za-z_.?@$][\w.?@$#~]*)\s*:\s*(\w+)$/.exec(item);
      if (!m) {
        this.host.error(`syntax error processing \`%${name}' directive`, col, end);
        return;
      }
      const size = SIZES[m[2]!.toLowerCase()];
      if (!size) {
        this.host.error(`invalid size type for \`%${name}' missing directive`, col, end);
        return;
      }
      const slots = Math.ceil(size / f.slot) * f.slot;
      if (name === 'arg') {
        this.host.define(m[1]!, `(${f.frame}+${f.argOffset})`);
        f.argOffset += slots;
        continue;
      }
      f.localOffset += slots;
      this.host.define(m[1]!, `(${f.frame}-${f.localOffset})`);
      // %local keeps the context's %$localsize up to date, for ENTER.
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        this.host.error("`%$localsize': context stack is empty", col, end);
        return;
      }
      const localSize = `..@${top.id}.localsize`;
      const total = this.host.evaluate(`${localSize}+${slots}`, col, '%assign');
      this.host.define(localSize, total.toString());
    }
  }
}
