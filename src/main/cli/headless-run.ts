// A headless run: a machine stepped in slices on this thread until the guest halts,
// writes the exit port, hits something unimplemented, or a bound is reached.
import { createPcMachine, type Machine } from '../../engine';

export type ConsoleWriter = (port: 'com1' | 'debug' | 'screen', byte: number) => void;

export interface HeadlessOptions {
  image: Uint8Array;
  memoryMiB: number;
  write: ConsoleWriter;
  maxInstructions?: number;
  timeoutSeconds?: number;
  now?: () => number;
}

export type HeadlessOutcome =
  | { kind: 'halted'; interruptsEnabled: boolean; icount: number }
  | { kind: 'exit'; status: number; icount: number }
  | { kind: 'unimplemented'; message: string; icount: number }
  | { kind: 'guest-error'; message: string; icount: number }
  | { kind: 'instruction-limit'; icount: number }
  | { kind: 'timeout'; icount: number };

const SLICE = 1_000_000;

/** Boots `image` as a boot sector and runs it to an outcome. */
export function runHeadless(options: HeadlessOptions): HeadlessOutcome {
  const machine: Machine = createPcMachine({
    memoryMiB: options.memoryMiB,
    console: { write: options.write },
  });
  machine.loadBootSector(options.image);
  const now = options.now ?? (() => performance.now());
  const deadline =
    options.timeoutSeconds === undefined ? Infinity : now() + options.timeoutSeconds * 1000;
  const limit = options.maxInstructions ?? Infinity;
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
      case 'error':
        return result.error.kind.startsWith('unimplemented')
          ? { kind: 'unimplemented', message: result.error.message, icount }
          : { kind: 'guest-error', message: result.error.message, icount };
    }
  }
}

/** The process exit status for an outcome (documented in the README). */
export function exitStatusOf(outcome: HeadlessOutcome): number {
  switch (outcome.kind) {
    case 'halted':
      return 0;
    case 'exit':
      return outcome.status;
    case 'unimplemented':
      return 2;
    case 'guest-error':
      return 3;
    case 'instruction-limit':
    case 'timeout':
      return 124;
  }
}
