; slice16.asm: every instruction form and directive of vmlab's 16-bit assembler slice.
; The golden slice16.bin beside it is NASM's output (nasm -f bin slice16.asm -o slice16.bin).

bits 16
[bits 16]
use16
org 0x7C00
section .text
cpu 686

COUNT   equ 3
LATER   equ forward_label - start    ; forward reference in an equ
NEGATIVE equ -5

start:
; ---- addressing modes: all 16-bit r/m forms, with no, byte and word displacements
    mov al, [bx+si]
    mov al, [bx+si+0x12]
    mov al, [bx+si-0x12]
    mov al, [bx+si+0x1234]
    mov al, [bx+di]
    mov al, [bx+di+0x12]
    mov al, [bx+di-0x12]
    mov al, [bx+di+0x1234]
    mov al, [bp+si]
    mov al, [bp+si+0x12]
    mov al, [bp+si-0x12]
    mov al, [bp+si+0x1234]
    mov al, [bp+di]
    mov al, [bp+di+0x12]
    mov al, [bp+di-0x12]
    mov al, [bp+di+0x1234]
    mov al, [si]
    mov al, [si+0x12]
    mov al, [si-0x12]
    mov al, [si+0x1234]
    mov al, [di]
    mov al, [di+0x12]
    mov al, [di-0x12]
    mov al, [di+0x1234]
    mov al, [bp+0x12]
    mov al, [bp-0x12]
    mov al, [bp+0x1234]
    mov al, [bx]
    mov al, [bx+0x12]
    mov al, [bx-0x12]
    mov al, [bx+0x1234]
    mov al, [si+bx]
    mov al, [di+bp+2]
    mov al, [bp+0]
    mov al, [bx+si-0]
    mov al, [0x1234]
    mov cl, [0x1234]
    mov al, [bx+2*4-8]
    mov al, [bx+0x7F]
    mov al, [bx+0x80]
    mov al, [bx-0x80]
    mov al, [bx-0x81]
; ---- segment overrides
    mov ax, [es:bx]
    mov [es:bp+di+4], ax
    mov al, [es:0x10]
    mov ax, [cs:bx]
    mov [cs:bp+di+4], ax
    mov al, [cs:0x10]
    mov ax, [ss:bx]
    mov [ss:bp+di+4], ax
    mov al, [ss:0x10]
    mov ax, [ds:bx]
    mov [ds:bp+di+4], ax
    mov al, [ds:0x10]
    mov ax, [fs:bx]
    mov [fs:bp+di+4], ax
    mov al, [fs:0x10]
    mov ax, [gs:bx]
    mov [gs:bp+di+4], ax
    mov al, [gs:0x10]
    mov ax, [es:0x1234]
