import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { createPcMachine } from './pc-machine';

/** Sets IDT gate `vector` to `handler` (a 32-bit interrupt gate in segment 08h). */
const gate = (vector: number, handler: string) => `
    mov eax, ${handler}
    mov [idt + ${vector * 8}], ax
    mov word [idt + ${vector * 8 + 2}], 0x08
    mov word [idt + ${vector * 8 + 4}], 0x8E00
    shr eax, 16
    mov [idt + ${vector * 8 + 6}], ax`;

const GUEST = `
bits 32
org 0x100000
    ${gate(0x40, 'lapic_isr')}
    ${gate(0x41, 'pit_isr')}
    lidt [idtr]
    mov al, 0xFF                ; both 8259s masked: everything comes through the APICs
    out 0x21, al
    out 0xA1, al
    mov dword [0xFEE000F0], 0x1FF       ; SVR: enable, spurious vector FFh
    mov dword [0xFEE003E0], 0xB         ; divide by 1
    mov dword [0xFEE00320], 0x20040     ; LVT timer: periodic, vector 40h
    mov dword [0xFEE00380], 1000        ; initial count
    mov dword [0xFEC00000], 0x14        ; I/O APIC redirection entry of pin 2 (ISA IRQ 0)
    mov dword [0xFEC00010], 0x41        ; edge, fixed, vector 41h, unmasked
    sti
wait:
    hlt
    cmp dword [pit_ticks], 2
    jb wait
    cli
    mov dword [0xFEE00320], 0x10040     ; mask the LAPIC timer
    mov eax, [lapic_ticks]
    out 0xE9, al
    mov al, [pit_ticks]
    out 0xF4, al
lapic_isr:
    inc dword [lapic_ticks]
    mov dword [0xFEE000B0], 0
    iretd
pit_isr:
    inc dword [pit_ticks]
    mov dword [0xFEE000B0], 0
    iretd
lapic_ticks: dd 0
pit_ticks: dd 0
idtr: dw 0x42 * 8 - 1
    dd idt
align 8
idt: times 0x42 dq 0
`;

describe('APIC interrupt routing in protected mode', () => {
  it('delivers the local APIC timer and PIT interrupts routed through the I/O APIC', () => {
    const out = assemble(GUEST);
    expect(out.ok).toBe(true);
    const debug: number[] = [];
    const m = createPcMachine({
      memoryMiB: 8,
      console: { write: (port, b) => (port === 'debug' ? debug.push(b) : 0) },
    });
    m.loadFlat(out.bytes, 0x100000, true);
    const r = m.run(5_000_000);
    expect(r).toEqual({ reason: 'exit', status: (2 << 1) | 1 });
    // Two 18.2 Hz PIT periods (~110 ms) of a 10 µs LAPIC timer: about 11,000 ticks (low byte).
    const stats = m.stats();
    expect(stats.devices.lapic!.timerInterrupts).toBeGreaterThan(10_000);
    expect(debug[0]).toBe(stats.devices.lapic!.timerInterrupts! & 0xff);
    expect(stats.devices.interrupts!['ioapic-pin2']).toBe(2);
  });
});
