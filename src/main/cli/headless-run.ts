// A headless run: a machine stepped in slices on this thread until the guest halts,
// writes the exit port, hits something unimplemented, or a bound is reached.
import {
  type BlockDevice,
  createPcMachine,
  type EngineError,
  type Machine,
  type MachineState,
} from '../../engine';

export type ConsoleWriter = (port: 'com1' | 'debug' | 'screen', byte: number) => void;

/** How the machine starts: a boot image at 0x7C00, the first disk's MBR, or a Multiboot kernel. */
export type HeadlessBoot =
  | { kind: 'image'; image: Uint8Array }
  | { kind: 'disk' }
  | { kind: 'kernel'; image: Uint8Array; cmdline: string }
  /** A machine saved earlier (a snapshot file), continued where it stopped. */
  | { kind: 'state'; state: MachineState };

export interface HeadlessOptions {
  boot: HeadlessBoot;
  memoryMiB: number;
  write: ConsoleWriter;
  disks?: readonly (BlockDevice | undefined)[];
  maxInstructions?: number;
  timeoutSeconds?: number;
  now?: () => number;
}

export type HeadlessOutcome =
  | { kind: 'halted'; interruptsEnabled: boolean; icount: number }
  | { kind: 'exit'; status: number; icount: number }
  | { kind: 'unimplemented'; message: string; icount: number; report: string }
  | { kind: 'triple-fault'; message: string; icount: number; report: string }
  | { kind: 'guest-error'; message: string; icount: number }
  | { kind: 'instruction-limit'; icount: number }
  | { kind: 'timeout'; icount: number };

const SLICE = 1_000_000;

/** Builds the machine for `options` and boots it as asked. */
export function bootHeadless(options: HeadlessOptions): Machine {
  const machine = createPcMachine({
    memoryMiB: options.memoryMiB,
    console: { write: options.write },
    disks: options.disks,
  });
  const boot = options.boot;
  if (boot.kind === 'state') machine.loadState(boot.state);
  else if (boot.kind === 'image') machine.loadBootSector(boot.image);
  else if (boot.kind === 'kernel') machine.loadKernel(boot.image, boot.cmdline);
  else machine.bootFromDisk();
  return machine;
}

/** Runs `machine` to an outcome. */
export function runHeadless(machine: Machine, options: HeadlessOptions): HeadlessOutcome {
  const now = options.now ?? (() => performance.now());
  const deadline =
    options.timeoutSeconds === undefined ? Infinity : now() + options.timeoutSeconds * 1000;
  // The bound counts from where the machine is: a restored snapshot runs N more instructions.
  const limit = (options.maxInstructions ?? Infinity) + machine.icount;
  for (;;) {
    const left = limit - machine.icount;
    if (left <= 0) return { kind: 'instruction-limit', icount: machine.icount };
    if (now() >= deadline) return { kind: 'timeout', icount: machine.icount };
    const result = machine.run(Math.min(SLICE, left));
    const icount = machine.icount;
    switch (result.reason) {
      case 'budget':
        continue;
      case 'halted':
        return { kind: 'halted', interruptsEnabled: result.interruptsEnabled, icount };
      case 'exit':
        return { kind: 'exit', status: result.status, icount };
      case 'error': {
        const e = result.error;
        if (e.kind.startsWith('unimplemented') || e.kind === 'triple-fault') {
          const kind = e.kind === 'triple-fault' ? 'triple-fault' : 'unimplemented';
          return { kind, message: e.message, icount, report: crashReport(machine, e) };
        }
        return { kind: 'guest-error', message: e.message, icount };
      }
    }
  }
}

const h = (v: number, digits = 8) => (v >>> 0).toString(16).toUpperCase().padStart(digits, '0');

/** A one-screen report of the machine at a triple fault or unimplemented feature. */
export function crashReport(machine: Machine, error: EngineError): string {
  const state: MachineState = machine.saveState();
  const c = state.cpu;
  const r = c.regs;
  const segs = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS']
    .map((n, i) => `${n}=${h(c.seg[i]!, 4)} base ${h(c.segBase[i]!)} limit ${h(c.segLimit[i]!)}`)
    .join('\n  ');
  const stats = machine.stats();
  const screen = machine
    .screen()
    .lines.filter((l) => l !== '')
    .slice(-6)
    .map((l) => `  | ${l}`)
    .join('\n');
  return [
    `vmlab: ${error.message}`,
    `  after ${stats.icount} instructions, ${(stats.virtualTimeNs / 1e6).toFixed(3)} ms of virtual time`,
    `  EAX=${h(r[0]!)} EBX=${h(r[3]!)} ECX=${h(r[1]!)} EDX=${h(r[2]!)}`,
    `  ESI=${h(r[6]!)} EDI=${h(r[7]!)} EBP=${h(r[5]!)} ESP=${h(r[4]!)}`,
    `  EIP=${h(c.eip)} EFLAGS=${h(c.eflags)} CR0=${h(c.cr0)} CR2=${h(c.cr2)} CR3=${h(c.cr3)}`,
    `  GDTR=${h(c.gdtrBase)}/${h(c.gdtrLimit, 4)} IDTR=${h(c.idtrBase)}/${h(c.idtrLimit, 4)}`,
    `  ${segs}`,
    ...(screen ? ['  screen (last lines):', screen] : []),
  ].join('\n');
}

/** The process exit status for an outcome (documented in the README). */
export function exitStatusOf(outcome: HeadlessOutcome): number {
  switch (outcome.kind) {
    case 'halted':
      return 0;
    case 'exit':
      return outcome.status;
    case 'unimplemented':
    case 'triple-fault':
      return 2;
    case 'guest-error':
      return 3;
    case 'instruction-limit':
    case 'timeout':
      return 124;
  }
}
