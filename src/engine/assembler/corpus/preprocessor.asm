; the preprocessor: single-line and multi-line macros, %rep, conditionals, standard macros
bits 16
org 0x100
%define COUNT 3
%define SQUARE(x) ((x) * (x))
%define ADD2(a, b) (a + b)
%xdefine TWICE COUNT*2
%assign n 5
%assign n n+1
%idefine Loud 7
    mov ax, COUNT
    mov bx, SQUARE(COUNT)
    mov cx, ADD2(1, SQUARE(2))
    mov dx, TWICE
    mov si, n
    mov di, LOUD
%undef COUNT
%ifdef COUNT
    db 0xEE
%else
    db 0x11
%endif
%ifndef COUNT
    db 0x22
%endif

%macro prologue 0
    push bp
    mov bp, sp
%endmacro
%macro epilogue 0-1 0
    mov sp, bp
    pop bp
    ret %1
%endmacro
%macro store 2-3 ax
    mov %3, %2
    mov [%1], %3
%endmacro
%macro print 1+
    db %1, 0
%endmacro
%macro count 0-*
    db %0
%endmacro
%macro spin 1
%%again:
    dec %1
    jnz %%again
%endmacro
%imacro Twice 1
    %1
    %1
%endmacro

func:
    prologue
    store 0x200, 5
    store 0x202, 6, bx
    spin cx
    spin dx
    twice nop
    epilogue
    epilogue 4
    print 'a', 'b', "cd"
    count
    count 1, 2, 3
    count {1, 2}, 3

%assign i 0
%rep 4
    db i
%assign i i+1
%endrep
%rep 10
  %if i >= 7
    %exitrep
  %endif
    dw i
  %assign i i+1
%endrep

%if 1 + 1 == 2 && 3 > 2
    db 'y'
%elif 1
    db 'n'
%else
    db 'n'
%endif
%if 0
    db 'n'
%elif 2 < 1
    db 'n'
%else
    db 'e'
%endif
%ifidn foo, foo
    db 1
%endif
%ifidni Foo, fOO
    db 2
%endif
%ifidn foo, bar
    db 0xEE
%endif
%ifnum 42
    db 3
%endif
%ifstr 'x'
    db 4
%endif
%ifid label_name
    db 5
%endif
%ifnidn a, b
    db 6
%endif
    dw __LINE__, __?LINE?__
    db __FILE__
    dw __?BITS?__
%macro multipush 1-*
%rep %0
    push %1
%rotate 1
%endrep
%endmacro
%macro multipop 1-*
%rep %0
%rotate -1
    pop %1
%endrep
%endmacro
    multipush ax, bx, cx, ds
    multipop ax, bx, cx, ds
%include "preprocessor.inc"
    dw INCLUDED
line_end:
