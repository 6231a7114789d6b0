; External interrupts in protected mode: the PIT's IRQ 0 through the 8259 (remapped to 20h)
; wakes HLT at CPL 0, interrupts CPL-3 code through an interrupt gate (ring transition on the
; TSS stack) and returns with IRET; CLI holds it off; an NMI-free run ends by the exit port.
%include "pm-kit.inc"

test_main:
    PRINTLN 'interrupts'
    ; IDT 20h: interrupt gate, DPL 0, to irq0.
    mov eax, irq0
    mov edi, idt + 0x20 * 8
    mov word [edi], ax
    mov word [edi + 2], SEL_CODE0
    mov word [edi + 4], 0x8e00
    shr eax, 16
    mov word [edi + 6], ax
    ; 8259 pair: vectors 20h-2Fh, only IRQ 0 unmasked.
    mov al, 0x11
    out 0x20, al
    out 0xa0, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x28
    out 0xa1, al
    mov al, 4
    out 0x21, al
    mov al, 2
    out 0xa1, al
    mov al, 1
    out 0x21, al
    out 0xa1, al
    mov al, 0xfe
    out 0x21, al
    mov al, 0xff
    out 0xa1, al
    ; 8254 channel 0, mode 2, about 1 kHz.
    mov al, 0x34
    out 0x43, al
    mov al, 1193 & 0xff
    out 0x40, al
    mov al, 1193 >> 8
    out 0x40, al
    ; HLT with IF = 1 waits for the next tick; STI's shadow covers the HLT.
    mov ecx, 3
.wait:
    mov ebx, [ticks]
    sti
    hlt
    cli
    cmp [ticks], ebx
    je hlt_spurious
    PRINTLN 'woke from hlt by irq 0'
    loop .wait
    ; With IF = 0 no tick arrives: the count stays put over a busy loop.
    mov ebx, [ticks]
    mov ecx, 200000
.busy:
    loop .busy
    cmp [ticks], ebx
    jne irq_leak
    PRINTLN 'cli holds irq 0 off'
    ; At CPL 3 with IF = 1 a tick interrupts the user loop and returns to it.
    mov dword [seen_user], 0
    pushfd
    or dword [esp], 0x200
    popfd
    SET_RESUME user_done
    RING3 user_loop
user_done:
    cli
    EXIT
hlt_spurious:
    PRINTLN 'hlt ended without a tick'
    EXIT
irq_leak:
    PRINTLN 'tick with IF = 0'
    EXIT

user_loop:
    cmp dword [seen_user], 0
    je user_loop
    PRINTLN 'back in the ring-3 loop after the interrupt'
    int 0x82

irq0:
    push eax
    push ds
    mov ax, SEL_DATA0
    mov ds, ax
    inc dword [ticks]
    test byte [esp + 12], 3          ; CS of the interrupted code (after EAX, DS, EIP)
    jz .eoi
    cmp dword [seen_user], 0
    jne .eoi
    mov dword [seen_user], 1
    PRINT 'irq 0 from cpl 3, handler esp='
    lea eax, [esp + 8]
    call print_hex32
    PRINT {10}
.eoi:
    mov al, 0x20
    out 0x20, al
    pop ds
    pop eax
    iretd

ticks: dd 0
seen_user: dd 0

KIT_END