; ---- arithmetic and logic: every form of the eight ALU operations
    add [bx+si], al
    add bl, cl
    add [bp+di+5], ax
    add dx, bx
    add dl, [si]
    add dx, [di-3]
    add byte [bx], 5
    add bl, 7
    add word [bx+0x1234], 5
    add cx, -2
    add al, 0x12
    add ax, 0x1234
    add ax, 5
    add word [bp], 0x1234
    add cx, 300
    add [bx], byte 5
    add word [bx], byte -1
    add ax, 0xFFFF
    or [bx+si], al
    or bl, cl
    or [bp+di+5], ax
    or dx, bx
    or dl, [si]
    or dx, [di-3]
    or byte [bx], 5
    or bl, 7
    or word [bx+0x1234], 5
    or cx, -2
    or al, 0x12
    or ax, 0x1234
    or ax, 5
    or word [bp], 0x1234
    or cx, 300
    or [bx], byte 5
    or word [bx], byte -1
    or ax, 0xFFFF
    adc [bx+si], al
    adc bl, cl
    adc [bp+di+5], ax
    adc dx, bx
    adc dl, [si]
    adc dx, [di-3]
    adc byte [bx], 5
    adc bl, 7
    adc word [bx+0x1234], 5
    adc cx, -2
    adc al, 0x12
    adc ax, 0x1234
    adc ax, 5
    adc word [bp], 0x1234
    adc cx, 300
    adc [bx], byte 5
    adc word [bx], byte -1
    adc ax, 0xFFFF
    sbb [bx+si], al
    sbb bl, cl
    sbb [bp+di+5], ax
    sbb dx, bx
    sbb dl, [si]
    sbb dx, [di-3]
    sbb byte [bx], 5
    sbb bl, 7
    sbb word [bx+0x1234], 5
    sbb cx, -2
    sbb al, 0x12
    sbb ax, 0x1234
    sbb ax, 5
    sbb word [bp], 0x1234
    sbb cx, 300
    sbb [bx], byte 5
    sbb word [bx], byte -1
    sbb ax, 0xFFFF
    and [bx+si], al
    and bl, cl
    and [bp+di+5], ax
    and dx, bx
    and dl, [si]
    and dx, [di-3]
    and byte [bx], 5
    and bl, 7
    and word [bx+0x1234], 5
    and cx, -2
    and al, 0x12
    and ax, 0x1234
    and ax, 5
    and word [bp], 0x1234
    and cx, 300
    and [bx], byte 5
    and word [bx], byte -1
    and ax, 0xFFFF
    sub [bx+si], al
    sub bl, cl
    sub [bp+di+5], ax
    sub dx, bx
    sub dl, [si]
    sub dx, [di-3]
    sub byte [bx], 5
    sub bl, 7
    sub word [bx+0x1234], 5
    sub cx, -2
    sub al, 0x12
    sub ax, 0x1234
    sub ax, 5
    sub word [bp], 0x1234
    sub cx, 300
    sub [bx], byte 5
    sub word [bx], byte -1
    sub ax, 0xFFFF
    xor [bx+si], al
    xor bl, cl
    xor [bp+di+5], ax
    xor dx, bx
    xor dl, [si]
    xor dx, [di-3]
    xor byte [bx], 5
    xor bl, 7
    xor word [bx+0x1234], 5
    xor cx, -2
    xor al, 0x12
    xor ax, 0x1234
    xor ax, 5
    xor word [bp], 0x1234
    xor cx, 300
    xor [bx], byte 5
    xor word [bx], byte -1
    xor ax, 0xFFFF
    cmp [bx+si], al
    cmp bl, cl
    cmp [bp+di+5], ax
    cmp dx, bx
    cmp dl, [si]
    cmp dx, [di-3]
    cmp byte [bx], 5
    cmp bl, 7
    cmp word [bx+0x1234], 5
    cmp cx, -2
    cmp al, 0x12
    cmp ax, 0x1234
    cmp ax, 5
    cmp word [bp], 0x1234
    cmp cx, 300
    cmp [bx], byte 5
    cmp word [bx], byte -1
    cmp ax, 0xFFFF
    test al, bl
    test [bx], cl
    test cx, dx
    test [bp+si], dx
    test bl, [di]
    test ax, [bx]
    test al, 0x80
    test ax, 0x8000
    test ax, 1
    test byte [bx], 1
    test bl, 1
    test word [si], 0x1234
    test dx, 5
    inc ax
    inc cx
    inc dx
    inc bx
    inc sp
    inc bp
    inc si
    inc di
    inc al
    inc bh
    inc byte [bx]
    inc word [si+2]
    dec ax
    dec cx
    dec dx
    dec bx
    dec sp
    dec bp
    dec si
    dec di
    dec al
    dec bh
    dec byte [bx]
    dec word [si+2]
    not al
    not ax
    not byte [bx+di]
    not word [bp-2]
    neg al
    neg ax
    neg byte [bx+di]
    neg word [bp-2]
; ---- data movement
    mov [bx], al
    mov cl, dl
    mov [bx+si+1], cx
    mov ax, bx
    mov ah, [bp]
    mov sp, [0x1234]
    mov si, [es:di]
    mov ax, es
    mov [bx], es
    mov es, ax
    mov es, [bx+2]
    mov ax, cs
    mov [bx], cs
    mov ax, ss
    mov [bx], ss
    mov ss, ax
    mov ss, [bx+2]
    mov ax, ds
    mov [bx], ds
    mov ds, ax
    mov ds, [bx+2]
    mov ax, fs
    mov [bx], fs
    mov fs, ax
    mov fs, [bx+2]
    mov ax, gs
    mov [bx], gs
    mov gs, ax
    mov gs, [bx+2]
    mov al, [0x1234]
    mov ax, [0x1234]
    mov [0x1234], al
    mov [0x1234], ax
    mov al, [ds:0x5678]
    mov [ss:0x10], ax
    mov al, 0x61
    mov cl, 0x63
    mov dl, 0x64
    mov bl, 0x62
    mov ah, 0x61
    mov ch, 0x63
    mov dh, 0x64
    mov bh, 0x62
    mov ax, 0x1234
    mov cx, 0x1234
    mov dx, 0x1234
    mov bx, 0x1234
    mov sp, 0x1234
    mov bp, 0x1234
    mov si, 0x1234
    mov di, 0x1234
    mov byte [bx], 5
    mov word [bx+di+0x100], 0x1234
    mov byte [0x1234], 5
    mov al, 'a'
    mov ax, 'ab'
    mov ax, -1
    mov cx, COUNT
    mov dx, LATER
    mov bx, NEGATIVE
    xchg al, bl
    xchg bl, al
    xchg [bx], al
    xchg al, [bx]
    xchg cx, dx
    xchg [bp+2], si
    xchg si, [bp+2]
    xchg ax, ax
    xchg ax, ax
    xchg ax, cx
    xchg cx, ax
    xchg ax, dx
    xchg dx, ax
    xchg ax, bx
    xchg bx, ax
    xchg ax, sp
    xchg sp, ax
    xchg ax, bp
    xchg bp, ax
    xchg ax, si
    xchg si, ax
    xchg ax, di
    xchg di, ax
    lea ax, [bx+si+4]
    lea sp, [bp-2]
    lea di, [0x1234]
    lea si, [bx]
    nop
; ---- control transfer
near_back:
    loop .here
    loope .here
    loopz .here
    loopne .here
    loopnz .here
    jcxz .here
    jmp short .here
