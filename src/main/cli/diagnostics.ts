// Assembler diagnostics as a terminal shows them: file:line:column: severity: message.
import type { Diagnostic } from '../../shared/api';

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}
