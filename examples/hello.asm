; hello.asm: a boot sector that greets on the screen (BIOS teletype) and on COM1.
; Assemble with `nasm -f bin hello.asm` or vmlab's assembler; the BIOS loads it at 0000:7C00.

bits 16
org 0x7C00

COM1        equ 0x3F8           ; 16550 UART base port
COM1_LSR    equ COM1 + 5        ; line status register
LSR_THRE    equ 0x20            ; transmitter holding register empty

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
    call print_screen
    mov si, message
    call print_serial

.done:
    cli                         ; interrupts off and halted: the run is over
    hlt
    jmp .done

; Prints the zero-terminated string at DS:SI with the BIOS teletype service.
print_screen:
    mov ah, 0x0E
    mov bx, 0x0007              ; page 0, light grey
.next:
    lodsb
    test al, al
    jz .end
    int 0x10
    jmp .next
.end:
    ret

; Sends the zero-terminated string at DS:SI to COM1, waiting until the transmitter is ready.
print_serial:
    lodsb
    test al, al
    jz .end
    mov ah, al
    mov dx, COM1_LSR
.wait:
    in al, dx
    test al, LSR_THRE
    jz .wait
    mov al, ah
    mov dx, COM1
    out dx, al
    jmp print_serial
.end:
    ret

message:
    db 'Hello from vmlab!', 13, 10, 0

    times 510 - ($ - $$) db 0
    dw 0xAA55
