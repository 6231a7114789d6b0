; struc/endstruc/istruc/at/iend and absolute, as in a GDT
bits 32
org 0x1000
struc gdt_entry
    .limit_low: resw 1
    .base_low:  resw 1
    .base_mid:  resb 1
    .access:    resb 1
    .gran:      resb 1
    .base_high: resb 1
endstruc
struc point, 4
    .x: resd 1
    .y: resd 1
endstruc
start:
    mov eax, gdt_entry_size
    mov ebx, [esi + gdt_entry.access]
    mov ecx, point.y
gdt:
    istruc gdt_entry
        at gdt_entry.limit_low, dw 0xFFFF
        at gdt_entry.access, db 0x9A
        at gdt_entry.gran, db 0xCF
    iend
    dd $
    push gdt_entry_size
absolute 0x500
bios_data: resb 16
.flags:    resw 1
section .text
    mov ax, [bios_data.flags]
