// Assembler diagnostics as callers get them, with NASM's "... from macro `m' defined here" chain for lines of macro bodies.

import type { MacroStep, PreDiagnostic, SourceLine } from './preprocessor';
import type { ParseDiagnostic } from './syntax';

/** A further place a diagnostic concerns: here, a line of a macro body on the way to it. */
export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  message: string;
}

/** A diagnostic with 1-based line and columns; endColumn is exclusive, as in editor markers. */
export interface AsmDiagnostic {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  severity: 'error' | 'warning';
  message: string;
  /**
   * For a problem in a macro expansion: the line and columns point at the outermost call, as
   * NASM reports it; `related` goes down the macro bodies to the line at fault, in order.
   */
  related?: RelatedLocation[];
}

/**
 * Places a problem found at columns col..endCol of a line reached through the macro calls
 * `from`: the primary span moves to the outermost call, and each body line on the way
 * becomes a related location, the last one holding the original columns.
 */
function located(
  base: Omit<AsmDiagnostic, 'column' | 'endColumn'>,
  col: number,
  endCol: number,
  from: MacroStep[] | undefined,
): AsmDiagnostic {
  if (!from || from.length === 0) return { ...base, column: col, endColumn: endCol };
  const related = from.map((s, k) => {
    const next = from[k + 1];
    return {
      file: s.file,
      line: s.line,
      column: next ? next.callCol : col,
      endColumn: next ? next.callEndCol : endCol,
      message: `... from macro \`${s.macro}' defined here`,
    };
  });
  return { ...base, column: from[0]!.callCol, endColumn: from[0]!.callEndCol, related };
}

/** A diagnostic of the parser or a pass, on preprocessed line `src` (undefined: line 1 of `file`). */
export function lineDiagnostic(
  d: ParseDiagnostic,
  src: SourceLine | undefined,
  file: string,
): AsmDiagnostic {
  const base = {
    file: src?.file ?? file,
    line: src?.line ?? d.line,
    severity: d.severity,
    message: d.message,
  };
  return located(base, d.col, d.endCol, src?.from);
}

/** A diagnostic of the preprocessor; `file` names a source the preprocessor could not place. */
export function preprocessorDiagnostic(d: PreDiagnostic, file: string): AsmDiagnostic {
  const base = { file: d.file || file, line: d.line, severity: d.severity, message: d.message };
  return located(base, d.col, d.endCol, d.from);
}

/**
 * NASM's text for a diagnostic: `file:line: severity: message`, then one line per macro body
 * on the way, as `nasm -f bin` prints them.
 */
export function formatNasmDiagnostic(d: AsmDiagnostic): string {
  const lines = [`${d.file}:${d.line}: ${d.severity}: ${d.message}`];
  for (const r of d.related ?? []) lines.push(`${r.file}:${r.line}: ${r.message}`);
  return lines.join('\n');
}
