import { describe, expect, it } from 'vitest';
import { instructionHelp, registerHelp } from './instruction-help';
import { MNEMONIC_FORMS } from './mnemonics.generated';
import {
  completionsAt,
  definitionAt,
  documentSymbols,
  hoverAt,
  indexSymbols,
  REGISTERS,
  referencesAt,
} from './nasm-symbols';

const SRC = `bits 16
org 0x7C00
COUNT equ 5
%macro print 1
    mov si, %1
%endmacro
start:
    mov cx, COUNT
.loop:
    dec cx
    jnz .loop
    print msg
    jmp start
msg: db 'hi', 0 ; start in a comment
other:
.loop: nop
`;

describe("the editor's symbol index", () => {
  it('finds labels, local labels, constants and macros', () => {
    const defs = indexSymbols(SRC).defs.map((d) => `${d.kind}:${d.name}@${d.line}:${d.col}`);
    expect(defs).toEqual([
      'constant:COUNT@3:1',
      'macro:print@4:8',
      'label:start@7:1',
      'local:start.loop@9:1',
      'label:msg@14:1',
      'label:other@15:1',
      'local:other.loop@16:1',
    ]);
  });

  it('treats a struc name as a label and its fields as local labels', () => {
    const src = 'struc point\n.x: resd 1\n.y: resd 1\nendstruc\nmov eax, [esi + point.y]\n';
    expect(definitionAt(src, 5, 23)).toMatchObject({ name: 'point.y', line: 3 });
    expect(
      documentSymbols(src).map((d) => `${d.text}[${d.children.map((c) => c.text).join(',')}]`),
    ).toEqual(['point[.x,.y]']);
  });

  it('goes to the definition of labels, local labels and macros', () => {
    expect(definitionAt(SRC, 11, 10)).toMatchObject({ name: 'start.loop', line: 9 });
    expect(definitionAt(SRC, 13, 10)).toMatchObject({ name: 'start', line: 7 });
    expect(definitionAt(SRC, 12, 6)).toMatchObject({ name: 'print', kind: 'macro', line: 4 });
    expect(definitionAt(SRC, 8, 15)).toMatchObject({ name: 'COUNT', line: 3 });
    expect(definitionAt(SRC, 10, 5)).toBeNull();
  });

  it('finds references, not in strings or comments, and tells local labels apart', () => {
    expect(referencesAt(SRC, 7, 2).map((s) => s.line)).toEqual([7, 13]);
    expect(referencesAt(SRC, 9, 2).map((s) => s.line)).toEqual([9, 11]);
    expect(referencesAt(SRC, 16, 2).map((s) => s.line)).toEqual([16]);
    expect(referencesAt(SRC, 7, 2, false).map((s) => s.line)).toEqual([13]);
  });

  it('outlines labels with their local labels as children', () => {
    const outline = documentSymbols(SRC).map(
      (d) => `${d.text}[${d.children.map((c) => c.text).join(',')}]`,
    );
    expect(outline).toEqual(['COUNT[]', 'print[]', 'start[.loop]', 'msg[]', 'other[.loop]']);
  });

  it('hovers mnemonics with summary, operands and flags, and registers and labels', () => {
    const h = hoverAt(SRC, 10, 6)!;
    expect(h.markdown).toContain('**DEC**: Decrement by 1');
    expect(h.markdown).toContain('`dec r/m8`');
    expect(h.markdown).toContain('Flags: OF SF ZF AF PF');
    expect(hoverAt(SRC, 8, 10)!.markdown).toContain('Count register');
    expect(hoverAt(SRC, 13, 10)!.markdown).toContain('**start**: label, line 7');
    expect(hoverAt(SRC, 1, 50)).toBeNull();
  });

  it('completes mnemonics, registers, directives, labels and macros', () => {
    const text = `${SRC}    mo`;
    const labels = completionsAt(text, 17, 7).map((c) => c.label);
    expect(labels).toContain('mov');
    expect(labels).toContain('movzx');
    const st = completionsAt(`${SRC}    jmp st`, 17, 11);
    expect(st[0]).toMatchObject({ label: 'start', kind: 'label' });
    expect(st.map((c) => c.label)).toContain('sti');
    expect(completionsAt(`${SRC}    mov e`, 17, 10).map((c) => c.label)).toContain('eax');
    expect(completionsAt(`${SRC}%inc`, 17, 5).map((c) => c.label)).toEqual(['%include']);
    expect(completionsAt(`${SRC}    pri`, 17, 8).map((c) => c.kind)).toContain('macro');
  });
});

describe('help data', () => {
  it('has a summary for every mnemonic of the opcode table and every register', () => {
    const missing = Object.keys(MNEMONIC_FORMS).filter((m) => !instructionHelp(m));
    expect(missing).toEqual([]);
    // corpus.test.ts (engine) checks that mnemonics.generated.ts matches the opcode table.
    expect(Object.keys(MNEMONIC_FORMS).length).toBeGreaterThan(200);
    expect(REGISTERS.filter((r) => !registerHelp(r))).toEqual([]);
  });
});
