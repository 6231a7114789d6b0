// `vmlab run FILE`: a headless boot; guest output on stdout, the outcome as exit status.
import { extname } from 'node:path';
import { assemble } from '../../engine';
import { formatDiagnostic } from './diagnostics';
import { exitStatusOf, type HeadlessOutcome, runHeadless } from './headless-run';
import { readInput } from './read-input';
import { numberFlag, onePositional, parse } from './usage';

export async function commandRun(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    'max-instructions': { type: 'string' },
    timeout: { type: 'string' },
    memory: { type: 'string' },
    screen: { type: 'boolean' },
  });
  const file = onePositional(positionals, 'FILE to run');
  const maxInstructions = numberFlag('max-instructions', values['max-instructions'], { min: 1 });
  const timeoutSeconds = numberFlag('timeout', values.timeout, { integer: false, max: 1e7 });
  const memoryMiB = numberFlag('memory', values.memory, { min: 1, max: 2048 }) ?? 256;
  const input = await readInput(file);

  let image: Uint8Array = input;
  if (extname(file).toLowerCase() === '.asm') {
    const result = assemble(input.toString('utf8'), { fileName: file });
    for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!result.ok) return 1;
    image = result.bytes;
  }

  const out = new StdoutBatcher();
  let outcome: HeadlessOutcome;
  try {
    outcome = runHeadless({
      image,
      memoryMiB,
      maxInstructions,
      timeoutSeconds,
      write: (port, byte) => {
        if (port !== 'screen' || values.screen) out.push(byte);
      },
    });
  } finally {
    await out.flush();
  }
  const note = noteFor(outcome);
  if (note) process.stderr.write(`vmlab: ${note}\n`);
  return exitStatusOf(outcome);
}

function noteFor(outcome: HeadlessOutcome): string | undefined {
  switch (outcome.kind) {
    case 'halted':
      return outcome.interruptsEnabled
        ? `guest halted with interrupts enabled and nothing left to wake it (${outcome.icount} instructions)`
        : undefined;
    case 'exit':
      return undefined;
    case 'unimplemented':
    case 'guest-error':
      return `${outcome.message} (after ${outcome.icount} instructions)`;
    case 'instruction-limit':
      return `stopped at the instruction limit (${outcome.icount} instructions)`;
    case 'timeout':
      return `stopped by the timeout (${outcome.icount} instructions)`;
  }
}

/** Guest bytes to stdout in chunks, so a chatty guest is not one write per byte. */
class StdoutBatcher {
  private buffer = Buffer.alloc(64 * 1024);
  private length = 0;
  private pending: Promise<void> = Promise.resolve();

  push(byte: number): void {
    this.buffer[this.length++] = byte;
    if (this.length === this.buffer.length) this.drain();
  }

  flush(): Promise<void> {
    this.drain();
    return this.pending;
  }

  private drain(): void {
    if (this.length === 0) return;
    const chunk = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    this.pending = this.pending.then(
      () => new Promise<void>((done) => process.stdout.write(chunk, () => done())),
    );
  }
}
