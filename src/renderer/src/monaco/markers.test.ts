import type { Uri } from 'monaco-editor/editor';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../shared/api';
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

describe('diagnosticsToMarkers for errors inside macros', () => {
  // As the assembler reports `outer` (main.asm:10) calling `inner` (main.asm:8) whose body
  // line defs.inc:4 is at fault.
  const inMacro: Diagnostic = {
    file: 'main.asm',
    line: 10,
    column: 5,
    endColumn: 10,
    severity: 'error',
    message: 'operand expected',
    related: [
      {
        file: 'main.asm',
        line: 8,
        column: 5,
        endColumn: 12,
        message: "... from macro `outer' defined here",
      },
      {
        file: 'defs.inc',
        line: 4,
        column: 22,
        endColumn: 24,
        message: "... from macro `inner' defined here",
      },
    ],
  };
  const resource = (file: string) => ({ path: `/vm/${file}` }) as unknown as Uri;
  const at = (file: string) => ({ file, resource });

  it('gives the call its chain as related information in the files of the chain', () => {
    const [call] = diagnosticsToMarkers([inMacro], at('main.asm'));
    expect(call).toMatchObject({
      startLineNumber: 10,
      startColumn: 5,
      message: 'operand expected',
    });
    expect(call?.relatedInformation).toEqual([
      {
        resource: resource('main.asm'),
        message: "... from macro `outer' defined here",
        startLineNumber: 8,
        startColumn: 5,
        endLineNumber: 8,
        endColumn: 12,
      },
      {
        resource: resource('defs.inc'),
        message: "... from macro `inner' defined here",
        startLineNumber: 4,
        startColumn: 22,
        endLineNumber: 4,
        endColumn: 24,
      },
    ]);
  });

  it('marks each macro body line of the open file, naming the call it came from', () => {
    const markers = diagnosticsToMarkers([inMacro], at('main.asm'));
    expect(markers).toHaveLength(2);
    expect(markers[1]).toMatchObject({
      severity: MARKER_SEVERITY.error,
      message: "operand expected\n… in macro `outer' called at main.asm:10",
      startLineNumber: 8,
      startColumn: 5,
      endColumn: 12,
    });
    const [fault] = diagnosticsToMarkers([inMacro], at('defs.inc'));
    expect(fault).toMatchObject({
      message: "operand expected\n… in macro `inner' called at main.asm:8",
      startLineNumber: 4,
      startColumn: 22,
      endColumn: 24,
    });
    expect(fault?.relatedInformation?.map((r) => [r.message, r.startLineNumber])).toEqual([
      ['the call that expanded it', 10],
      ["... from macro `outer' defined here", 8],
    ]);
  });

  it('shows a body line once when a %rep calls the macro again', () => {
    const again = { ...inMacro, line: 11 };
    expect(diagnosticsToMarkers([inMacro, again], at('defs.inc'))).toHaveLength(1);
  });

  it('leaves out diagnostics of other files', () => {
    expect(diagnosticsToMarkers([{ ...inMacro, related: [] }], at('defs.inc'))).toEqual([]);
  });
});
