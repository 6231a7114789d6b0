// Assembler diagnostics as a terminal shows them: file:line:column: severity: message, then
// NASM's "... from macro `m' defined here" line for each macro body on the way to the fault.
import type { Diagnostic } from '../../shared/api';

/**
 * One diagnostic as lines of text (no trailing newline). It reads as `nasm -f bin` prints it
 * (formatNasmDiagnostic in the assembler), with the column after each line number added, as
 * compilers print it and editors' problem matchers expect.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`];
  for (const r of d.related ?? []) lines.push(`${r.file}:${r.line}:${r.column}: ${r.message}`);
  return lines.join('\n');
}
