; sections in a flat binary: .text, .data, .bss and custom ones with align=, vstart=, follows=
bits 16
org 0x7C00
section .text
start:
    mov si, greeting
    mov di, buffer
    mov ax, [counter]
    mov bx, table_end - table
    mov cx, far_data
    call later
    jmp $
section .data
greeting: db 'hi', 0
counter:  dw 42
section .bss
buffer:   resb 16
flag:     resw 1
section .text
later:
    mov ax, flag
    ret
section .rodata align=16
table:    dw start, later, greeting
table_end:
section .high vstart=0x9000 align=8
far_data: dw $, $$
    mov ax, far_data
section .data
more:     db 1, 2, 3
    align 8
aligned:  db 4
