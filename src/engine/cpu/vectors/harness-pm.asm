; Protected-mode differential-test harness ROM for Bochs and QEMU: switches to 32-bit protected
; mode with the GDT generate.mjs writes (gdt.inc, from gen-pm-layout.mjs), an IDT whose vector
; n stub records n and a TSS for the ring-0 stack, then runs the case records of cases.inc, one
; instruction each at CPL 0 or 3 in a 16- or 32-bit code segment, and prints the outcome on port
; 0xE9 (Intel SDM vol. 3A, 9.9 "Mode switching"; 6.12 "Exception and interrupt handling").
;
; Case record (CASE_SIZE bytes): code length (1), code (15), EAX..EDI (8 dwords), EFLAGS
; (dword), selectors ES CS SS DS FS GS (6 words), kind (bit 0: 32-bit code, bit 1: CPL 3, bit 2:
; paging, bit 3: CR0.WP, bit 4: landing page), the flags (P, R/W, U/S, A, D) of the PTEs of the window's page
; (1000h) and of the stack's lower page (6000h), a spare byte, memory window at 1000h (32
; bytes), stack window at 6FE0h (64 bytes). Paging maps the first 4 MiB onto themselves; only
; those two pages take the case's flags. A control transfer runs at LAND in a page of INT3
; bytes instead of before a jump back: where it lands, INT3 reports CS:EIP + 1 as vector 3.
; Output line: "V", EAX..EDI EFLAGS (hex dwords), ES CS SS DS FS GS (hex words), exception
; vector (hex byte, FF = none), error code and faulting EIP (hex dwords, 0 without one), CR2
; and the two PTEs (0 without paging), the window bytes, the stack bytes; with SYS also GDTR
; and IDTR (limit, base), LDTR, TR, the access byte of TR's descriptor and the handler's EFLAGS
; (harness-pm-sys.inc). After an exception ESP, SS, CS and EFLAGS are those the exception
; frame saved, that is before the exception.

bits 16
org 0

; suite.inc defines SYS for the system-table suite (generate.mjs --suite sys): longer case
; records with a TSS I/O permission bitmap, more IDT gates, a loaded LDT, the tables reloaded
; before every case, frames told apart by their size and GDTR, IDTR, LDTR and TR reported.
%include "suite.inc"

ROM       equ 0xF0000           ; where the ROM's offsets are, linear
%ifdef SYS
CASE_SIZE equ 216               ; + I/O map base (word), spare (word), TSS+68h..97h (48 bytes)
%else
CASE_SIZE equ 164
%endif
SAVE      equ 0x0500            ; 8 registers, EFLAGS, 6 selectors
VEC       equ 0x0530
ERR       equ 0x0534
SEIP      equ 0x0538
CUR       equ 0x0540
JPTR      equ 0x0548            ; far pointer CODE:CS for CPL 0 entry
SSPTR     equ 0x0550            ; far pointer ESP:SS for CPL 0 entry
SCR2      equ 0x0558
SPTE      equ 0x055C            ; window page's PTE, then the stack page's
GDT       equ 0x0600
SYSREG    equ 0x0570            ; SGDT, SIDT, SLDT, STR after the case (sys suite)
HFLAGS    equ 0x0580            ; the handler's EFLAGS (sys suite)
IDT       equ 0x0800
%ifdef SYS
IDT_LIMIT equ 0x32*8-1
STUB32    equ 0x0C00            ; RAM stubs of gates 20h-31h, 32-bit code, then 16-bit code
STUB16    equ 0x0E00
LDT       equ 0x0B00
LDT_SEL   equ 0xB8
%else
IDT_LIMIT equ 0x30*8+7
%endif
TSS       equ 0x0A00
PD        equ 0x3000            ; page directory: one table for the first 4 MiB
PT        equ 0x4000
WIN       equ 0x1000
CODE      equ 0x2000
LAND      equ 0x2800            ; the instruction's place in the landing page (2000h-2FFFh)
ENTRY     equ 0x0564            ; EIP of the instruction
STK       equ 0x6FE0
HSTACK    equ 0x9000
ERROR_VECTORS equ 0x00027D00    ; 8, 10-14, 17 push an error code

