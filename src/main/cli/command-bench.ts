// `vmlab bench`: measured figures (never asserted in tests): interpreter speed on a guest
// loop and assembler speed on a generated source. Medians of several runs.
import { assemble, createPcMachine } from '../../engine';
import { numberFlag, parse } from './usage';

/** A 16-bit ALU loop: 8 instructions per iteration, 65535 iterations per outer pass. */
export const ALU_LOOP = `bits 16
org 0x7C00
    mov bx, 0
outer:
    mov cx, 0xFFFF
inner:
    add ax, cx
    xor dx, ax
    sub si, dx
    and di, 0x7FFF
    or bp, si
    inc bx
    cmp bx, dx
    loop inner
    jmp outer
times 510-($-$$) db 0
dw 0xAA55
`;

/** A source of `lines` instruction lines in the slice's repertoire, with labels and jumps. */
export function generatedSource(lines: number): string {
  const body = [
    'mov ax, 0x1234',
    'add ax, [bx+si+4]',
    'mov [di+label_0], al',
    'xor cx, cx',
    'cmp byte [bp-2], 7',
    'jnz label_0',
    'push ax',
    'pop dx',
  ];
  const out = ['bits 16', 'org 0x100', 'label_0:'];
  for (let i = 0; i < lines; i++) {
    if (i % 50 === 49) out.push(`label_${i}:`);
    else out.push(`    ${body[i % body.length]}`);
  }
  return `${out.join('\n')}\n`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measureMips(instructions: number): number {
  const image = assemble(ALU_LOOP).bytes;
  const machine = createPcMachine({ memoryMiB: 1, console: { write: () => {} } });
  machine.loadBootSector(image);
  const start = performance.now();
  const result = machine.run(instructions);
  const ms = performance.now() - start;
  if (result.reason !== 'budget') throw new Error(`bench guest stopped early: ${result.reason}`);
  return instructions / ms / 1000;
}

function measureAssembly(source: string): number {
  const start = performance.now();
  const out = assemble(source);
  const ms = performance.now() - start;
  if (!out.ok) throw new Error(`bench source did not assemble: ${out.diagnostics[0]?.message}`);
  return ms;
}

export async function commandBench(args: string[]): Promise<number> {
  const { values } = parse(args, { runs: { type: 'string' }, instructions: { type: 'string' } });
  const runs = numberFlag('runs', values.runs, { min: 1, max: 100 }) ?? 5;
  const instructions = numberFlag('instructions', values.instructions, { min: 1000 }) ?? 20_000_000;
  const source = generatedSource(10_000);
  measureMips(instructions / 10); // warm up the JIT before measuring
  measureAssembly(source);
  const mips = Array.from({ length: runs }, () => measureMips(instructions));
  const asm = Array.from({ length: runs }, () => measureAssembly(source));
  const rows = [
    [
      'interpreter, 16-bit ALU loop',
      `${median(mips).toFixed(1)} MIPS`,
      `${instructions} instructions`,
    ],
    ['assembler, 10,000-line source', `${median(asm).toFixed(1)} ms`, `${source.length} bytes`],
  ];
  process.stdout.write(`vmlab bench (median of ${runs} runs)\n`);
  for (const [what, figure, note] of rows) {
    process.stdout.write(`  ${what!.padEnd(32)} ${figure!.padStart(12)}   (${note})\n`);
  }
  return 0;
}
