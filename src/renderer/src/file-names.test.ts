import { describe, expect, it } from 'vitest';
import { fileNameProblem, formatSize, isAssemblyFile, plainFileName } from './file-names';

describe('project file names', () => {
  it('accepts plain names and says what is wrong with the others', () => {
    const taken = ['main.asm', 'defs.inc'];
    expect(fileNameProblem('msg.inc', taken)).toBeNull();
    expect(fileNameProblem('font_8x8.bin', taken)).toBeNull();
    expect(fileNameProblem('', taken)).toMatch(/Type a file name/);
    expect(fileNameProblem('../up.inc', taken)).toMatch(/folders/);
    expect(fileNameProblem('a\\b.inc', taken)).toMatch(/folders/);
    expect(fileNameProblem('.hidden', taken)).toMatch(/dot/);
    expect(fileNameProblem('my file.inc', taken)).toMatch(/no spaces/);
    expect(fileNameProblem('x'.repeat(101), taken)).toMatch(/100/);
    expect(fileNameProblem('vm.json', taken)).toMatch(/reserved/);
    expect(fileNameProblem('snapshots', taken)).toMatch(/reserved/);
    expect(fileNameProblem('defs.inc', taken)).toBe("The VM already has a file named 'defs.inc'");
    // A rename may keep the file's own name.
    expect(fileNameProblem('defs.inc', taken, 'defs.inc')).toBeNull();
  });

  it('makes picked file names plain for an upload', () => {
    expect(plainFileName('font.bin')).toBe('font.bin');
    expect(plainFileName('my font (1).bin')).toBe('my_font__1_.bin');
    expect(plainFileName('.profile')).toBe('profile');
    expect(plainFileName('ünï.txt')).toBe('_n_.txt');
    expect(plainFileName('...')).toBe('file');
    expect(fileNameProblem(plainFileName('x'.repeat(300)), [])).toBeNull();
  });

  it('highlights assembly files and formats sizes', () => {
    expect(isAssemblyFile('main.asm')).toBe(true);
    expect(isAssemblyFile('MSG.INC')).toBe(true);
    expect(isAssemblyFile('notes.txt')).toBe(false);
    expect(formatSize(4)).toBe('4 B');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});
