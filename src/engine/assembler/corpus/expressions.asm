; NASM's expression grammar: every operator and its precedence, in bits 32
bits 32
org 0x1000
base:
    dd 1 + 2 * 3, (1 + 2) * 3, 10 - 4 - 3, 7 / 2, 7 % 4
    dd -7 / 2, -7 // 2, -7 % 4, -7 %% 4
    dd 1 << 4 | 1, 0xF0 & 0x3C ^ 0x01, 0x80000000 >> 4, -16 >>> 2, 1 <<< 3
    dd ~0, !0, !7, -(-3), +4
    dd 1 == 1, 1 = 2, 1 != 2, 1 <> 1, 2 < 3, 3 <= 3, 4 > 5, 5 >= 5
    dd 1 && 0, 1 || 0, 1 ^^ 1, 0 ^^ 1, 2 && 3
    dd 1 ? 10 : 20, 0 ? 10 : 20, 1 + 1 == 2 ? 'ok' : 'no'
    dd 'ab' + 1, "a" << 8, `\n`
    dd $ - base, $$, here - base, (here - base) * 2
    dd 1 + 2 == 3 && 4 > 3 || 0, 3 <=> 4, 4 <=> 3, 3 <=> 3
    dd 3 | 4 ^ 1 & 2, 1 + 2 << 3, 2 * 3 % 4
    dq 0x8000000000000000 >> 63, -1 >>> 63, 1 << 63
    dw 0x10000 - 1
    db 0xFF + 0, -128
    mov eax, [base + 4 * 2]
    mov ebx, (1 << 12) - 1
    lea ecx, [ebx + ebx * 2 + 3 - 1]
    lea edx, [4 * eax + 8]
    lea esi, [eax * 9]
    lea edi, [ebx * 1]
here:
