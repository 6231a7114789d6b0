// Assembler diagnostics (src/shared/api.ts Diagnostic) as Monaco model markers.

import type { editor } from 'monaco-editor/editor';
import type { Diagnostic } from '../../../shared/api';

/** Monaco's MarkerSeverity values, repeated so this module needs no runtime Monaco. */
export const MARKER_SEVERITY = { error: 8, warning: 4 } as const;

/** The owner name under which the assembler's markers are set. */
export const MARKER_OWNER = 'nasm';

/** One marker per diagnostic; a zero-width range is widened to one column so it shows. */
export function diagnosticsToMarkers(diagnostics: readonly Diagnostic[]): editor.IMarkerData[] {
  return diagnostics.map((d) => {
    const line = Math.max(1, d.line);
    const column = Math.max(1, d.column);
    return {
      severity: MARKER_SEVERITY[d.severity],
      message: d.message,
      source: MARKER_OWNER,
      startLineNumber: line,
      startColumn: column,
      endLineNumber: line,
      endColumn: Math.max(column + 1, d.endColumn),
    };
  });
}
