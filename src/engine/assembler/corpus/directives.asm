; directives and data in bits 16: every data form, times, align, $, $$, equ, labels
bits 16
org 0x7C00
start:
    jmp main
    nop
msg:    db 'Hello, "world"', 13, 10, 0
dq_str: db "it's", `tab\there\n`, `\x41\101\e\0`, 0
chars:  dw 'ab', "c", `d`
        dd 'abcd', 0x12345678, -1, start
        dq 0x123456789ABCDEF0, -2, 'abcdefgh'
        db 1, -1, 255, 0x7f, 0b1010, 0o17, 17q, 0FFh, $1F, 0x_FF, 1_000 & 0xff
        dw $, $$, $-$$, msg-start
vals    equ 0x1234
negv    equ -5
        dw vals, negv, vals >> 4, ~vals & 0xffff
.local: db 1
.other: dw .local, chars.local
..@special: db 2
        times 5 db 0xAA
        times 3 dw 1, 2
        times 2 nop
    align 8
        db 3
    align 4, db 0
        db 4
    alignb 2
        db 5
main:
    mov ax, vals
    mov bx, chars.other
    mov si, msg
    mov cx, fwd - main
    jmp fwd
    times 130 db 0
fwd:
    use32
    mov eax, fwd
    use16
    [bits 16]
    mov ax, 1
    resb 4
    resw 2
    resd 1
    resq 1
    times 510-($-$$) db 0
    dw 0xAA55
