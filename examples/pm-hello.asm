; pm-hello.asm: a boot sector that switches to 32-bit protected mode and greets on the VGA
; text screen (writing video memory directly) and on COM1.

bits 16
org 0x7C00

CODE_SEL    equ 0x08
DATA_SEL    equ 0x10
COM1        equ 0x3F8
COM1_LSR    equ COM1 + 5
LSR_THRE    equ 0x20
VGA_TEXT    equ 0xB8000
ATTR        equ 0x1F            ; white on blue

start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7C00
    mov ax, 0x0003              ; BIOS: 80x25 colour text mode, screen cleared
    int 0x10

    in al, 0x92                 ; fast A20 gate on
    or al, 0x02
    and al, 0xFE
    out 0x92, al

    lgdt [gdt_descriptor]
    mov eax, cr0
    or eax, 1                   ; CR0.PE
    mov cr0, eax
    jmp CODE_SEL:protected      ; far jump loads CS and flushes the prefetch queue

bits 32
protected:
    mov ax, DATA_SEL
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x90000

    mov esi, message
    mov edi, VGA_TEXT
.next:
    lodsb
    test al, al
    jz .done
    mov ah, ATTR
    stosw                       ; character and attribute into video memory
    mov bl, al
    mov dx, COM1_LSR
.busy:
    in al, dx
    test al, LSR_THRE
    jz .busy
    mov al, bl
    mov dx, COM1
    out dx, al
    jmp .next
.done:
    mov dx, COM1
    mov al, 13
    out dx, al
    mov al, 10
    out dx, al
.halt:
    hlt
    jmp .halt

message: db 'Hello from 32-bit protected mode!', 0

align 8
gdt:
    dq 0                        ; null descriptor
    dq 0x00CF9A000000FFFF       ; code: base 0, limit 4 GiB, 32-bit, execute/read
    dq 0x00CF92000000FFFF       ; data: base 0, limit 4 GiB, read/write
gdt_end:

gdt_descriptor:
    dw gdt_end - gdt - 1
    dd gdt

    times 510 - ($ - $$) db 0
    dw 0xAA55
