import { describe, expect, it } from 'vitest';
import { diagnosticsToMarkers, MARKER_SEVERITY } from './markers';

describe('diagnosticsToMarkers', () => {
  it('maps line, columns, severity and message', () => {
    const markers = diagnosticsToMarkers([
      { file: 'main.asm', line: 4, column: 5, endColumn: 9, severity: 'error', message: 'bad' },
      { file: 'main.asm', line: 7, column: 3, endColumn: 3, severity: 'warning', message: 'hmm' },
    ]);
    expect(markers).toEqual([
      {
        severity: MARKER_SEVERITY.error,
        message: 'bad',
        source: 'nasm',
        startLineNumber: 4,
        startColumn: 5,
        endLineNumber: 4,
        endColumn: 9,
      },
      {
        severity: MARKER_SEVERITY.warning,
        message: 'hmm',
        source: 'nasm',
        startLineNumber: 7,
        startColumn: 3,
        endLineNumber: 7,
        endColumn: 4,
      },
    ]);
  });

  it('keeps positions inside the document', () => {
    const [m] = diagnosticsToMarkers([
      { file: 'x', line: 0, column: 0, endColumn: 0, severity: 'error', message: 'm' },
    ]);
    expect(m?.startLineNumber).toBe(1);
    expect(m?.startColumn).toBe(1);
    expect(m?.endColumn).toBe(2);
  });
});