.here:
    jmp near_back
    jmp short near_back
    jmp near near_back
    jmp forward_label
    jmp near forward_label
    jmp $
    jmp $+2
    jmp bx
    jmp [bx]
    jmp word [bp+si+6]
    jmp [0x1234]
    jo near_back
    jo near far_target
    jno near_back
    jno near far_target
    jb near_back
    jb near far_target
    jc near_back
    jc near far_target
    jnae near_back
    jnae near far_target
    jnb near_back
    jnb near far_target
    jnc near_back
    jnc near far_target
    jae near_back
    jae near far_target
    jz near_back
    jz near far_target
    je near_back
    je near far_target
    jnz near_back
    jnz near far_target
    jne near_back
    jne near far_target
    jbe near_back
    jbe near far_target
    jna near_back
    jna near far_target
    ja near_back
    ja near far_target
    jnbe near_back
    jnbe near far_target
    js near_back
    js near far_target
    jns near_back
    jns near far_target
    jp near_back
    jp near far_target
    jpe near_back
    jpe near far_target
    jnp near_back
    jnp near far_target
    jpo near_back
    jpo near far_target
    jl near_back
    jl near far_target
    jnge near_back
    jnge near far_target
    jnl near_back
    jnl near far_target
    jge near_back
    jge near far_target
    jle near_back
    jle near far_target
    jng near_back
    jng near far_target
    jg near_back
    jg near far_target
    jnle near_back
    jnle near far_target
    jz far_target
    call near_back
    call forward_label
    call bx
    call [bx]
    call word [si+4]
    ret
    ret 4
    ret 0x1234
    int 0x10
    int 3
    int3
    into
    iret
; ---- stack
    push ax
    pop ax
    push cx
    pop cx
    push dx
    pop dx
    push bx
    pop bx
    push sp
    pop sp
    push bp
    pop bp
    push si
    pop si
    push di
    pop di
    push es
    pop es
    push cs
    push ss
    pop ss
    push ds
    pop ds
    push fs
    pop fs
    push gs
    pop gs
    push 5
    push -1
    push 0x1234
    push word 5
    push strict word 5
    push 'ab'
    push word [bx]
    push word [bp+di+0x100]
    pop word [bx]
    pop word [0x1234]
    pushf
    popf
; ---- strings
    movsb
    rep movsb
    movsw
    rep movsw
    cmpsb
    rep cmpsb
    cmpsw
    rep cmpsw
    stosb
    rep stosb
    stosw
    rep stosw
    lodsb
    rep lodsb
    lodsw
    rep lodsw
    scasb
    rep scasb
    scasw
    rep scasw
    repe cmpsb
    repz cmpsw
    repne scasb
    repnz scasw
    es lodsb
    rep es movsw
; ---- port I/O
    in al, 0x60
    in ax, 0x60
    in al, dx
    in ax, dx
    out 0x80, al
    out 0x80, ax
    out dx, al
    out dx, ax
; ---- flags and processor control
    clc
    stc
    cmc
    cli
    sti
    cld
    std
    hlt
; ---- known to the opcode table, not yet executed by the CPU
    mul bl
    imul word [bx]
    div cx
    idiv byte [si]
    shl ax, 1
    sal al, 1
    shr bx, cl
    rol byte [bx], 3
    sar dx, 4
    cbw
    cwd
    lahf
    sahf
    les bx, [bp+4]
    lds si, [0x1234]
    xlatb
    pusha
    popa
    enter 8, 0
    leave
    retf
    retf 2
    jmp 0xF000:0xFFF0
    call 0x0000:0x7C00
    jmp far [bx]
    call far [si]
    cpuid
    rdtsc
    ud2
    lgdt [bx]
    lidt [0x1234]
    movsd
    pushfd
    iretd
; ---- data directives and expressions
data:
    db 0, 1, 255, -1, -128, 0x7F
    db 'single', "double", `back\n\t\x41\\`, 0
    db 'a'+1, 'b'-'a', "c"
    dw 0x1234, -2, 'ab', 'abc', data, $, $$, $-$$
    dd 0x12345678, 'abcde', data
    dq 0x123456789ABCDEF0
    db 1+2*3, (1+2)*3, 17/5, 17 % 5, -7//2, -7 %% 2, 1<<4, 0x80>>3, 0xF0&0x3C, 0xF0|0x0F, 0xF0^0xFF, ~0x0F & 0xFF, -(-3), +4
    db 0x1F, 1Fh, 0h1F, $1F, 0b1010, 1010b, 0y11, 11y, 0o17, 17o, 17q, 0q17, 0d99, 99d, 0t99, 1_000b
    dw -(7 // 2) * 3 + (0x10 << 2) % 7
.local_in_data:
    dw .local_in_data, data.local_in_data
    times 3 db 0xAA
    times COUNT dw 0x5555
    times 2 nop
    align 4
    resb 2
    resw 1
label_without_colon db 9
forward_label:
    ret
    times 200 db 0               ; pushes far_target out of short-jump range
far_target:
    hlt
    times 0x1000 - ($ - $$) db 0x90     ; pad to a fixed size
