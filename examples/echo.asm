; echo.asm: echoes COM1 input back, upper-casing letters, forever (polling the 16550's LSR).

bits 16
org 0x7C00

COM1        equ 0x3F8
COM1_LSR    equ COM1 + 5
LSR_DR      equ 0x01            ; receiver data ready
LSR_THRE    equ 0x20            ; transmitter holding register empty

start:
    xor ax, ax
    mov ds, ax
    mov si, banner
.banner:
    lodsb
    test al, al
    jz echo
    call send
    jmp .banner

echo:
    mov dx, COM1_LSR
.poll:
    in al, dx
    test al, LSR_DR
    jz .poll
    mov dx, COM1
    in al, dx                   ; read the received byte
    cmp al, 'a'
    jb .send
    cmp al, 'z'
    ja .send
    sub al, 'a' - 'A'           ; upper-case a letter
.send:
    call send
    cmp al, 13                  ; a carriage return also gets a line feed
    jne echo
    mov al, 10
    call send
    jmp echo

; Writes AL to COM1 once the transmitter is ready; keeps AX and DX.
send:
    push dx
    push ax
    mov dx, COM1_LSR
.wait:
    in al, dx
    test al, LSR_THRE
    jz .wait
    pop ax
    mov dx, COM1
    out dx, al
    pop dx
    ret

banner:
    db 'echo: type something', 13, 10, 0

    times 510 - ($ - $$) db 0
    dw 0xAA55
