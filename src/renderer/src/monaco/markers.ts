// Assembler diagnostics (src/shared/api.ts Diagnostic) as Monaco model markers, with NASM's
// macro chain as related information and as markers on the macro body lines themselves.

import type { editor, Uri } from 'monaco-editor/editor';
import type { Diagnostic, RelatedLocation } from '../../../shared/api';
import { macroName } from '../diagnostic-places';

/** Monaco's MarkerSeverity values, repeated so this module needs no runtime Monaco. */
export const MARKER_SEVERITY = { error: 8, warning: 4 } as const;

/** The owner name under which the assembler's markers are set. */
export const MARKER_OWNER = 'nasm';

/** The document markers go to, and the URI of each project file's document. */
export interface MarkerPlace {
  file: string;
  resource(file: string): Uri;
}

type Span = Pick<RelatedLocation, 'line' | 'column' | 'endColumn'>;

/** A marker's range on one line; a zero-width range is widened to one column so it shows. */
function range(s: Span) {
  const line = Math.max(1, s.line);
  const column = Math.max(1, s.column);
  return {
    startLineNumber: line,
    startColumn: column,
    endLineNumber: line,
    endColumn: Math.max(column + 1, s.endColumn),
  };
}

function related(place: MarkerPlace, at: RelatedLocation): editor.IRelatedInformation {
  return { resource: place.resource(at.file), message: at.message, ...range(at) };
}

/**
 * The markers of the document of `place.file` (without a place: every diagnostic as if in
 * one document). A diagnostic raised in a macro gets its chain as related information, and
 * each macro body line of the chain that lies in this document gets a marker of its own
 * naming the call it came from, so the fault shows where it really is.
 */
export function diagnosticsToMarkers(
  diagnostics: readonly Diagnostic[],
  place?: MarkerPlace,
): editor.IMarkerData[] {
  const markers: editor.IMarkerData[] = [];
  const seen = new Set<string>();
  const add = (m: editor.IMarkerData) => {
    // A macro called from a %rep faults on the same body line each time: show it once.
    const key = `${m.startLineNumber}:${m.startColumn}:${m.endColumn}:${m.message}`;
    if (!seen.has(key)) markers.push(m);
    seen.add(key);
  };
  for (const d of diagnostics) {
    const severity = MARKER_SEVERITY[d.severity];
    const chain = d.related ?? [];
    if (!place || d.file === place.file) {
      const info = place && chain.length > 0 ? chain.map((r) => related(place, r)) : undefined;
      add({
        severity,
        message: d.message,
        source: MARKER_OWNER,
        ...range(d),
        ...(info ? { relatedInformation: info } : {}),
      });
    }
    if (!place) continue;
    const call: RelatedLocation = { ...d, message: 'the call that expanded it' };
    chain.forEach((r, k) => {
      if (r.file !== place.file) return;
      const caller = k === 0 ? d : chain[k - 1]!;
      const name = macroName(r.message);
      add({
        severity,
        message: `${d.message}\n… in macro ${name === undefined ? '' : `\`${name}' `}called at ${caller.file}:${caller.line}`,
        source: MARKER_OWNER,
        ...range(r),
        relatedInformation: [call, ...chain.filter((o) => o !== r)].map((o) => related(place, o)),
      });
    });
  }
  return markers;
}
