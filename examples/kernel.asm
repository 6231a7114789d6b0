; kernel.asm: a small protected-mode kernel on a disk image. The boot sector loads it with
; int 13h; it enables A20, enters 32-bit protected mode, turns on paging, sets up the IDT, the
; 8259 PIC and the 8254 PIT, reads a sector with IDE PIO, and runs a ring-3 task that makes
; system calls with int 0x80. It prints on the VGA text screen and COM1, echoes typed keys,
; and after half a second of timer ticks reports and halts.
;
; Disk layout: sector 0 boot sector, sectors 1-15 kernel (loaded at 7E00h), sector 16 data.

bits 16
org 0x7C00

KERNEL_SECTORS  equ 15
DATA_LBA        equ 16
KERNEL_CS       equ 0x08
KERNEL_DS       equ 0x10
USER_CS         equ 0x18 | 3
USER_DS         equ 0x20 | 3
TSS_SEL         equ 0x28
KERNEL_STACK    equ 0x90000
USER_STACK      equ 0x80000
PAGE_DIR        equ 0x20000
PAGE_TABLE      equ 0x21000
IDT_BASE        equ 0x22000
BUFFER          equ 0x23000
VGA             equ 0xB8000
COM1            equ 0x3F8
TICKS_TO_RUN    equ 50          ; half a second at 100 Hz

; ---------------------------------------------------------------- boot sector (real mode)
boot:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    mov ah, 0x02                ; int 13h: read KERNEL_SECTORS sectors from CHS 0/0/2
    mov al, KERNEL_SECTORS
    mov cx, 0x0002
    xor dh, dh                  ; DL: the boot drive, as the BIOS passed it
    mov bx, kernel16
    int 0x13
    jc .fail
    jmp kernel16
.fail:
    mov si, disk_error
.print:
    lodsb
    test al, al
    jz .halt
    mov ah, 0x0E
    int 0x10
    jmp .print
.halt:
    hlt
    jmp .halt

disk_error: db 'disk read failed', 0

    times 510 - ($ - $$) db 0
    dw 0xAA55

