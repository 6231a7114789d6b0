; string functions and the context stack: %strlen, %substr, %push/%pop/%repl, %$ names, %ifctx, %arg, %local
bits 16
org 0x100
%strlen len 'hello'
    db len
%define GREETING "abc"
%strlen len2 GREETING
    db len2
%substr first 'xyzw' 1
%substr middle 'xyzw' 2,2
%substr tail 'xyzw' 2,-1
%substr inner 'xyzw' 3,-2
%substr quoted "it's" 2,3
%substr none 'xyzw' 9
    db first, middle, tail, inner, quoted, none, 0
%strlen empty ''
    db empty
; a REPEAT/UNTIL pair keeps its loop label in a context
%macro repeat 0
    %push repeat
    %$begin:
%endmacro
%macro until 1
    j%-1 %$begin
    %pop
%endmacro
    repeat
    inc ax
    repeat
    dec bx
    until nz
    until z
; nested contexts: %$ is the innermost, %$$ the one outside it
%push outer
%$x: db 1
%push inner
%$x: db 2
    jmp %$$x
    jmp %$x
%ifctx inner
    db 0x11
%endif
%repl other
%ifctx inner
    db 0xEE
%elifctx other
    db 0x22
%endif
%pop
%ifnctx other
    db 0x33
%endif
%pop
%ifctx outer
    db 0xEE
%endif
; a stack frame: %arg above BP, %local below it
%macro proc 0
    %push proc
    %stacksize small
    %assign %$localsize 0
%endmacro
proc
%arg p:word, q:byte, r:dword
%local a:word, b:byte, c:dword, d:qword
    enter %$localsize, 0
    mov ax, [p]
    mov al, [q]
    mov eax, [r]
    mov [a], ax
    mov [b], al
    mov [c], eax
    mov [d], ax
    leave
    ret
%pop
%push flat
%stacksize flat
%assign %$localsize 0
%arg s:word, t:dword
%local x:word, y:tword
    mov ax, [s]
    mov eax, [t]
    mov [x], ax
    mov [y], eax
    dw %$localsize
%pop
%macro branch 2
    j%+1 %2
    j%-1 %2
%endmacro
here:
    branch e, here
    branch nbe, here
    branch pe, here
    branch nc, here
