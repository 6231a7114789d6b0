// `vmlab run [FILE]`: a headless boot; guest output on stdout, the outcome as exit status.
import { createWriteStream, type WriteStream } from 'node:fs';
import { basename, extname } from 'node:path';
import {
  assemble,
  type BlockDevice,
  DEFAULT_MEMORY_MIB,
  EngineError,
  MAX_MEMORY_MIB,
  type Machine,
  type MachineState,
  readSnapshot,
  SnapshotError,
  writeSnapshot,
} from '../../engine';
import { RawFileDisk } from '../disks/raw-file-disk';
import { writeFileAtomic } from '../services/atomic-file';
import { projectReader } from './command-asm';
import { formatDiagnostic } from './diagnostics';
import {
  bootHeadless,
  exitStatusOf,
  type HeadlessBoot,
  type HeadlessOutcome,
  runHeadless,
} from './headless-run';
import { readInput } from './read-input';
import { numberFlag, parse, UsageError } from './usage';

/** IDE positions the --disk flags fill, in order: primary master/slave, secondary master/slave. */
const MAX_DISKS = 4;

export async function commandRun(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    'max-instructions': { type: 'string' },
    timeout: { type: 'string' },
    memory: { type: 'string' },
    screen: { type: 'boolean' },
    disk: { type: 'string', multiple: true },
    kernel: { type: 'string' },
    cmdline: { type: 'string' },
    serial: { type: 'string' },
    'vga-dump': { type: 'boolean' },
    stats: { type: 'boolean' },
    'save-snapshot': { type: 'string' },
    'restore-snapshot': { type: 'string' },
  });
  const diskPaths = values.disk ?? [];
  if (positionals.length > 1)
    throw new UsageError(`expected at most one FILE to run, got ${positionals.join(' ')}`);
  const file = positionals[0];
  const restore = values['restore-snapshot'];
  if (!file && !values.kernel && !restore && diskPaths.length === 0) {
    throw new UsageError('expected one FILE to run, got none (or --disk IMG / --kernel ELF)');
  }
  if ([file, values.kernel, restore].filter(Boolean).length > 1) {
    throw new UsageError('give one of FILE, --kernel or --restore-snapshot');
  }
  if (diskPaths.length > MAX_DISKS) throw new UsageError(`at most ${MAX_DISKS} --disk images`);
  const maxInstructions = numberFlag('max-instructions', values['max-instructions'], { min: 1 });
  const timeoutSeconds = numberFlag('timeout', values.timeout, { integer: false, max: 1e7 });
  const memoryMiB = values.memory === undefined ? DEFAULT_MEMORY_MIB : parseMemory(values.memory);

  let boot: HeadlessBoot = { kind: 'disk' };
  if (file) {
    const input = await readInput(file);
    let image: Uint8Array = input;
    if (extname(file).toLowerCase() === '.asm') {
      const result = assemble(input.toString('utf8'), {
        fileName: file,
        readFile: projectReader(file),
      });
      for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (!result.ok) return 1;
      image = result.bytes;
    }
    boot = { kind: 'image', image };
  } else if (values.kernel) {
    boot = { kind: 'kernel', image: await readInput(values.kernel), cmdline: values.cmdline ?? '' };
  } else if (restore) {
    boot = { kind: 'state', state: readSnapshotFile(await readInput(restore), restore) };
  }
  // A restored machine keeps the memory size it was saved with.
  const machineMiB = boot.kind === 'state' ? boot.state.memoryMiB : memoryMiB;

  const saveTo = values['save-snapshot'];
  const disks: RawFileDisk[] = [];
  let serialFile: WriteStream | undefined;
  const out = new StdoutBatcher();
  let outcome: HeadlessOutcome;
  let machine: Machine;
  try {
    for (const path of diskPaths) disks.push(openDisk(path));
    if (values.serial !== undefined && values.serial !== 'stdio') {
      serialFile = createWriteStream(values.serial);
    }
    const serialBytes: number[] = [];
    const options = {
      boot,
      memoryMiB: machineMiB,
      maxInstructions,
      timeoutSeconds,
      disks: disks as BlockDevice[],
      write: (port: 'com1' | 'debug' | 'screen', byte: number) => {
        if (port === 'com1' && serialFile) serialBytes.push(byte);
        else if (port !== 'screen' || values.screen) out.push(byte);
      },
    };
    machine = bootMachine(options, restore);
    outcome = runHeadless(machine, options);
    // The guest's disk writes sit in overlays so a snapshot can carry them. They reach the
    // image files at the end of a run, except when a snapshot was saved: it refers to the
    // images as they were at the start, so they stay that way.
    if (saveTo) await saveSnapshotFile(machine, saveTo);
    else machine.commitDisks();

    if (serialFile) {
      const stream = serialFile;
      await new Promise<void>((done, fail) => {
        stream.on('error', fail);
        stream.end(Buffer.from(serialBytes), () => done());
      });
    }
  } finally {
    for (const d of disks) d.close();
    await out.flush();
  }
  if (values['vga-dump']) process.stdout.write(`${machine.screen().lines.join('\n')}\n`);
  if (values.stats) process.stderr.write(formatStats(machine));
  if (outcome.kind === 'unimplemented' || outcome.kind === 'triple-fault') {
    process.stderr.write(`${outcome.report}\n`);
  } else {
    const note = noteFor(outcome);
    if (note) process.stderr.write(`vmlab: ${note}\n`);
  }
  // Stopping at the instruction limit is the point of a run that saves a snapshot there.
  if (saveTo && outcome.kind === 'instruction-limit') return 0;
  return exitStatusOf(outcome);
}

