; The sensitive but unprivileged instructions that break Popek-Goldberg, at CPL 0, 1 and 3:
; PUSHF shows IF and IOPL; POPF silently keeps IF (CPL > IOPL) and IOPL (CPL > 0); SGDT, SIDT,
; SLDT, STR, SMSW and PUSH CS reveal privileged state; LAR, LSL, VERR and VERW with their
; descriptor-type and privilege rules. Then CLI/STI/POPF with IOPL 3 at CPL 3 and IOPL 1.
%include "pm-kit.inc"

test_main:
    PRINTLN 'sensitive instructions'
    mov ax, SEL_LDT
    lldt ax
    ; IF = 1 (the PICs are masked), IOPL = 0.
    pushfd
    or dword [esp], 0x200
    popfd
    PRINTLN '-- cpl 0'
    call probe
    PRINTLN '-- cpl 1'
    SET_RESUME p1_done
    RING1 p_user
p1_done:
    PRINTLN '-- cpl 3'
    SET_RESUME p3_done
    RING3 p_user
p3_done:
    ; IOPL 3: CLI, STI and POPF may change IF at CPL 3, still not IOPL.
    PRINTLN '-- cpl 3, iopl 3'
    pushfd
    or dword [esp], 0x3000
    popfd
    SET_RESUME i3_done
    RING3 iopl_user
i3_done:
    ; IOPL 1: CPL 1 may change IF, CPL 3 may not.
    PRINTLN '-- cpl 1, iopl 1'
    pushfd
    and dword [esp], ~0x3000
    or dword [esp], 0x1000
    popfd
    SET_RESUME i1_done
    RING1 iopl_user
i1_done:
    PRINTLN '-- cpl 3, iopl 1'
    SET_RESUME i13_done
    RING3 iopl_user
i13_done:
    EXIT

p_user:
    call probe
    int 0x82

; CLI, STI and POPF at the current CPL; reports IF and IOPL after each.
iopl_user:
    cli                            ; #GP(0) when CPL > IOPL: the handler resumes the caller
    PRINT 'cli ok'
    pushfd
    pop eax
    and eax, 0x3200
    PRINT ' flags='
    HEX16 eax
    sti
    pushfd
    and dword [esp], ~0x200
    popfd
    pushfd
    pop eax
    and eax, 0x3200
    PRINT ' popf(IF=0)->'
    HEX16 eax
    PRINT {10}
    int 0x82

probe:
    pushfd
    pop ebp                        ; the flags to restore
    push ebp
    pop eax
    and eax, 0x3200
    PRINT 'pushf='
    HEX16 eax
    mov eax, ebp
    xor eax, 0x200
    or eax, 0x3000
    push eax
    popfd                          ; try IF flipped and IOPL 3: never faults
    pushfd
    pop eax
    and eax, 0x3200
    PRINT ' popf(IF^1,IOPL=3)->'
    HEX16 eax
    push ebp
    popfd
    sgdt [buf]
    PRINT ' sgdt='
    HEX16 [buf]
    PRINT ':'
    HEX [buf + 2]
    sidt [buf]
    PRINT ' sidt='
    HEX16 [buf]
    PRINT ':'
    HEX [buf + 2]
    PRINT {10}
    xor eax, eax
    sldt ax
    PRINT 'sldt='
    HEX16 eax
    str ax
    PRINT ' str='
    HEX16 eax
    smsw ax
    PRINT ' smsw='
    HEX16 eax
    push cs
    pop eax
    PRINT ' push cs='
    HEX16 eax
    PRINT {10}
    mov esi, selectors
.sel:
    movzx ebx, word [esi]
    cmp ebx, 0xffff
    je .done
    PRINT 'sel '
    HEX16 ebx
    mov eax, 0x12345678
    lar eax, bx
    setz cl
    PRINT ' lar '
    movzx edx, cl
    HEX16 edx
    PRINT ' '
    HEX eax
    mov eax, 0x12345678
    lsl eax, bx
    setz cl
    PRINT ' lsl '
    movzx edx, cl
    HEX16 edx
    PRINT ' '
    HEX eax
    verr bx
    setz cl
    PRINT ' verr '
    movzx edx, cl
    HEX16 edx
    verw bx
    setz cl
    PRINT ' verw '
    movzx edx, cl
    HEX16 edx
    PRINT {10}
    add esi, 2
    jmp .sel
.done:
    ret

selectors:
    dw 0x0000, 0x0008, 0x000b, 0x0010, 0x0013, 0x001b, 0x0023, 0x0029, 0x0031
    dw 0x0038, 0x003b, 0x0040, 0x0043, 0x004b, 0x0060, 0x0070, 0x0080, 0x0088
    dw 0x0090, 0x0098, 0x00a3, 0x00b0, 0x0007, 0x0004, 0x1000, 0x0003
    dw 0xffff
buf: times 8 db 0

KIT_END
