// `vmlab bench`: measured figures (never asserted in tests): guest MIPS of each CPU tier on the
// benchmark guest's three kernels (bench-guest.ts, the peers' kernels instruction for
// instruction), and assembler speed on a generated source. Process CPU time, medians of runs.
import { assemble, type CpuTier, createPcMachine } from '../../engine';
import { BENCH_KERNELS, benchGuestSource, expectedResult, kernelInstructions } from './bench-guest';
import { benchSnapshots } from './bench-snapshots';
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

const TIERS: CpuTier[] = ['reference', 'fast'];

/** Iterations per kernel at scale 1: about 20 million kernel instructions each. */
const ITERS: Record<number, number> = { 1: 2_500_000, 2: 4, 3: 4 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Process CPU time in ms (user + system): the machine may be shared, wall time is not fair. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Boots one bench image on `tier` to its exit; returns CPU ms, icount and the R= line. */
function runImage(
  image: Uint8Array,
  tier: CpuTier,
): { ms: number; icount: number; result: string } {
  let out = '';
  const machine = createPcMachine({
    memoryMiB: 16,
    tier,
    console: {
      write(port, byte) {
        if (port === 'debug') out += String.fromCharCode(byte);
      },
    },
  });
  machine.loadBootSector(image);
  const start = cpuMs();
  const r = machine.run(Number.MAX_SAFE_INTEGER);
  const ms = cpuMs() - start;
  if (r.reason !== 'exit') throw new Error(`bench guest stopped: ${r.reason}`);
  return { ms, icount: machine.icount, result: out.trim() };
}

/** One kernel on one tier: median MIPS over `runs`, as instructions / (time(N) - time(0)). */
interface KernelFigure {
  kernel: string;
  tier: CpuTier;
  mips: number;
  instructions: number;
  result: string;
  resultOk: boolean;
}

function measureKernel(kernel: number, name: string, tier: CpuTier, runs: number, scale: number) {
  const iters = Math.max(1, Math.round(ITERS[kernel]! * scale));
  const image = assemble(benchGuestSource(kernel, iters));
  const base = assemble(benchGuestSource(kernel, 0));
  if (!image.ok || !base.ok) throw new Error(`bench guest ${name} did not assemble`);
  const instructions = kernelInstructions(kernel, iters);
  const want = `R=${expectedResult(kernel, iters)}`;
  runImage(base.bytes, tier); // warm up the JIT
  const mips: number[] = [];
  let result = '';
  for (let i = 0; i < runs; i++) {
    const zero = runImage(base.bytes, tier);
    const full = runImage(image.bytes, tier);
    result = full.result;
    mips.push(instructions / Math.max(full.ms - zero.ms, 0.001) / 1000);
  }
  const figure: KernelFigure = {
    kernel: name,
    tier,
    mips: median(mips),
    instructions,
    result,
    resultOk: result === want,
  };
  return figure;
}

function measureAssembly(source: string): number {
  const start = cpuMs();
  const out = assemble(source);
  const ms = cpuMs() - start;
  if (!out.ok) throw new Error(`bench source did not assemble: ${out.diagnostics[0]?.message}`);
  return ms;
}

/** Prints the CPU figures as a table, or as JSON. */
function printCpu(figures: KernelFigure[], runs: number, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ runs, cpu: figures }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`vmlab bench (median of ${runs} runs, process CPU time)\n`);
  process.stdout.write(
    `  ${'kernel'.padEnd(8)} ${'tier'.padEnd(10)} ${'MIPS'.padStart(8)}   result\n`,
  );
  for (const f of figures) {
    const check = f.resultOk ? 'ok' : 'WRONG';
    process.stdout.write(
      `  ${f.kernel.padEnd(8)} ${f.tier.padEnd(10)} ${f.mips.toFixed(1).padStart(8)}   ${f.result} ${check} (${f.instructions} instructions)\n`,
    );
  }
}

export async function commandBench(args: string[]): Promise<number> {
  const { values } = parse(args, {
    runs: { type: 'string' },
    scale: { type: 'string' },
    tier: { type: 'string' },
    kernel: { type: 'string' },
    cpu: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const runs = numberFlag('runs', values.runs, { min: 1, max: 100 }) ?? 3;
  const scale = numberFlag('scale', values.scale, { min: 0.001, max: 100, integer: false }) ?? 1;
  const tiers = values.tier ? TIERS.filter((t) => t === values.tier) : TIERS;
  if (tiers.length === 0) throw new Error(`unknown tier ${values.tier} (reference or fast)`);
  const kernels = values.kernel
    ? BENCH_KERNELS.filter((k) => k.name === values.kernel)
    : BENCH_KERNELS;
  if (kernels.length === 0) throw new Error(`unknown kernel ${values.kernel} (alu, memory or fib)`);
  const figures: KernelFigure[] = [];
  for (const tier of tiers) {
    for (const k of kernels) figures.push(measureKernel(k.id, k.name, tier, runs, scale));
  }
  if (values.cpu) {
    printCpu(figures, runs, values.json === true);
    return figures.every((f) => f.resultOk) ? 0 : 1;
  }
  const source = generatedSource(10_000);
  // The editor assembles on every keystroke: measure the warmed-up (steady) state, and the
  // first run apart, as a cold start costs several times more while V8 compiles.
  const asmFirstMs = measureAssembly(source);
  for (let i = 0; i < 5; i++) measureAssembly(source);
  const asmMs = median(Array.from({ length: runs }, () => measureAssembly(source)));
  const snapshots = benchSnapshots(runs);
  const ok = figures.every((f) => f.resultOk);
  if (values.json) {
    const assembler = { lines: 10_000, ms: asmMs, firstMs: asmFirstMs };
    process.stdout.write(
      `${JSON.stringify({ runs, cpu: figures, assembler, snapshots }, null, 2)}\n`,
    );
    return ok ? 0 : 1;
  }
  printCpu(figures, runs, false);
  process.stdout.write(
    `  assembler, 10,000-line source: ${asmMs.toFixed(1)} ms warmed up (first run ${asmFirstMs.toFixed(0)} ms)\n`,
  );
  process.stdout.write('  snapshots (wall clock):\n');
  for (const s of snapshots) {
    const size = (s.fileBytes / 1048576).toFixed(2);
    process.stdout.write(
      `    ${`${s.memoryMiB} MiB ${s.content}`.padEnd(22)} save ${s.saveMs.toFixed(0).padStart(4)} ms   restore ${s.restoreMs.toFixed(0).padStart(4)} ms   file ${size} MiB\n`,
    );
  }
  return ok ? 0 : 1;
}
