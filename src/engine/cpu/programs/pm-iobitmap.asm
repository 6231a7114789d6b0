; IOPL and the TSS I/O permission bitmap for IN, OUT, INS and OUTS: at CPL 3 with IOPL 0 only
; ports whose bits are clear pass (every byte of a word or dword access is checked, and bits
; past the TSS limit count as set); at CPL <= IOPL the bitmap is not consulted.
%include "pm-kit.inc"

%macro UTRY 1-3               ; runs %1 (then %2, %3) at CPL 3, prints ok or the #GP
    SET_RESUME %%n
    RING3 %%u
%%u:
    %1
    %2
    %3
    PRINTLN 'ok'
    int 0x82
%%n:
%endmacro

test_main:
    PRINTLN 'io bitmap, cpl 3, iopl 0'
    PRINT 'in al,80h: '
    UTRY {in al, 0x80}
    PRINT 'in al,83h: '
    UTRY {in al, 0x83}
    PRINT 'in ax,7Fh: '
    UTRY {in ax, 0x7f}
    PRINT 'in eax,80h: '
    UTRY {in eax, 0x80}
    PRINT 'out 99h,al: '
    UTRY {out 0x99, al}
    PRINT 'in al,dx=3F8h: '
    UTRY {mov dx, 0x3f8}, {in al, dx}
    PRINT 'in al,dx=3FFh (map byte past the limit): '
    UTRY {mov dx, 0x3ff}, {in al, dx}
    PRINT 'in al,dx=400h: '
    UTRY {mov dx, 0x400}, {in al, dx}
    PRINT 'outsb to E9h: '
    UTRY {mov dx, 0xe9}, {mov esi, star}, {outsb}
    PRINT 'insb from 99h: '
    UTRY {mov dx, 0x99}, {mov edi, ucode}, {insb}
    PRINTLN 'iopl 1'
    pushfd
    or dword [esp], 0x1000
    popfd
    PRINT 'cpl 1 in al,99h: '
    SET_RESUME c1_done
    RING1 c1_user
c1_user:
    in al, 0x99
    PRINTLN 'ok'
    int 0x82
c1_done:
    PRINT 'cpl 3 in al,99h: '
    UTRY {in al, 0x99}
    EXIT

star: db '*'
ucode: dd 0

KIT_END
