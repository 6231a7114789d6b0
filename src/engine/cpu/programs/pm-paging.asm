; Paging: #PF error code and CR2 for every present / U/S / R/W / CR0.WP / CPL combination,
; accessed and dirty bits in PTEs and in a 4 MiB PDE, RSVD in a PSE PDE, INVLPG and CR3
; reloads, and an instruction that crosses into a not-present page.
%include "pm-kit.inc"

PD   equ 0x60000
PT0  equ 0x61000            ; identity map of 0-4 MiB, user, writable
PT1  equ 0x62000            ; the test pages at 400000h
PT4  equ 0x63000            ; user PTEs under a supervisor PDE (1000000h)

%macro KACC 2               ; kernel access: r or w, linear address
    PRINT 'cpl0 '
    PRINT %1
    PRINT ' '
    HEX %2
    PRINT ' '
    SET_RESUME %%n
%ifidn %1, 'r'
    mov eax, [%2]
%else
    mov [%2], eax
%endif
    PRINTLN 'ok'
%%n:
%endmacro

%macro UACC 2               ; user access: r or w, linear address
    PRINT 'cpl3 '
    PRINT %1
    PRINT ' '
    HEX %2
    PRINT ' '
    mov dword [uaddr], %2
    SET_RESUME %%n
%ifidn %1, 'r'
    RING3 user_read
%else
    RING3 user_write
%endif
%%n:
%endmacro

%macro MATRIX 0
%assign pg 0x400000
%rep 5
    KACC 'r', pg
    KACC 'w', pg
    UACC 'r', pg
    UACC 'w', pg
%assign pg pg + 0x1000
%endrep
%endmacro

test_main:
    PRINTLN 'paging'
    ; Identity-map the first 4 MiB (user, writable), then the test pages.
    mov edi, PD
    xor eax, eax
    mov ecx, 4 * 1024
    rep stosd                          ; PD, PT0, PT1, PT4 cleared
    mov edi, PT0
    mov eax, 0x007
    mov ecx, 1024
.map:
    stosd
    add eax, 0x1000
    loop .map
    mov dword [PD + 0 * 4], PT0 | 0x007
    mov dword [PD + 1 * 4], PT1 | 0x007
    mov dword [PD + 2 * 4], 0x00000000 | 0x087          ; 4 MiB page at 800000h -> 0
    mov dword [PD + 3 * 4], 0x00000000 | 0x087 | (1 << 21) ; reserved bit 21
    mov dword [PD + 4 * 4], PT4 | 0x003                 ; supervisor PDE
    mov dword [PT1 + 0 * 4], 0x50000 | 0x007            ; 400000h: user, writable
    mov dword [PT1 + 1 * 4], 0x51000 | 0x005            ; 401000h: user, read-only
    mov dword [PT1 + 2 * 4], 0x52000 | 0x003            ; 402000h: supervisor, writable
    mov dword [PT1 + 3 * 4], 0x53000 | 0x001            ; 403000h: supervisor, read-only
    mov dword [PT1 + 4 * 4], 0x54000 | 0x006            ; 404000h: not present
    mov dword [PT4 + 0 * 4], 0x50000 | 0x007            ; 1000000h: user PTE, supervisor PDE
    mov dword [0x50000], 0xaaaa0000
    mov dword [0x51000], 0xaaaa1000
    mov dword [0x52000], 0xaaaa2000
    mov dword [0x53000], 0xaaaa3000
    mov eax, cr4
    or eax, 0x10                       ; PSE
    mov cr4, eax
    mov eax, PD
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    PRINTLN 'paging on, WP=0'
    MATRIX
    mov eax, cr0
    or eax, 1 << 16
    mov cr0, eax
    PRINTLN 'WP=1'
    KACC 'w', 0x401000
    KACC 'w', 0x403000
    KACC 'w', 0x400000
    ; A user PTE under a supervisor PDE is supervisor-only.
    KACC 'r', 0x1000000
    UACC 'r', 0x1000000
    ; 4 MiB pages: a user write sets A and D in the PDE; a reserved bit gives RSVD.
    UACC 'w', 0x800000 + 0x7000
    KACC 'r', 0xc00000
    UACC 'r', 0xc00000
    ; A and D as the hardware left them (P, R/W, U/S, A, D bits only).
    PRINT 'pte 400000..404000 pde1 pde2 pde4:'
%assign i 0
%rep 5
    mov eax, [PT1 + i * 4]
    and eax, 0x67
    PRINT ' '
    HEX16 eax
%assign i i + 1
%endrep
%assign i 1
%rep 4
%if i != 3
    mov eax, [PD + i * 4]
    and eax, 0x67
    PRINT ' '
    HEX16 eax
%endif
%assign i i + 1
%endrep
    PRINT {10}
    ; INVLPG: remap 400000h to frame 51000h; after INVLPG the new frame shows.
    mov dword [PT1 + 0 * 4], 0x51000 | 0x007
    invlpg [0x400000]
    PRINT 'after invlpg: '
    HEX [0x400000]
    PRINT {10}
    ; A CR3 load flushes too.
    mov dword [PT1 + 0 * 4], 0x52000 | 0x007
    mov eax, cr3
    mov cr3, eax
    PRINT 'after cr3 load: '
    HEX [0x400000]
    PRINT {10}
    ; A MOV EAX, imm32 at 403FFEh runs into the not-present page: CR2 = 404000h, EIP = 403FFEh.
    mov dword [PT1 + 3 * 4], 0x53000 | 0x003
    invlpg [0x403000]
    mov word [0x403ffe], 0x00b8
    SET_RESUME cross_done
    jmp 0x403ffe
cross_done:
    ; A fetch from a not-present page at CPL 0.
    SET_RESUME fetch_done
    jmp 0x404010
fetch_done:
    ; Paging off again: linear is physical.
    mov eax, cr0
    and eax, 0x7fffffff
    mov cr0, eax
    PRINT 'paging off: '
    HEX [0x51000]
    PRINT {10}
    EXIT

user_read:
    mov ebx, [uaddr]
    mov eax, [ebx]
    PRINTLN 'ok'
    int 0x82

user_write:
    mov ebx, [uaddr]
    mov [ebx], eax
    PRINTLN 'ok'
    int 0x82

uaddr: dd 0

KIT_END
