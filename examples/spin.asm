; spin.asm: prints a line, then spins forever in a tight loop (to test stopping a runaway guest).

bits 16
org 0x7C00

COM1        equ 0x3F8
COM1_LSR    equ COM1 + 5
LSR_THRE    equ 0x20

start:
    xor ax, ax
    mov ds, ax
    mov si, message
.next:
    mov al, [si]
    inc si
    test al, al
    jz spin
    mov ah, 0x0E                ; BIOS teletype
    xor bx, bx
    int 0x10
    mov ah, al
    mov dx, COM1_LSR
.wait:
    in al, dx
    test al, LSR_THRE
    jz .wait
    mov al, ah
    mov dx, COM1
    out dx, al
    jmp .next

spin:
    inc cx                      ; busy work, so the loop is not just a jump to itself
    jmp spin

message:
    db 'Spinning forever; stop me.', 13, 10, 0

    times 510 - ($ - $$) db 0
    dw 0xAA55
