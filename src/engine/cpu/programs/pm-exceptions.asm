; Each exception with its error code and saved EIP (fault: the instruction, trap: the next):
; #DE #DB #BP #OF #BR #UD #NM #DF #TS #NP #SS #GP #AC, the EXT and IDT bits of nested
; exceptions, and the double-fault rules (contributory + contributory = #DF, benign + any =
; serial delivery).
%include "pm-kit.inc"

%macro TRY 1
    SET_RESUME %%next
    %1
%%next:
%endmacro

test_main:
    PRINTLN 'exceptions'
    ; #DE: fault at the DIV.
    xor edx, edx
    mov eax, 1
    xor ecx, ecx
    TRY {div ecx}
    ; #BP and #OF: traps, EIP after the instruction.
    TRY {int3}
    mov al, 0x7f
    add al, 1
    TRY {into}
    ; #BR: BOUND with the index above the upper bound.
    mov eax, 5
    TRY {bound eax, [bounds]}
    ; #UD.
    TRY {ud2}
    ; #NM: an x87 instruction with CR0.EM set, then WAIT with MP and TS set.
    mov eax, cr0
    or eax, 4
    mov cr0, eax
    TRY {fninit}
    and eax, ~4
    or eax, 0xa
    mov cr0, eax
    TRY {wait}
    clts
    and eax, ~0xa
    mov cr0, eax
    ; #NP: a not-present data segment names its selector; a not-present IDT gate sets the
    ; IDT bit (vector * 8 + 2).
    mov ax, SEL_NP
    TRY {mov ds, ax}
    mov byte [idt + 0x50 * 8 + 5], 0x0e
    TRY {int 0x50}
    ; #SS: a not-present stack segment names its selector.
    mov ax, SEL_NP
    TRY {mov ss, ax}
    ; #SS(0): the limits of a normal and an expand-down stack, tried at CPL 1 so that the
    ; handler runs on the TSS ring-0 stack (at CPL 0 the #SS could not be delivered).
    SET_RESUME ss1
    RING1 ss1u
ss1u:
    mov ax, SEL_SMALL1 | 1
    mov ss, ax
    mov esp, 0x1000
    push eax
    PRINTLN 'push below the small limit ok'
    mov esp, 0x2000
    push eax
ss1:
    SET_RESUME ss2
    RING1 ss2u
ss2u:
    mov ax, SEL_DOWN1 | 1
    mov ss, ax
    mov esp, 0x2000
    push eax
    PRINTLN 'push above the expand-down limit ok'
    mov esp, 0x1002
    push eax
ss2:
    ; #GP: selector past the GDT limit, execute-only code as data, a system descriptor as data.
    mov ax, 0x1000
    TRY {mov ds, ax}
    mov ax, SEL_XO0
    TRY {mov es, ax}
    mov ax, SEL_LDT
    TRY {mov fs, ax}
    ; #GP(0): write to read-only data, dword across the limit, use of a null selector.
    mov ax, SEL_RO0
    mov ds, ax
    mov eax, [0x100]
    PRINTLN 'read of read-only data ok'
    TRY {mov [0x100], eax}
    mov ax, SEL_SMALL
    mov ds, ax
    mov eax, [0xffc]
    mov ax, SEL_DATA0
    mov ds, ax
    PRINTLN 'dword at the limit ok'
    mov ax, SEL_SMALL
    mov ds, ax
    TRY {mov eax, [0xffe]}
    xor ax, ax
    mov es, ax
    PRINTLN 'null selector loaded'
    TRY {mov eax, [es:0]}
    ; #GP(0) for privileged instructions at CPL 3 and CLI at CPL 3 > IOPL 0.
    SET_RESUME gp1
    RING3 gp1u
gp1u: hlt
gp1:
    SET_RESUME gp2
    RING3 gp2u
gp2u: mov eax, cr0
gp2:
    SET_RESUME gp3
    RING3 gp3u
gp3u: cli
gp3:
    SET_RESUME gp4
    RING3 gp4u
gp4u: lgdt [gdt_desc]
gp4:
    ; INT 0Dh from CPL 3 through a DPL-0 gate: #GP(0Dh * 8 + 2).
    SET_RESUME gp5
    RING3 gp5u
gp5u: int 0x0d
gp5:
    ; #TS: a call gate to ring 1 with a TSS SS1 whose RPL is wrong.
    mov dword [tss + 16], SEL_DATA1 | 3
    SET_RESUME ts1
    RING3 ts1u
ts1u:
    push dword 0
    call SEL_GATE1:0
ts1:
    mov dword [tss + 16], SEL_DATA1 | 1
    ; #DF: #GP whose gate is not present raises #NP (contributory twice).
    mov byte [idt + 13 * 8 + 5], 0x0e
    mov ax, 0x1000
    TRY {mov ds, ax}
    mov byte [idt + 13 * 8 + 5], 0x8e
    ; Benign then contributory: #UD through a not-present gate gives #NP(6 * 8 + 2 + EXT).
    mov byte [idt + 6 * 8 + 5], 0x0e
    TRY {ud2}
    mov byte [idt + 6 * 8 + 5], 0x8e
    ; INT3 through a not-present gate: #NP(3 * 8 + 2), no EXT (a software interrupt).
    mov byte [idt + 3 * 8 + 5], 0x6e
    TRY {int3}
    mov byte [idt + 3 * 8 + 5], 0xee
    ; #DB: single step traps after the next instruction; an instruction breakpoint faults.
    pushfd
    or dword [esp], 0x100
    SET_RESUME db1
    popfd
    nop
db1:
    mov eax, dr6
    and eax, 0x4000
    PRINT 'dr6.bs='
    HEX eax
    PRINT {10}
    mov eax, db_target
    mov dr0, eax
    mov eax, 0x1
    mov dr7, eax
    SET_RESUME db2
db_target:
    nop
db2:
    xor eax, eax
    mov dr7, eax
    mov eax, dr6
    and eax, 0xf
    PRINT 'dr6.b='
    HEX eax
    PRINT {10}
    ; A DR1 write breakpoint (R/W = 01, 4 bytes) traps after the writing instruction; a read
    ; does not trigger it.
    mov eax, bounds
    mov dr1, eax
    mov eax, (1 << 2) | (1 << 20) | (3 << 22)
    mov dr7, eax
    mov eax, [bounds + 2]
    PRINTLN 'read: no trap'
    SET_RESUME db3
    mov [bounds + 2], al
db3:
    xor eax, eax
    mov dr7, eax
    mov eax, dr6
    and eax, 0xf
    PRINT 'dr6.b='
    HEX eax
    PRINT {10}
    ; #AC: CR0.AM and EFLAGS.AC, a misaligned dword read at CPL 3.
    mov eax, cr0
    or eax, 1 << 18
    mov cr0, eax
    pushfd
    or dword [esp], 1 << 18
    popfd
    SET_RESUME ac1
    RING3 ac1u
ac1u:
    mov eax, [bounds + 1]
    PRINTLN 'no #AC'
    int 0x80
ac1:
    PRINT 'exceptions seen='
    HEX [exc_count]
    PRINT {10}
    EXIT

align 4
bounds: dd 0, 4

KIT_END
