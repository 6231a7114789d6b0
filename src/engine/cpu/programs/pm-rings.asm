; Ring transitions both ways: IRET/RETF to rings 1 and 3, INT 80h back through the TSS stack,
; call gates with parameter copying (ring 3 -> 0, ring 3 -> 1), conforming code, the data
; segments a return to an outer ring nulls, and the #GP error codes of refused transfers.
%include "pm-kit.inc"

test_main:
    PRINTLN 'rings: cpl 0'

    ; Ring 3 by IRET, back by a DPL-3 trap gate: the handler runs on TSS SS0:ESP0.
    SET_RESUME t1_back
    RING3 t1_user
t1_user:
    PRINT 'ring3 cs='
    mov eax, cs
    call print_hex16
    PRINT ' ss='
    mov eax, ss
    call print_hex16
    PRINT {10}
    int 0x80
t1_back:

    ; Ring 1 by IRET, back by INT 80h.
    SET_RESUME t1b_back
    RING1 t1b_user
t1b_user:
    PRINT 'ring1 cs='
    mov eax, cs
    call print_hex16
    PRINT ' ss='
    mov eax, ss
    call print_hex16
    PRINT {10}
    int 0x80
t1b_back:

    ; A call gate from ring 3 to ring 0 copies two parameters; RETF 8 returns to ring 3 and
    ; nulls ES (DPL 0), keeps FS (DPL 3).
    SET_RESUME t2_back
    RING3 t2_user
t2_user:
    mov ax, SEL_DATA3 | 3
    mov ds, ax
    mov es, ax
    push dword 0x22222222
    push dword 0x11111111
    call SEL_GATE3:0
    PRINT 'after gate es='
    mov eax, es
    call print_hex16
    PRINT ' fs='
    mov eax, fs
    call print_hex16
    PRINT ' ds='
    mov eax, ds
    call print_hex16
    PRINT ' esp='
    mov eax, esp
    call print_hex32
    PRINT {10}
    int 0x80
t2_back:

    ; A call gate from ring 3 to ring 1 with one parameter.
    SET_RESUME t3_back
    RING3 t3_user
t3_user:
    push dword 0x33333333
    call SEL_GATE1:0
    PRINT 'back in ring 3 esp='
    mov eax, esp
    call print_hex32
    PRINT {10}
    int 0x80
t3_back:

    ; Conforming code runs at the caller's CPL: CS.RPL stays 3.
    SET_RESUME t4_back
    RING3 t4_user
t4_user:
    call SEL_CONF0:conf_code
    int 0x80
t4_back:

    ; RETF from ring 0 to ring 3 with DS = ring-0 data: DS becomes null.
    mov ax, SEL_DATA0
    mov ds, ax
    mov gs, ax
    push dword SEL_DATA3 | 3
    push dword USTACK
    push dword SEL_CODE3 | 3
    push dword t5_user
    SET_RESUME t5_back
    retf
t5_user:
    mov eax, ds
    mov ebx, gs
    mov cx, SEL_DATA3 | 3
    mov ds, cx
    PRINT 'retf to ring 3: ds='
    HEX16 eax
    PRINT ' gs='
    HEX16 ebx
    PRINT {10}
    int 0x80
t5_back:

    ; Refused transfers from ring 3: each #GP names the selector or IDT entry.
    SET_RESUME t6_back
    RING3 t6a
t6a:
    call SEL_GATE0:0          ; gate DPL 0 < CPL 3: #GP(88h)
t6_back:
    SET_RESUME t7_back
    RING3 t7a
t7a:
    int 0x81                  ; gate DPL 0: #GP(0x81 * 8 + 2)
t7_back:
    SET_RESUME t8_back
    RING3 t8a
t8a:
    jmp SEL_CODE0:t8_back     ; non-conforming DPL 0 from CPL 3: #GP(08h)
t8_back:
    SET_RESUME t9_back
    RING3 t9a
t9a:
    mov ax, SEL_DATA0
    mov ds, ax                ; DPL 0 < CPL 3: #GP(10h)
t9_back:
    SET_RESUME t10_back
    RING3 t10a
t10a:
    mov ax, SEL_DATA1 | 3
    mov ss, ax                ; RPL 3 but DPL 1: #GP(30h)
t10_back:
    SET_RESUME t11_back
    RING3 t11a
t11a:
    mov ax, SEL_TSS | 3
    mov es, ax                ; a TSS is not a data segment: #GP(38h)
t11_back:
    EXIT

conf_code:
    PRINT 'conforming cs='
    mov eax, cs
    call print_hex16
    PRINT {10}
    retf

KIT_END
