import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../shared/api';
import { concernsFile, faultFiles, faultPlace, macroName } from './diagnostic-places';

const base: Diagnostic = {
  file: 'main.asm',
  line: 3,
  column: 3,
  endColumn: 7,
  severity: 'error',
  message: 'bad 1',
};
const inMacro: Diagnostic = {
  ...base,
  related: [
    {
      file: 'defs.inc',
      line: 3,
      column: 3,
      endColumn: 9,
      message: "... from macro `fail' defined here",
    },
  ],
};

describe('diagnostic places', () => {
  it('concern the file of the call and the files of the macro bodies', () => {
    expect(concernsFile(base, 'main.asm')).toBe(true);
    expect(concernsFile(base, 'defs.inc')).toBe(false);
    expect(concernsFile(inMacro, 'defs.inc')).toBe(true);
    expect(concernsFile(inMacro, null)).toBe(false);
  });

  it('blame the call and the innermost body, each file once', () => {
    expect(faultFiles(base)).toEqual(['main.asm']);
    expect(faultFiles(inMacro)).toEqual(['main.asm', 'defs.inc']);
    expect(faultFiles({ ...inMacro, file: 'defs.inc' })).toEqual(['defs.inc']);
  });

  it("read the macro's name from NASM's words", () => {
    expect(macroName("... from macro `fail' defined here")).toBe('fail');
    expect(macroName('something else')).toBeUndefined();
    expect(faultPlace(inMacro)).toBe("in macro `fail' at defs.inc:3");
    expect(faultPlace(base)).toBeUndefined();
  });
});
