import { describe, expect, it } from 'vitest';
import { assemble } from './assembler';

const hex = (src: string) => {
  const out = assemble(`bits 16\n${src}`);
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return Buffer.from(out.bytes).toString('hex').toUpperCase();
};

const errors = (src: string) =>
  assemble(src, { fileName: 'boot.asm' })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.file}:${d.line}:${d.column}-${d.endColumn}: ${d.message}`);

describe('instruction encoding (NASM choices)', () => {
  it.each([
    ['add ax, 5', '83C005'],
    ['add al, 5', '0405'],
    ['add ax, 300', '052C01'],
    ['add bx, 300', '81C32C01'],
    ['add ax, 0xFFFF', '83C0FF'],
    ['add word [bx], byte 5', '830705'],
    ['add [bx], byte 5', '800705'],
    ['mov ax, bx', '89D8'],
    ['mov ax, [bx]', '8B07'],
    ['mov ax, [0x1234]', 'A13412'],
    ['mov al, [es:0x1234]', '26A03412'],
    ['mov [bp], al', '884600'],
    ['mov al, [bx+si-0]', '8A00'],
    ['mov es, ax', '8EC0'],
    ['mov [bx], ds', '8C1F'],
    ['mov word [bx], 5', 'C7070500'],
    ['mov bx, 5', 'BB0500'],
    ['xchg al, bl', '86C3'],
    ['xchg bx, ax', '93'],
    ['xchg ax, ax', '90'],
    ['test ax, bx', '85D8'],
    ['test ax, 1', 'A90100'],
    ['inc ax', '40'],
    ['inc byte [bx]', 'FE07'],
    ['push 5', '6A05'],
    ['push 0x1234', '683412'],
    ['push strict word 5', '680500'],
    ['push es', '06'],
    ['push fs', '0FA0'],
    ['pop word [bx]', '8F07'],
    ['int 3', 'CD03'],
    ['int3', 'CC'],
    ['ret 4', 'C20400'],
    ['jmp bx', 'FFE3'],
    ['call [bx]', 'FF17'],
    ['in al, dx', 'EC'],
    ['out 0x80, ax', 'E780'],
    ['rep movsb', 'F3A4'],
    ['rep es movsb', 'F326A4'],
    ['movsd', '66A5'],
    ['mov eax, 5', '66B805000000'],
    ['jmp 0xF000:0xFFF0', 'EAF0FF00F0'],
    ['lea ax, [bx+si+4]', '8D4004'],
  ])('%s -> %s', (src, expected) => {
    expect(hex(src)).toBe(expected);
  });

  it('takes ARPL with word operands only, adding 66 only for an explicit o16/o32', () => {
    const bytes = (bits: number, src: string) => {
      const out = assemble(`bits ${bits}\n${src}`);
      return out.ok
        ? Buffer.from(out.bytes).toString('hex').toUpperCase()
        : out.diagnostics[0]?.message;
    };
    expect(bytes(16, 'arpl ax, bx\narpl [bx+si], dx\narpl word [eax], cx')).toBe('63D86310676308');
    expect(bytes(32, 'arpl ax, bx\narpl [bx+si], dx\narpl word [eax], cx')).toBe('63D86763106308');
    expect(bytes(16, 'o32 arpl ax, bx\no16 arpl ax, bx')).toBe('6663D863D8');
    expect(bytes(32, 'o32 arpl ax, bx\no16 arpl ax, bx')).toBe('63D86663D8');
    for (const bad of ['arpl eax, ebx', 'arpl ax, ebx', 'arpl [eax], ecx', 'arpl cx, [bx]'])
      expect(bytes(32, bad), bad).toBe('invalid combination of opcode and operands');
    for (const bad of ['arpl dword [eax], cx', 'arpl byte [bx], cx', 'arpl far [eax], cx'])
      expect(bytes(16, bad), bad).toBe('mismatch in operand sizes');
  });

  it.each([
    ['mov dword [bx], cx', 'mismatch in operand sizes'],
    ['add ax, dword 5', 'mismatch in operand sizes'],
    ['mov word [bx], byte 5', 'mismatch in operand sizes'],
    ['sldt byte [bx]', 'mismatch in operand sizes'],
    ['jmp byte [bx]', 'mismatch in operand sizes'],
    ['mov ax, far [bx]', 'mismatch in operand sizes'],
    ['movzx ax, dword [bx]', 'mismatch in operand sizes'],
    ['movzx eax, dword [bx]', 'invalid combination of opcode and operands'],
    ['push byte [bx]', 'invalid combination of opcode and operands'],
    ['bts byte [bx], 1', 'invalid combination of opcode and operands'],
    ['inc far [bx]', 'invalid combination of opcode and operands'],
    ['arpl dword [bx], ecx', 'invalid combination of opcode and operands'],
  ])('rejects %s as nasm does: %s', (src, message) => {
    expect(assemble(`bits 16\n${src}`).diagnostics.map((d) => d.message)).toEqual([message]);
  });

  it('relaxes jumps: short when in range, near otherwise, across passes', () => {
    expect(hex('jmp fwd\nfwd: nop')).toBe('EB0090');
    expect(hex('jmp fwd\ntimes 200 nop\nfwd: nop').slice(0, 6)).toBe('E9C800');
    expect(hex('jz fwd\ntimes 200 nop\nfwd: nop').slice(0, 8)).toBe('0F84C800');
    expect(hex('back: times 126 nop\njmp back').slice(-4)).toBe('EB80');
    expect(hex('back: times 127 nop\njmp back').slice(-6)).toBe('E97EFF');
  });

  it('chooses imm8 forms for forward references that turn out small', () => {
    expect(hex('add ax, later\nlater equ 3')).toBe('83C003');
    expect(hex('add ax, later\nlater equ 300')).toBe('052C01');
  });
});

describe('directives', () => {
  it('db, dw, dd, dq with numbers, strings and character constants', () => {
    expect(hex("db 1, -1, 'ab', \"c\", 'a'+1")).toBe('01FF61626362');
    expect(hex("dw 0x1234, 'abc', 'ab'")).toBe('3412616263006162');
    expect(hex('dd 0x12345678\ndq -2')).toBe('78563412FEFFFFFFFFFFFFFF');
    expect(hex('db `a\\tb\\0`')).toBe('61096200');
  });

  it('org, $, $$, times and labels', () => {
    const out = assemble(
      'org 0x7C00\nstart: dw $, $$\n.a: times 2 db $-$$\ndw .a\nend: dw start.a',
    );
    expect(out.origin).toBe(0x7c00);
    expect(Buffer.from(out.bytes).toString('hex')).toBe('007c007c0404047c047c');
    expect(out.symbols).toEqual([
      { name: 'start', value: 0x7c00 },
      { name: 'start.a', value: 0x7c04 },
      { name: 'end', value: 0x7c08 },
    ]);
  });

  it('equ, also with forward references, appears among the symbols', () => {
    const out = assemble('A equ B + 1\nB equ 0x10\nmov ax, A');
    expect(Buffer.from(out.bytes).toString('hex')).toBe('b81100');
    expect(out.symbols).toEqual([
      { name: 'A', value: 0x11 },
      { name: 'B', value: 0x10 },
    ]);
  });

  it('pads a boot sector to 510 bytes plus the signature', () => {
    const out = assemble('org 0x7C00\njmp $\ntimes 510-($-$$) db 0\ndw 0xAA55');
    expect(out.bytes.length).toBe(512);
    expect([out.bytes[510], out.bytes[511]]).toEqual([0x55, 0xaa]);
  });

  it('accepts bits 16 in every spelling, align, resb and section .text', () => {
    expect(hex('[bits 16]\nuse16\nsection .text\nnop\nalign 4\nresb 2\nret')).toBe(
      '90909090' + '0000C3',
    );
  });

  it('builds a source map of the first address of each emitting line', () => {
    const out = assemble('org 0x100\nnop\n\nlabel: ; comment\nmov ax, 1\ndb 1, 2');
    expect(out.sourceMap).toEqual([
      { address: 0x100, line: 2, file: 'input.asm' },
      { address: 0x101, line: 5, file: 'input.asm' },
      { address: 0x104, line: 6, file: 'input.asm' },
    ]);
  });
});

describe('diagnostics', () => {
  it('reports every error of a run with file, line and column span', () => {
    const src = [
      'bits 16',
      'mov ax, undefined_sym',
      'foo bar',
      'mov ax, bl',
      'inc [bx]',
      'times -5 db 0',
      'mov ax, [bx+bx]',
      'mov ax, (1',
      'mov ax, 1/0',
      'loop far_away',
      'times 200 nop',
      'far_away:',
      'far_away:',
    ].join('\n');
    expect(errors(src)).toEqual([
      "boot.asm:2:9-22: symbol `undefined_sym' not defined",
      'boot.asm:3:1-4: parser: instruction expected',
      'boot.asm:4:1-11: invalid combination of opcode and operands',
      'boot.asm:5:1-9: operation size not specified',
      'boot.asm:6:7-9: TIMES value -5 is negative',
      'boot.asm:7:9-16: invalid effective address',
      "boot.asm:8:11-11: expecting `)'",
      'boot.asm:9:9-12: division by zero',
      'boot.asm:10:6-14: short jump is out of range',
      "boot.asm:13:1-9: label `far_away' inconsistently redefined",
    ]);
  });

  it('warns on data that does not fit and on a label alone without a colon', () => {
    const out = assemble('db 300\nmov al, 0x1FF\nlonely');
    expect(out.ok).toBe(true);
    expect(out.diagnostics.map((d) => `${d.line}: ${d.severity}: ${d.message}`)).toEqual([
      '1: warning: byte data exceeds bounds',
      '2: warning: byte data exceeds bounds',
      '3: warning: label alone on a line without a colon might be in error',
    ]);
  });

  it('ignores a size word that contradicts a register, warning as nasm does', () => {
    const out = assemble(
      'bits 32\nmov [eax], dword cx\ninc word eax\nout dx, word al\nmov eax, dword ebx',
    );
    expect(out.ok).toBe(true);
    expect(Buffer.from(out.bytes).toString('hex')).toBe('66890840ee89d8');
    expect(out.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`)).toEqual([
      '2:12: invalid register size specification ignored',
      '3:5: invalid register size specification ignored',
      '4:9: invalid register size specification ignored',
    ]);
  });

  it('words size errors as nasm does, and says the CPU has no FPU for x87 mnemonics', () => {
    const src = [
      'bits 16',
      'lgdt word [bx]',
      'lds ax, dword [bx]',
      'push qword [bx]',
      'mov ax, qword [bx]',
      'movzx eax, [bx]',
      'fninit',
      'lea ax, dword [bx]',
      'cmpxchg8b qword [bx]',
    ].join('\n');
    expect(errors(src).map((e) => e.replace(/^boot\.asm:(\d+):.*?: /, '$1: '))).toEqual([
      '2: mismatch in operand sizes',
      '3: mismatch in operand sizes',
      '4: instruction not supported in 16-bit mode',
      '5: mismatch in operand sizes',
      '6: operation size not specified',
      "7: x87 instruction `fninit' is not supported: vmlab's CPU has no FPU (its opcodes raise #NM or #UD); write the bytes with db",
    ]);
  });

  it('gives clear errors for what a flat binary cannot do and for preprocessor mistakes', () => {
    const src = [
      'mov ax, seg x',
      'mov ax, x wrt y',
      'bits 64',
      'common x 4',
      '%bogus',
      'section .data foo',
      "incbin 'nofile'",
      "%include 'nofile'",
      '%error oops',
      '%if',
      '%endif',
      '%endif',
      '%macro m 1',
      'nop',
      '%endmacro',
      'm 1, 2',
      'x:',
    ].join('\n');
    expect(errors(src)).toEqual([
      'boot.asm:1:9-12: SEG is not supported: binary output format does not support segment base references',
      'boot.asm:2:11-14: WRT is not supported in flat binary output',
      'boot.asm:3:6-8: BITS 64 is not supported: vmlab models a 32-bit CPU',
      "boot.asm:4:1-7: 'common' is not supported yet",
      "boot.asm:5:1-7: unknown preprocessor directive `%bogus'",
      "boot.asm:6:15-18: unknown section attribute 'foo'",
      "boot.asm:7:1-16: unable to open file `nofile'",
      "boot.asm:8:1-9: unable to open include file `nofile'",
      'boot.asm:9:1-7: oops',
      "boot.asm:10:1-4: expression syntax error in `%if'",
      "boot.asm:12:1-7: `%endif': no matching `%if'",
      "boot.asm:16:1-1: macro `m' exists, but not taking 2 parameters",
    ]);
  });

  it('reports unterminated strings, missing brackets and junk after operands', () => {
    expect(errors("db 'abc\nmov ax, [bx\nmov ax bx\norg 5\norg 6\nmov ax, [eax+ax]")).toEqual([
      "boot.asm:1:4-8: unterminated string (missing `'')",
      'boot.asm:2:12-12: expecting ] at end of memory operand',
      'boot.asm:3:8-10: comma, colon, decorator or end of line expected after operand',
      'boot.asm:5:1-4: program origin redefined',
      'boot.asm:6:9-17: invalid effective address',
    ]);
  });

  it('reads %include and incbin files through the readFile option', () => {
    const files: Record<string, string | Uint8Array> = {
      'defs.inc': 'VALUE equ 0x1234\n%macro twice 1\n%1\n%1\n%endmacro\n',
      'blob.bin': Uint8Array.from([1, 2, 3, 4, 5]),
    };
    const out = assemble('%include "defs.inc"\nmov ax, VALUE\ntwice nop\nincbin "blob.bin", 1, 3', {
      fileName: 'main.asm',
      readFile: (name) => files[name],
    });
    expect(out.diagnostics).toEqual([]);
    expect(Buffer.from(out.bytes).toString('hex')).toBe('b834129090020304');
    const bad = assemble('%include "defs.inc"\nmov ax, 1/0', {
      readFile: (n) => (n === 'defs.inc' ? 'nop\nmov al, bx' : undefined),
    });
    expect(bad.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual([
      'input.asm:2',
      'defs.inc:2',
    ]);
  });

  it('produces no bytes when there are errors, and an empty source is fine', () => {
    const bad = assemble('nop\nbogus bogus');
    expect([bad.ok, bad.bytes.length]).toEqual([false, 0]);
    const empty = assemble('');
    expect([empty.ok, empty.bytes.length, empty.diagnostics]).toEqual([true, 0, []]);
  });

  it('refuses output larger than 16 MiB instead of exhausting memory', () => {
    expect(errors('times 0x7FFFFFFF dd 0')).toEqual([
      'boot.asm:1:7-17: output would exceed 16777216 bytes',
    ]);
  });
});