; ---------------------------------------------------------------- kernel, 16-bit entry
kernel16:
    in al, 0x92                 ; fast A20
    or al, 0x02
    and al, 0xFE
    out 0x92, al
    lgdt [gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp KERNEL_CS:kernel32

bits 32
kernel32:
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, KERNEL_STACK
    call clear_screen
    mov esi, msg_pm
    call print

    ; Paging: one page table identity-maps the first 4 MiB, user-accessible.
    mov edi, PAGE_TABLE
    mov eax, 0x007              ; present, writable, user
    mov ecx, 1024
.map:
    stosd
    add eax, 0x1000
    loop .map
    mov dword [PAGE_DIR], PAGE_TABLE | 0x007
    mov edi, PAGE_DIR + 4
    xor eax, eax
    mov ecx, 1023
    rep stosd
    mov eax, PAGE_DIR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    mov esi, msg_paging
    call print

    ; IDT: every vector panics, then the timer, keyboard and system call gates.
    mov ebx, 0
.gates:
    mov eax, panic
    mov dx, 0x8E00
    call set_gate
    inc ebx
    cmp ebx, 256
    jb .gates
    mov ebx, 0x20
    mov eax, timer_irq
    call set_gate
    mov ebx, 0x21
    mov eax, keyboard_irq
    call set_gate
    mov ebx, 0x80
    mov eax, syscall
    mov dx, 0xEF00              ; trap gate, DPL 3: callable from ring 3
    call set_gate
    lidt [idtr]

    ; 8259: IRQ 0-7 at vectors 20h-27h, 8-15 at 28h-2Fh; only timer and keyboard unmasked.
    mov al, 0x11
    out 0x20, al
    out 0xA0, al
    mov al, 0x20
    out 0x21, al
    mov al, 0x28
    out 0xA1, al
    mov al, 0x04
    out 0x21, al
    mov al, 0x02
    out 0xA1, al
    mov al, 0x01
    out 0x21, al
    out 0xA1, al
    mov al, 0xFC
    out 0x21, al
    mov al, 0xFF
    out 0xA1, al
    ; 8254 channel 0 at 100 Hz.
    mov al, 0x34
    out 0x43, al
    mov ax, 11932
    out 0x40, al
    mov al, ah
    out 0x40, al
    mov esi, msg_idt
    call print

    ; IDE PIO: read the data sector (LBA28, primary master) by polling.
    mov dx, 0x1F6
    mov al, 0xE0
    out dx, al
    mov dx, 0x1F2
    mov al, 1
    out dx, al
    mov dx, 0x1F3
    mov al, DATA_LBA
    out dx, al
    mov dx, 0x1F4
    xor al, al
    out dx, al
    mov dx, 0x1F5
    out dx, al
    mov dx, 0x1F7
    mov al, 0x20                ; READ SECTORS
    out dx, al
.busy:
    in al, dx
    test al, 0x80
    jnz .busy
    test al, 0x08
    jz .busy
    mov dx, 0x1F0
    mov edi, BUFFER
    mov ecx, 256
    rep insw
    mov esi, msg_ide
    call print
    mov esi, BUFFER
    call print

    ; TSS: the stack ring 3 enters the kernel on.
    mov dword [tss + 4], KERNEL_STACK
    mov dword [tss + 8], KERNEL_DS
    mov ax, TSS_SEL
    ltr ax
    sti

    ; Drop to ring 3.
    mov ax, USER_DS
    mov ds, ax
    mov es, ax
    push USER_DS
    push USER_STACK
    pushfd
    push USER_CS
    push user_task
    iretd

; The kernel's idle loop after the task exits: sleep, echo keys, report after the ticks.
idle:
    hlt
    cmp dword [ticks], TICKS_TO_RUN
    jb idle
    cli
    mov esi, msg_done
    call print
.halt:
    hlt
    jmp .halt

; Sets IDT gate EBX to handler EAX in the kernel code segment with type/DPL word DX.
set_gate:
    lea edi, [IDT_BASE + ebx * 8]
    mov [edi], ax
    mov word [edi + 2], KERNEL_CS
    mov [edi + 4], dx
    shr eax, 16
    mov [edi + 6], ax
    ret

; ---------------------------------------------------------------- interrupt handlers
timer_irq:
    push eax
    inc dword [ticks]
    mov al, 0x20
    out 0x20, al
    pop eax
    iretd

keyboard_irq:
    pushad
    in al, 0x60
    test al, 0x80               ; key releases are ignored
    jnz .eoi
    movzx eax, al
    cmp eax, keymap_end - keymap
    jae .eoi
    mov al, [keymap + eax]
    test al, al
    jz .eoi
    call putc
.eoi:
    mov al, 0x20
    out 0x20, al
    popad
    iretd

panic:
    mov esi, msg_panic
    call print
.halt:
    cli
    hlt
    jmp .halt

; int 0x80: EAX=1 write the string at EBX, EAX=2 exit the task.
syscall:
    cmp eax, 1
    je .write
    cmp eax, 2
    je .exit
    iretd
.write:
    pushad
    mov esi, ebx
    call print
    popad
    iretd
.exit:
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    mov esp, KERNEL_STACK       ; the task is gone: drop its frame
    mov esi, msg_exit
    call print
    sti
    jmp idle

; ---------------------------------------------------------------- ring 3
user_task:
    mov eax, 1
    mov ebx, msg_user
    int 0x80
    mov eax, 2
    int 0x80
.never:
    jmp .never

; ---------------------------------------------------------------- console
clear_screen:
    mov edi, VGA
    mov eax, 0x07200720
    mov ecx, 80 * 25 / 2
    rep stosd
    mov dword [cursor], 0
    ret

; Prints the zero-terminated string at ESI.
print:
    lodsb
    test al, al
    jz .end
    call putc
    jmp print
.end:
    ret

; Prints the character in AL on the screen (LF starts a new line) and on COM1 (LF as CR LF).
putc:
    push eax
    push edx
    push ebx
    mov bl, al
    cmp al, 10
    jne .plain
    mov al, 13
    call serial_out
    mov al, 10
    call serial_out
    mov eax, [cursor]
    xor edx, edx
    mov ecx, 80
    div ecx
    inc eax
    imul eax, eax, 80
    mov [cursor], eax
    jmp .cursor
.plain:
    call serial_out
    mov eax, [cursor]
    mov byte [VGA + eax * 2], bl
    mov byte [VGA + eax * 2 + 1], 0x07
    inc dword [cursor]
.cursor:
    mov ebx, [cursor]           ; move the hardware cursor (CRTC 0Eh/0Fh)
    mov dx, 0x3D4
    mov al, 0x0F
    out dx, al
    inc dx
    mov al, bl
    out dx, al
    dec dx
    mov al, 0x0E
    out dx, al
    inc dx
    mov al, bh
    out dx, al
    pop ebx
    pop edx
    pop eax
    ret

serial_out:
    push edx
    push eax
    mov dx, COM1 + 5
.busy:
    in al, dx
    test al, 0x20
    jz .busy
    pop eax
    mov dx, COM1
    out dx, al
    pop edx
    ret

; ---------------------------------------------------------------- data
msg_pm:     db 'vmlab kernel: 32-bit protected mode', 10, 0
msg_paging: db 'paging on: first 4 MiB identity-mapped', 10, 0
msg_idt:    db 'IDT, PIC (vectors 20h-2Fh) and PIT (100 Hz) set up', 10, 0
msg_ide:    db 'IDE sector 16: ', 0
msg_user:   db 'ring 3: hello through int 0x80', 10, 0
msg_exit:   db 'task exited; type keys, they echo here', 10, 0
msg_done:   db 10, 'half a second of timer ticks: halting', 10, 0
msg_panic:  db 10, 'kernel panic: unexpected exception', 10, 0

; Scancode set 1 to ASCII, unshifted.
keymap:     db 0, 27, '1234567890-=', 8, 9, 'qwertyuiop[]', 10, 0, "asdfghjkl;'`", 0, '\zxcvbnm,./', 0, '*', 0, ' '
keymap_end:

cursor:     dd 0
ticks:      dd 0

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; 08h kernel code
    dq 0x00CF92000000FFFF       ; 10h kernel data
    dq 0x00CFFA000000FFFF       ; 18h user code (DPL 3)
    dq 0x00CFF2000000FFFF       ; 20h user data (DPL 3)
    dw 103, tss                 ; 28h TSS (its base is below 64 KiB)
    db 0, 0x89, 0, 0
gdt_end:
gdtr:
    dw gdt_end - gdt - 1
    dd gdt
idtr:
    dw 256 * 8 - 1
    dd IDT_BASE
tss:
    times 104 db 0

    times 512 * DATA_LBA - ($ - $$) db 0
    db 'read with IDE PIO', 10, 0
    times 512 * (DATA_LBA + 1) - ($ - $$) db 0
