; what nasm -l shows besides bytes: [addresses], (jump targets), <rep>, <bin>, <res>, and where warnings go
bits 16
org 0x100
start:
    mov ax, start
    mov ax, [start]
    mov al, [bx+start]
    mov al, [byte bx+start]
    mov ax, start+3
    mov ax, later-start
    push start
    jmp start
    call later
    jmp 0x1234:start
    jmp far [start]
    call 0:0x10
    jmp 0x120
    jz 0x120
    jmp short 0x120
    loop 0x120
    jmp later2
    jmp $+5
    dd start
    dw start, $
    db start-$$, start
    dq start
    dd start, start+4, 7
    dw 1, 2, 3, 4, start
    db 'ab', start
    times 3 dw start
    times 2 dw start, 1, 2, 3, 4, 5, 6, 7
    times 3 db 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    times 300 db 0
    incbin "preprocessor.inc"
    incbin "preprocessor.inc", 2, 3
    incbin "preprocessor.inc", 0, 0
    times 2 incbin "preprocessor.inc", 0, 2
    resb 20
    resw 3
    times 3 resb 4
    add bx, start
    imul ax, bx, start
    mov word [start], start
    mov ecx, [ebx+start]
    mov eax, [start+ebx*4]
    db 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 300, 1
    dw 70000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    db 1, 2, 3, 4, 5, 6, 7, 8, 9, 300, 11
    push word 0x12345
%warning a user warning, listed under its line
%macro warns 0
    %warning from a macro body
    db 300
%endmacro
    warns
lonely
x equ start+2
    mov ax, x
    dd x, buf
later:
section .data
later2: dw start, later2
    jmp start
    call start
    jmp short later2
    mov ax, later2
bits 32
    mov eax, later2
    jmp start
    push later2
section .bss
    resb 20
    resw 1
buf: resb 1
