import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { PhysicalMemory } from '../bus/physical-memory';
import { PortBus } from '../bus/port-bus';
import { createPcMachine } from '../machine/pc-machine';
import { BlockCache } from './block-cache';
import { Cpu } from './cpu';
import { runFast } from './fast-step';
import { runSteps } from './interpreter';
import { CS, EAX, EDX, ESP } from './state';

const NEVER = { nextIcount: Number.MAX_SAFE_INTEGER };

/** Boots `source` on both tiers until it halts; returns AX and icount of each. */
function bothTiers(source: string): { ax: number; icount: number }[] {
  const image = assemble(source);
  expect(image.ok).toBe(true);
  return (['reference', 'fast'] as const).map((tier) => {
    const m = createPcMachine({ memoryMiB: 1, tier, console: { write: () => {} } });
    m.loadBootSector(image.bytes);
    expect(m.run(100_000).reason).toBe('halted');
    return { ax: m.saveState().cpu.regs[EAX]! & 0xffff, icount: m.icount };
  });
}

/** A bare real-mode CPU with `code` at 0000:7C00. */
function bare(code: Uint8Array): { cpu: Cpu; mem: PhysicalMemory } {
  const mem = new PhysicalMemory(1 << 20);
  const cpu = new Cpu(mem, new PortBus());
  mem.load(0x7c00, code);
  cpu.s.seg[CS] = 0;
  cpu.s.segBase[CS] = 0;
  cpu.s.eip = 0x7c00;
  cpu.s.regs[ESP] = 0x7000;
  return { cpu, mem };
}

describe('fast tier', () => {
  it('sees an instruction rewrite the immediate of the next one in its own block', () => {
    const runs = bothTiers(`bits 16
org 0x7C00
    cli
    xor bx, bx
    mov ds, bx
    xor ax, ax
    mov cx, 10
again:
    inc word [imm]
    db 0x05          ; add ax, imm16
imm: dw 0
    loop again
    hlt
times 510-($-$$) db 0
dw 0xAA55
`);
    expect(runs[0]).toEqual({ ax: 55, icount: runs[0]!.icount });
    expect(runs[1]).toEqual(runs[0]);
  });

  it('sees a PUSH overwrite the next instruction of its block', () => {
    const runs = bothTiers(`bits 16
org 0x7C00
    cli
    mov sp, patch + 2
    mov ax, 0x4040   ; two INC AX
    push ax
patch:
    mov bx, bx
    hlt
times 510-($-$$) db 0
dw 0xAA55
`);
    expect(runs[0]!.ax).toBe(0x4042);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('delivers a fault inside a hot, translated loop at the faulting instruction', () => {
    const runs = bothTiers(`bits 16
org 0x7C00
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7000
    mov word [0], divide_error
    mov word [2], 0
    mov si, 150
again:
    mov ax, 100
    xor dx, dx
    dec si
fault:
    div si
    jmp again
divide_error:
    pop ax           ; the saved IP: the DIV itself
    sub ax, fault
    add ax, si       ; 0 when SI reached 0 at the DIV
    hlt
times 510-($-$$) db 0
dw 0xAA55
`);
    expect(runs[0]!.ax).toBe(0);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('drops decoded code when RAM is rewritten behind the CPU (DMA, loaders)', () => {
    const first = assemble('bits 16\nmov ax, 1\nadd ax, 2\nhlt\n').bytes;
    const second = assemble('bits 16\nmov ax, 5\nadd ax, 7\nhlt\n').bytes;
    for (const run of [runSteps, runFast]) {
      const { cpu, mem } = bare(first);
      while (!cpu.s.halted) run(cpu, 100, NEVER);
      expect(cpu.s.regs[EAX]).toBe(3);
      mem.load(0x7c00, second);
      cpu.s.halted = false;
      cpu.s.eip = 0x7c00;
      while (!cpu.s.halted) run(cpu, 100, NEVER);
      expect(cpu.s.regs[EAX]).toBe(12);
      expect(cpu.s.icount).toBe(6);
    }
  });

  it('stops a translated block anywhere, with EIP, icount and registers as the reference', () => {
    const loop = assemble(
      'bits 16\nl: inc ax\nadd bx, ax\nmov [0x500], bx\nxor cx, bx\nsub dx, 3\njnz l\nhlt\n',
    ).bytes;
    const trace = (translated: boolean | null) => {
      const { cpu, mem } = bare(loop);
      if (translated !== null) {
        cpu.blocks = new BlockCache(mem);
        cpu.blocks.hotRuns = translated ? 0 : Number.POSITIVE_INFINITY;
      }
      cpu.s.regs[EDX] = 30;
      const out: number[][] = [];
      for (let k = 1; k < 40 && !cpu.s.halted; k++) {
        const run = translated === null ? runSteps : runFast;
        const steps = run(cpu, k % 7 === 0 ? 100 : k % 5, {
          nextIcount: cpu.s.icount + (k % 11) + 1,
        });
        out.push([steps, cpu.s.icount, cpu.s.eip, ...cpu.s.regs, mem.read16(0x500)]);
      }
      return out;
    };
    const reference = trace(null);
    expect(trace(false)).toEqual(reference);
    expect(trace(true)).toEqual(reference);
  });

  it('stops a block at the step budget and at the timer deadline, as the reference does', () => {
    const loop = assemble('bits 16\nl: inc ax\nadd bx, ax\nxor cx, bx\njmp l\n').bytes;
    const counts = [runSteps, runFast].map((run) => {
      const { cpu } = bare(loop);
      const steps = [run(cpu, 5, NEVER), run(cpu, 100, { nextIcount: 7 }), run(cpu, 3, NEVER)];
      return { steps, icount: cpu.s.icount, regs: Array.from(cpu.s.regs), eip: cpu.s.eip };
    });
    expect(counts[0]!.steps).toEqual([5, 2, 3]);
    expect(counts[1]).toEqual(counts[0]);
  });
});
