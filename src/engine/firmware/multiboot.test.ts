import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { createPcMachine } from '../machine/pc-machine';
import { multibootElf } from './multiboot-elf';

const KERNEL = `
    cmp eax, 0x2BADB002
    jne bad
    mov esi, [ebx + 16]         ; command line
.next:
    mov al, [esi]
    test al, al
    jz .done
    out 0xE9, al
    inc esi
    jmp .next
.done:
    mov eax, [ebx + 44]         ; mmap_length: 24 bytes an entry
    mov ecx, [ebx + 48]
    mov edx, [ecx + 4 + 24 * 3] ; base of the fourth entry (RAM above 1 MiB)
    cmp edx, 0x100000
    jne bad
    mov al, [ebx]               ; flags, low byte
    out 0xF4, al
bad:
    mov al, 0x77
    out 0xF4, al
`;

describe('Multiboot v1 loader', () => {
  it('loads an ELF32 kernel at its physical address and enters it as the spec says', () => {
    let debug = '';
    const m = createPcMachine({
      memoryMiB: 8,
      console: { write: (port, b) => (debug += port === 'debug' ? String.fromCharCode(b) : '') },
    });
    m.loadKernel(multibootElf(KERNEL, 4096), 'root=/dev/hda quiet');
    const s = m.saveState();
    expect(s.cpu.cr0 & 0x80000001).toBe(1); // protected mode, paging off
    expect([...s.cpu.seg]).toEqual([0x10, 0x08, 0x10, 0x10, 0x10, 0x10]);
    expect(s.cpu.regs[0]).toBe(0x2badb002);
    expect(m.run(100_000)).toEqual({ reason: 'exit', status: (0x45 << 1) | 1 });
    expect(debug).toBe('root=/dev/hda quiet');
  });

  it('refuses files without a Multiboot header', () => {
    const m = createPcMachine({ memoryMiB: 2, console: { write() {} } });
    expect(() => m.loadKernel(new Uint8Array(1024))).toThrow(/no Multiboot header/);
  });

  it('loads flat binaries at an address in real or protected mode', () => {
    const m = createPcMachine({ memoryMiB: 2, console: { write() {} } });
    const real = assemble('bits 16\nmov ax, cs\nout 0xF4, al').bytes;
    m.loadFlat(real, 0x12340, false);
    expect(m.run(10)).toEqual({ reason: 'exit', status: (0x34 << 1) | 1 });
    const pm = assemble(
      'bits 32\norg 0x200000\nmov eax, [here]\nout 0xF4, al\nhere: dd 0x55',
    ).bytes;
    const big = createPcMachine({ memoryMiB: 4, console: { write() {} } });
    big.loadFlat(pm, 0x200000, true);
    expect(big.run(10)).toEqual({ reason: 'exit', status: (0x55 << 1) | 1 });
  });
});