start:
    cli
    cld
    mov al, 0xFF                ; mask both PICs: IF may be set by a case
    out 0x21, al
    out 0xA1, al
    xor ax, ax
    mov es, ax
    push cs
    pop ds
    mov si, gdt_rom
    mov di, GDT
    mov cx, gdt_end - gdt_rom
    rep movsb
    lgdt [cs:gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:(ROM + pm_start)

gdtr dw gdt_end - gdt_rom - 1
     dd GDT
idtr dw IDT_LIMIT
     dd IDT

bits 32
pm_start:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov esp, HSTACK
    ; IDT: interrupt gates 0..31 to the stubs (3 and 4 reachable from CPL 3), 48 to post3.
    mov edi, IDT
    mov ecx, (IDT_LIMIT + 1) / 4
    xor eax, eax
    rep stosd
    mov edi, IDT
    mov ebx, ROM + stubs
    xor ecx, ecx
.gate:
    mov dx, 0x8E00
    cmp ecx, 3
    je .user
    cmp ecx, 4
    jne .set
.user:
    mov dx, 0xEE00
.set:
    mov eax, ebx
    call set_gate
    add edi, 8
    add ebx, STUB_SIZE
    inc ecx
    cmp ecx, 32
    jb .gate
%ifdef SYS
    call sys_init
%endif
    mov edi, IDT + 0x30*8
    mov eax, ROM + post3
    mov dx, 0xEE00
    call set_gate
    lidt [ROM + idtr]
    ; TSS: ring-0 stack for exceptions from CPL 3; I/O map base past the limit (no bitmap).
    mov edi, TSS
    mov ecx, 0x68 / 4
    xor eax, eax
    rep stosd
    mov dword [TSS+4], HSTACK
    mov word [TSS+8], 0x10
    mov word [TSS+0x66], 0x68
    ; Page tables: identity, present, writable, user, accessed and dirty. CR3 stays put.
    mov eax, PD
    mov cr3, eax
    mov dword [PD], PT + 0x27
    mov edi, PT
    mov eax, 0x67
.pte:
    stosd
    add eax, 0x1000
    cmp edi, PT + 0x1000
    jb .pte
    mov ax, 0x70
    ltr ax
%ifdef SYS
    call sys_tables
%else
    xor ax, ax
    lldt ax
%endif
    mov dword [CUR], ROM + cases
    jmp next_case

; Writes the gate at EDI: offset EAX, selector 08h, type and DPL DX.
set_gate:
    mov [edi], ax
    mov word [edi+2], 0x08
    mov [edi+4], dx
    shr eax, 16
    mov [edi+6], ax
    ret

%include "gdt.inc"
%ifdef SYS
%include "sys.inc"
%endif
%include "cases.inc"
    db 0                        ; end of the case list

next_case:
    push dword 2                ; a case may have left NT, DF, IF or IOPL set
    popfd
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, HSTACK
    push dword 2                ; and VIF or VIP, which only IRET clears
    push dword 0x08
    push dword ROM + .clean
    iretd
.clean:
    mov esi, [CUR]
    cmp byte [esi], 0
    je finished
%ifdef SYS
    call sys_tables
    mov esi, [CUR]
    mov ax, [esi+164]           ; the case's I/O map base and TSS bytes 68h-97h
    mov [TSS+0x66], ax
    lea esi, [esi+168]
    mov edi, TSS + 0x68
    mov ecx, 48
    rep movsb
    mov esi, [CUR]
    mov dword [HFLAGS], 0
%endif
    mov byte [VEC], 0xFF
    xor eax, eax
    mov [ERR], eax
    mov [SEIP], eax
    mov [SPTE], eax
    mov [SPTE+4], eax
    mov cr2, eax
    mov ax, [esi+54]
    mov [SAVE+38], ax
    ; The instruction at CODE, then the way back: a far jump at CPL 0, INT 30h at CPL 3; or
    ; at LAND amid INT3 bytes.
    push esi
    mov edi, CODE
    mov [ENTRY], edi
    test byte [esi+64], 0x10
    jz .copy
    mov ecx, 0x1000
    mov al, 0xCC
    rep stosb
    mov edi, LAND
    mov [ENTRY], edi
.copy:
    movzx ecx, byte [esi]
    inc esi
    rep movsb
    pop esi
    test byte [esi+64], 0x10
    jnz .windows
    test byte [esi+64], 2
    jnz .user
    test byte [esi+64], 1
    jnz .far
    mov byte [edi], 0x66
    inc edi
.far:
    mov byte [edi], 0xEA
    mov dword [edi+1], ROM + post
    mov word [edi+5], 0x08
    jmp .windows
.user:
    mov word [edi], 0x30CD
.windows:
    push esi
    add esi, 68
    mov edi, WIN
    mov ecx, 32
    rep movsb
    mov edi, STK
    mov ecx, 64
    rep movsb
    pop esi
    mov eax, [ENTRY]
    mov [JPTR], eax
    mov ax, [esi+54]
    mov [JPTR+4], ax
    mov eax, [esi+32]
    mov [SSPTR], eax
    mov ax, [esi+56]
    mov [SSPTR+4], ax
    test byte [esi+64], 4
    jz .flat
    movzx eax, byte [esi+65]
    or eax, 0x1000
    mov [PT+4], eax
    movzx eax, byte [esi+66]
    or eax, 0x6000
    mov [PT+6*4], eax
    mov eax, cr3                ; flush the TLB
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    test byte [esi+64], 8
    jz .wp
    or eax, 0x10000
.wp:
    mov cr0, eax
.flat:
    test byte [esi+64], 2
    jnz enter_cpl3

; CPL 0: flags, segments, stack, registers, then a far jump; nothing touches the test stack.
    push dword [esi+48]
    popfd
    mov es, [esi+52]
    mov fs, [esi+60]
    mov gs, [esi+62]
    lss esp, [SSPTR]
    mov eax, [esi+16]
    mov ecx, [esi+20]
    mov edx, [esi+24]
    mov ebx, [esi+28]
    mov ebp, [esi+36]
    mov edi, [esi+44]
    mov ds, [esi+58]
    mov esi, [cs:esi+40]
    jmp far [cs:JPTR]

; CPL 3: an IRETD frame on the ring-0 stack (EIP, CS, EFLAGS, ESP, SS).
enter_cpl3:
    mov esp, HSTACK - 20
    mov eax, [ENTRY]
    mov [esp], eax
    movzx eax, word [esi+54]
    mov [esp+4], eax
    mov eax, [esi+48]
    mov [esp+8], eax
    mov eax, [esi+32]
    mov [esp+12], eax
    movzx eax, word [esi+56]
    mov [esp+16], eax
    mov es, [esi+52]
    mov fs, [esi+60]
    mov gs, [esi+62]
    mov eax, [esi+16]
    mov ecx, [esi+20]
    mov edx, [esi+24]
    mov ebx, [esi+28]
    mov ebp, [esi+36]
    mov edi, [esi+44]
    mov ds, [esi+58]
    mov esi, [cs:esi+40]
    iretd

; Saves the eight registers and the data selectors through SS (the test's at CPL 0).
%macro SAVE_REGS 0
    mov [ss:SAVE+0], eax
    mov [ss:SAVE+4], ecx
    mov [ss:SAVE+8], edx
    mov [ss:SAVE+12], ebx
    mov [ss:SAVE+16], esp
    mov [ss:SAVE+20], ebp
    mov [ss:SAVE+24], esi
    mov [ss:SAVE+28], edi
    mov [ss:SAVE+36], es
    mov [ss:SAVE+40], ss
    mov [ss:SAVE+42], ds
    mov [ss:SAVE+44], fs
    mov [ss:SAVE+46], gs
%endmacro

; Back from a CPL-0 case by far jump: the test's SS:ESP are still loaded.
post:
    SAVE_REGS
    mov ax, 0x10
    mov ss, ax
    mov esp, HSTACK
    pushfd
    pop dword [ss:SAVE+32]
    jmp dump

; Back from a CPL-3 case by INT 30h: EFLAGS, ESP and SS are in the frame.
post3:
    SAVE_REGS
    mov eax, [ss:esp+8]
    mov [ss:SAVE+32], eax
    mov eax, [ss:esp+12]
    mov [ss:SAVE+16], eax
    mov ax, [ss:esp+16]
    mov [ss:SAVE+40], ax
    jmp dump

; An exception: the stub stored its vector. Report the frame (and error code) it pushed.
fault:
    SAVE_REGS
%ifdef SYS
    jmp sys_fault
%else
    mov ebp, esp
    movzx ecx, byte [ss:VEC]
    mov eax, ERROR_VECTORS
    bt eax, ecx
    jnc .frame
    mov eax, [ss:ebp]
    mov [ss:ERR], eax
    add ebp, 4
.frame:
    mov eax, [ss:ebp]
    mov [ss:SEIP], eax
    mov ax, [ss:ebp+4]
    mov [ss:SAVE+38], ax
    mov eax, [ss:ebp+8]
    mov [ss:SAVE+32], eax
    test byte [ss:ebp+4], 3
    jz .same
    mov eax, [ss:ebp+12]
    mov [ss:SAVE+16], eax
    mov ax, [ss:ebp+16]
    mov [ss:SAVE+40], ax
    jmp dump
.same:
    add ebp, 12
    mov [ss:SAVE+16], ebp
    jmp dump
%endif

%include "harness-pm-report.inc"
%ifdef SYS
%include "harness-pm-sys.inc"
%endif

STUB_SIZE equ 16
stubs:
%assign n 0
%rep 32
    mov byte [ss:VEC], n
    jmp fault
    times STUB_SIZE * (n + 1) - ($ - stubs) nop
    %assign n n+1
%endrep

bits 16
times 0xFFF0-($-$$) db 0xFF
    jmp 0xF000:start
times 0x10000-($-$$) db 0xFF
