; timer.asm: a timer demo. Programs the 8259 PIC pair (IRQs at vectors 20h-2Fh) and channel 0
; of the 8254 PIT (100 Hz), counts IRQ 0 in an interrupt handler, and sleeps with HLT between
; ticks, printing a line on the screen and COM1 every 25 ticks (a quarter of a second).

bits 16
org 0x7C00

PIC1_CMD    equ 0x20
PIC1_DATA   equ 0x21
PIC2_CMD    equ 0xA0
PIC2_DATA   equ 0xA1
PIT_CH0     equ 0x40
PIT_CMD     equ 0x43
PIT_HZ      equ 1193182         ; the PIT's input clock
RATE        equ 100             ; interrupts per second
IRQ_BASE    equ 0x20            ; vector of IRQ 0 after remapping
COM1        equ 0x3F8
COM1_LSR    equ COM1 + 5
LSR_THRE    equ 0x20
REPORTS     equ 4

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    cld
    mov ax, 0x0003              ; BIOS: 80x25 colour text mode, screen cleared
    int 0x10

    ; 8259 initialisation: ICW1 (edge-triggered, cascade, ICW4 follows), ICW2 (vector base),
    ; ICW3 (slave on IR2), ICW4 (8086 mode), then OCW1 masks everything but IRQ 0.
    mov al, 0x11
    out PIC1_CMD, al
    out PIC2_CMD, al
    mov al, IRQ_BASE
    out PIC1_DATA, al
    mov al, IRQ_BASE + 8
    out PIC2_DATA, al
    mov al, 0x04
    out PIC1_DATA, al
    mov al, 0x02
    out PIC2_DATA, al
    mov al, 0x01
    out PIC1_DATA, al
    out PIC2_DATA, al
    mov al, 0xFE
    out PIC1_DATA, al
    mov al, 0xFF
    out PIC2_DATA, al

    ; The handler goes into the real-mode interrupt vector table.
    mov word [IRQ_BASE * 4], timer_irq
    mov word [IRQ_BASE * 4 + 2], 0

    ; 8254 channel 0: LSB then MSB, mode 2 (rate generator), binary count.
    mov al, 0x34
    out PIT_CMD, al
    mov ax, PIT_HZ / RATE
    out PIT_CH0, al
    mov al, ah
    out PIT_CH0, al

    mov si, banner
    call print
    sti

.wait:
    hlt                         ; sleep until the next interrupt
    mov ax, [ticks]
    cmp ax, [next_report]
    jb .wait
    add word [next_report], RATE / 4
    inc byte [digit]
    mov si, tick_line
    call print
    cmp byte [digit], '0' + REPORTS
    jb .wait

    cli
    mov si, done_line
    call print
.halt:
    hlt                         ; interrupts off: the run is over
    jmp .halt

; IRQ 0: count the tick and acknowledge it with a non-specific EOI.
timer_irq:
    push ax
    inc word [cs:ticks]
    mov al, 0x20
    out PIC1_CMD, al
    pop ax
    iret

; Prints the zero-terminated string at DS:SI on the screen (BIOS teletype) and on COM1.
print:
    lodsb
    test al, al
    jz .end
    mov ah, 0x0E
    mov bx, 0x0007
    int 0x10
    mov ah, al
    mov dx, COM1_LSR
.busy:
    in al, dx
    test al, LSR_THRE
    jz .busy
    mov al, ah
    mov dx, COM1
    out dx, al
    jmp print
.end:
    ret

ticks:       dw 0
next_report: dw RATE / 4
banner:      db 'PIT at 100 Hz, IRQ 0 at vector 20h', 13, 10, 0
tick_line:   db 'tick '
digit:       db '0', 13, 10, 0
done_line:   db 'done', 13, 10, 0

    times 510 - ($ - $$) db 0
    dw 0xAA55
