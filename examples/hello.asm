; hello.asm: a boot sector that greets on the screen (BIOS teletype), COM1 and port 0xE9.
; Assemble with `nasm -f bin hello.asm` or vmlab's assembler; the BIOS loads it at 0000:7C00.

bits 16
org 0x7C00

COM1        equ 0x3F8           ; 16550 UART base port
COM1_LSR    equ COM1 + 5        ; line status register
LSR_THRE    equ 0x20            ; transmitter holding register empty
DEBUG_PORT  equ 0xE9            ; Bochs/QEMU debug console

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    sti
    cld

    mov si, message
.next:
    lodsb                       ; AL = next character
    test al, al
    jz .done
    call put_screen
    call put_serial
    out DEBUG_PORT, al
    jmp .next

.done:
    cli                         ; interrupts off and halted: the run is over
    hlt
    jmp .done

; Writes AL on the screen through the BIOS teletype service.
put_screen:
    push ax
    push bx
    mov ah, 0x0E
    mov bx, 0x0007              ; page 0, light grey
    int 0x10
    pop bx
    pop ax
    ret

; Writes AL to COM1, waiting until the transmitter is ready.
put_serial:
    push ax
    push dx
    mov ah, al
    mov dx, COM1_LSR
.wait:
    in al, dx
    test al, LSR_THRE
    jz .wait
    mov al, ah
    mov dx, COM1
    out dx, al
    pop dx
    pop ax
    ret

message:
    db 'Hello from vmlab!', 13, 10, 0

    times 510 - ($ - $$) db 0
    dw 0xAA55
