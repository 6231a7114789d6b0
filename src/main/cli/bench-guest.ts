// The benchmark guest of `vmlab bench`: the three kernels of the peers' boot.asm (ALU loop, 4 MiB
// sweep with paging on, recursive fib), instruction for instruction, as a boot sector source.

/** The kernels, numbered as in the peers' boot.asm. */
export const BENCH_KERNELS = [
  { id: 1, name: 'alu' },
  { id: 2, name: 'memory' },
  { id: 3, name: 'fib' },
] as const;

/** fib's argument, as in the peers' runs. */
export const FIB_N = 27;

const KERNEL_SOURCE: Record<number, (iters: number) => string> = {
  1: (iters) => `
        mov ecx, ${iters}
        mov eax, 1
        mov ebx, 2
        mov edx, 3
        mov esi, 4
        mov edi, 5
        test ecx, ecx
        jz alu_done
alu:    add eax, ebx
        xor ebx, ecx
        sub edx, eax
        or  esi, edx
        and edi, esi
        inc eax
        dec ecx
        jnz alu
alu_done:
        xor eax, ebx
        xor eax, edx
        xor eax, esi
        xor eax, edi
`,
  2: (iters) => `
        xor eax, eax
        mov edi, 0x400000
        mov ecx, 0x100000
        rep stosd
        mov ebp, ${iters}
        mov eax, 1
        test ebp, ebp
        jz mem_done
pass:   mov esi, 0x400000
inner:  add eax, [esi]
        mov [esi], eax
        add esi, 4
        cmp esi, 0x800000
        jb inner
        dec ebp
        jnz pass
mem_done:
`,
  3: (iters) => `
        mov ebx, ${iters}
        xor edi, edi
        test ebx, ebx
        jz fib_done
again:  mov ecx, ${FIB_N}
        call fib
        add edi, eax
        dec ebx
        jnz again
fib_done:
        mov eax, edi
`,
};

const FIB = `
fib:    cmp ecx, 2
        jb leaf
        push ecx
        dec ecx
        call fib
        pop ecx
        push eax
        sub ecx, 2
        call fib
        pop edx
        add eax, edx
        ret
leaf:   mov eax, ecx
        ret
`;

/** The boot sector source running `kernel` (1-3) `iters` times, then R=<hex> on port E9h and exit. */
export function benchGuestSource(kernel: number, iters: number): string {
  const body = KERNEL_SOURCE[kernel];
  if (!body) throw new Error(`no bench kernel ${kernel}`);
  return `bits 16
org 0x7C00
start:
        cli
        cld
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        in al, 0x92
        or al, 2
        and al, 0xFE
        out 0x92, al
        lgdt [gdt_desc]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp dword 0x08:pm32
bits 32
pm32:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        mov esp, 0x90000
        xor eax, eax
        mov edi, 0x20000
        mov ecx, 1024
        rep stosd
        mov edi, 0x21000
        mov eax, 3
        mov ecx, 4096
pte:    stosd
        add eax, 0x1000
        loop pte
        mov edi, 0x20000
        mov eax, 0x21000 + 3
        mov ecx, 4
pde:    stosd
        add eax, 0x1000
        loop pde
        mov eax, 0x20000
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        jmp pg
pg:
${body(iters)}
        mov ebx, eax
        mov al, 'R'
        call putc
        mov al, '='
        call putc
        mov ecx, 8
hex:    rol ebx, 4
        mov al, bl
        and al, 0x0F
        add al, '0'
        cmp al, '9'
        jbe dig
        add al, 7
dig:    call putc
        loop hex
        mov al, 10
        call putc
        mov dx, 0xF4
        xor al, al
        out dx, al
        cli
halt:   hlt
        jmp halt
${kernel === 3 ? FIB : ''}
putc:   out 0xE9, al
        ret

        align 8
gdt:    dq 0
        dq 0x00CF9A000000FFFF
        dq 0x00CF92000000FFFF
gdt_desc:
        dw gdt_desc - gdt - 1
        dd gdt

        times 510-($-$$) db 0
        dw 0xAA55
`;
}

/** Instructions the kernel itself retires for `iters` iterations (the peers' README formula). */
export function kernelInstructions(kernel: number, iters: number): number {
  if (kernel === 1) return 8 * iters;
  if (kernel === 2) return (5 * 2 ** 20 + 3) * iters;
  const leaves = [1, 1];
  for (let i = 2; i <= FIB_N + 1; i++) leaves.push(leaves[i - 1]! + leaves[i - 2]!);
  const l = leaves[FIB_N]!;
  return (12 * (l - 1) + 4 * l + 5) * iters;
}

/** The R= value the kernel prints after `iters` iterations, as 8 upper-case hex digits. */
export function expectedResult(kernel: number, iters: number): string {
  let r = 0;
  if (kernel === 1) {
    let [eax, ebx, edx, esi, edi, ecx] = [1, 2, 3, 4, 5, iters];
    while (ecx !== 0) {
      eax = (eax + ebx) >>> 0;
      ebx = (ebx ^ ecx) >>> 0;
      edx = (edx - eax) >>> 0;
      esi = (esi | edx) >>> 0;
      edi = (edi & esi) >>> 0;
      eax = (eax + 1) >>> 0;
      ecx--;
    }
    r = (eax ^ ebx ^ edx ^ esi ^ edi) >>> 0;
  } else if (kernel === 2) {
    const a = new Uint32Array(1 << 20);
    let eax = 1;
    for (let p = 0; p < iters; p++) {
      for (let i = 0; i < a.length; i++) {
        eax = (eax + a[i]!) >>> 0;
        a[i] = eax;
      }
    }
    r = eax;
  } else {
    let [a, b] = [0, 1];
    for (let i = 0; i < FIB_N; i++) [a, b] = [b, a + b];
    r = Number((BigInt(a) * BigInt(iters)) & 0xffffffffn);
  }
  return r.toString(16).toUpperCase().padStart(8, '0');
}