/** Boots the machine; a snapshot the disks given do not fit is refused with its reason. */
function bootMachine(
  options: Parameters<typeof bootHeadless>[0],
  restore: string | undefined,
): Machine {
  try {
    return bootHeadless(options);
  } catch (err) {
    if (err instanceof EngineError && err.kind === 'bad-state') {
      throw new UsageError(`cannot restore ${restore}: ${err.message}`);
    }
    throw err;
  }
}

/** Reads a snapshot file into a machine state, with a clear message if it is refused. */
function readSnapshotFile(bytes: Uint8Array, path: string): MachineState {
  try {
    return readSnapshot<MachineState>(bytes).state;
  } catch (err) {
    if (err instanceof SnapshotError)
      throw new UsageError(`cannot restore ${path}: ${err.message}`);
    throw err;
  }
}

/** Writes the machine as a standalone (full) snapshot file, atomically. */
async function saveSnapshotFile(machine: Machine, path: string): Promise<void> {
  const state = machine.saveState();
  const name = basename(path, extname(path));
  const { file } = writeSnapshot(
    { id: name, name, createdAt: new Date().toISOString(), screen: machine.screen().lines },
    state,
  );
  await writeFileAtomic(path, file);
  process.stderr.write(`vmlab: saved a snapshot at instruction ${state.cpu.icount} to ${path}\n`);
  const written = (state.disks ?? []).reduce((n, d) => n + (d?.sectors.length ?? 0), 0);
  if (written > 0) {
    process.stderr.write(
      `vmlab: the guest's ${written} written disk sectors are in the snapshot, not in the disk images\n`,
    );
  }
}

function openDisk(path: string): RawFileDisk {
  try {
    return RawFileDisk.open(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot open ${path}: ${(e as Error).message}`,
    );
  }
}

/** Parses a memory size: a number of MiB, or a number with K, M or G (KiB/MiB/GiB also). */
export function parseMemory(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg])?(?:i?b)?\s*$/i.exec(text);
  const bad = () =>
    new UsageError(
      `--memory must be a size from 1M to 2G (${MAX_MEMORY_MIB} MiB) in whole MiB, like 256 or 1G, not '${text}'`,
    );
  if (!m) throw bad();
  const unit = (m[2] ?? 'm').toLowerCase();
  const mib = Number(m[1]) * (unit === 'k' ? 1 / 1024 : unit === 'g' ? 1024 : 1);
  if (!Number.isInteger(mib) || mib < 1 || mib > MAX_MEMORY_MIB) throw bad();
  return mib;
}

function formatStats(machine: Machine): string {
  const s = machine.stats();
  const lines = [
    `icount: ${s.icount}`,
    `virtual time: ${(s.virtualTimeNs / 1e6).toFixed(3)} ms`,
    ...Object.entries(s.devices).map(
      ([name, counters]) =>
        `${name}: ${
          Object.entries(counters)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') || '-'
        }`,
    ),
  ];
  return `${lines.join('\n')}\n`;
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
    case 'triple-fault':
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
