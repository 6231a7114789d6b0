; Differential-test harness ROM for the reference emulators (Bochs, QEMU): runs the case
; records that generate.mjs appends (%include "cases.inc"), one instruction each, and prints
; the resulting state on port 0xE9 as one text line per case. Real mode, no BIOS: the image
; is the ROM at F000:0000 and starts from the reset vector.
;
; Case record (CASE_SIZE bytes): code length (1), code (15), EAX..EDI (8 dwords), EFLAGS
; (dword), memory window at 0000:1000 (32 bytes), stack window at 0000:6FE0 (64 bytes).
; Output line: "V " EAX..EDI EFLAGS (hex dwords), ES DS FS GS SS (hex words), exception
; vector (hex byte, FF = none), window bytes, stack bytes, then a newline. After an exception
; ESP and FLAGS are those before the exception pushed its frame.

bits 16
org 0

CASE_SIZE equ 148
SAVE      equ 0x0500            ; 8 registers, EFLAGS, 5 selectors, vector
VEC       equ 0x0540
CUR       equ 0x0544
CODE      equ 0x2000
WIN       equ 0x1000
STK       equ 0x6FE0
HSTACK    equ 0x9000

start:
    cli
    cld
    xor ax, ax
    mov ss, ax
    mov esp, HSTACK
    mov es, ax
    ; IVT: vector n -> F000:stub_n for the 32 exception vectors.
    xor di, di
    mov bx, stubs
    mov cx, 32
.ivt:
    mov [es:di], bx
    mov word [es:di+2], 0xF000
    add di, 4
    add bx, STUB_SIZE
    loop .ivt
    mov word [ss:CUR], cases
    jmp next_case

%include "cases.inc"
    db 0                        ; end of the case list

next_case:
    cld                         ; the last case may have left DF set
    mov si, [ss:CUR]
    cmp byte [cs:si], 0
    je finished
    ; Copy the instruction to 0000:CODE and append a far jump back to post.
    push cs
    pop ds
    xor ax, ax
    mov es, ax
    mov di, CODE
    movzx cx, byte [si]
    push si
    inc si
    rep movsb
    mov byte [es:di], 0xEA
    mov word [es:di+1], post
    mov word [es:di+3], 0xF000
    pop si
    ; Memory windows.
    push si
    add si, 16+36
    mov di, WIN
    mov cx, 32
    rep movsb
    mov di, STK
    mov cx, 64
    rep movsb
    pop si
    ; Segments: DS = ES = SS = 0, FS = 0080 (base 800), GS = 0090 (base 900).
    mov ax, 0x80
    mov fs, ax
    mov ax, 0x90
    mov gs, ax
    xor ax, ax
    mov es, ax
    push dword [cs:si+16+32]
    popfd
    mov eax, [cs:si+16+0]
    mov ecx, [cs:si+16+4]
    mov edx, [cs:si+16+8]
    mov ebx, [cs:si+16+12]
    mov esp, [cs:si+16+16]
    mov ebp, [cs:si+16+20]
    mov edi, [cs:si+16+28]
    mov ds, [cs:zero]
    mov esi, [cs:si+16+24]
    jmp 0x0000:CODE

; Saves the eight registers and the selectors without touching the test's stack or flags.
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
    mov [ss:SAVE+38], ds
    mov [ss:SAVE+40], fs
    mov [ss:SAVE+42], gs
    mov [ss:SAVE+44], ss
%endmacro

post:
    mov byte [ss:VEC], 0xFF
    SAVE_REGS
    mov esp, HSTACK
    pushfd
    pop dword [ss:SAVE+32]
    jmp dump

fault:
    SAVE_REGS
    ; The exception pushed FLAGS, CS, IP on the test's stack: report ESP and FLAGS before it.
    mov bp, sp
    movzx eax, word [ss:bp+4]
    mov [ss:SAVE+32], eax
    add dword [ss:SAVE+16], 6
    mov esp, HSTACK
    jmp dump

dump:
    xor ax, ax
    mov ds, ax
    mov al, 'V'
    out 0xE9, al
    mov al, ' '
    out 0xE9, al
    mov si, SAVE
    mov cx, 9
.dw:
    mov eax, [si]
    call hex32
    add si, 4
    loop .dw
    mov cx, 5
.sw:
    mov ax, [si]
    call hex16
    add si, 2
    loop .sw
    mov al, [VEC]
    call hex8
    mov al, ' '
    out 0xE9, al
    mov si, WIN
    mov cx, 32
.wb:
    mov al, [si]
    call hex8
    inc si
    loop .wb
    mov al, ' '
    out 0xE9, al
    mov si, STK
    mov cx, 64
.sb:
    mov al, [si]
    call hex8
    inc si
    loop .sb
    mov al, 10
    out 0xE9, al
    add word [ss:CUR], CASE_SIZE
    jmp next_case

hex32:
    push eax
    shr eax, 16
    call hex16
    pop eax
    call hex16
    mov al, ' '
    out 0xE9, al
    ret
hex16:
    push ax
    mov al, ah
    call hex8
    pop ax
hex8:
    push ax
    shr al, 4
    call nibble
    pop ax
    push ax
    and al, 15
    call nibble
    pop ax
    ret
nibble:
    add al, '0'
    cmp al, '9'
    jbe .o
    add al, 7
.o: out 0xE9, al
    ret

finished:
    mov si, endmsg
.e: mov al, [cs:si]
    test al, al
    jz .stop
    out 0xE9, al
    inc si
    jmp .e
.stop:
    mov dx, 0x8900              ; Bochs shutdown port
    mov si, shutdown
.s: mov al, [cs:si]
    test al, al
    jz .q
    out dx, al
    inc si
    jmp .s
.q: mov al, 0                   ; QEMU isa-debug-exit
    out 0xF4, al
    cli
    hlt
    jmp .q

zero     dw 0
endmsg   db 'END', 10, 0
shutdown db 'Shutdown', 0

STUB_SIZE equ 9
stubs:
%assign n 0
%rep 32
    mov byte [ss:VEC], n
    jmp near fault
    %assign n n+1
%endrep

times 0xFFF0-($-$$) db 0xFF
    jmp 0xF000:start
times 0x10000-($-$$) db 0xFF
