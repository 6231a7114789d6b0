// Critical expressions of the preprocessor (%if, %assign, %rep): constants only, known in the first pass (NASM manual 3.8).

import { AsmError, ExprParser, evaluate } from './expression';
import { tokenize } from './lexer';
import { isRegister } from './registers';

/**
 * Evaluates `text` (already macro-expanded) for the directive `what`; reports a problem
 * through `error` and gives 0 then. Symbols are never known here, as in NASM's first pass.
 */
export function evaluateCritical(
  text: string,
  col: number,
  what: string,
  error: (message: string, col: number, endCol: number) => void,
): bigint {
  const errors: { message: string; col: number; endCol: number }[] = [];
  const toks = tokenize(text, errors);
  if (errors.length > 0) {
    error(errors[0]!.message, col, col);
    return 0n;
  }
  try {
    const p = new ExprParser(toks, 0, isRegister, (n) => n);
    const e = p.parse();
    if (toks[p.pos]!.kind !== 'end')
      throw new AsmError('trailing garbage after expression', col, col);
    const v = evaluate(e, { here: 0n, start: 0n, lookup: () => undefined });
    if (v.unknown || v.regs.length > 0) {
      error(`non-constant value given to \`${what}'`, col, col + what.length);
      return 0n;
    }
    return v.k;
  } catch (e) {
    if (!(e instanceof AsmError)) throw e;
    error(`${e.message} in \`${what}'`, col, col + what.length);
    return 0n;
  }
}
