import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MachineState } from '../machine/machine';
import { createPcMachine } from '../machine/pc-machine';
import { SnapshotError } from './errors';
import { readSnapshot, readSnapshotManifest, writeSnapshot } from './snapshot-file';

const meta = (id: string, name = id) => ({ id, name, createdAt: '2026-11-21T00:00:00.000Z' });

// nasm's build of examples/hello.asm, so these tests do not depend on the assembler.
const HELLO = readFileSync('src/engine/assembler/golden/examples/hello.bin');

function bootedMachine(image: Uint8Array) {
  let out = '';
  const machine = createPcMachine({
    memoryMiB: 4,
    console: {
      write: (port, byte) => {
        if (port === 'com1') out += String.fromCharCode(byte);
      },
    },
  });
  machine.loadBootSector(image);
  return { machine, output: () => out };
}

describe('snapshot files', () => {
  it('restores a machine that continues exactly as the original: output and icount', () => {
    const a = bootedMachine(HELLO);
    a.machine.run(60);
    const { file } = writeSnapshot(meta('s1'), a.machine.saveState());
    const before = a.output();
    a.machine.run(1_000_000);
    const expected = { out: a.output().slice(before.length), icount: a.machine.icount };

    const b = bootedMachine(new Uint8Array([0xf4]));
    const { state } = readSnapshot<MachineState>(file);
    b.machine.loadState(state);
    b.machine.run(1_000_000);
    expect({ out: b.output(), icount: b.machine.icount }).toEqual(expected);
    expect(expected.out).toContain('Hello from vmlab!');
  });

  it('a mostly zero VM file is about its non-zero pages plus a few KiB', () => {
    const a = bootedMachine(HELLO);
    a.machine.run(1_000_000);
    const state = a.machine.saveState();
    const nonZeroPages = countNonZeroPages(state.memory);
    const { file } = writeSnapshot(meta('s1'), state);
    expect(file.length).toBeLessThan(nonZeroPages * 4096 + 16 * 1024);
  });

  it('an incremental snapshot stores only the pages dirtied since its parent', () => {
    const a = bootedMachine(HELLO);
    a.machine.run(50);
    const first = writeSnapshot(meta('p'), a.machine.saveState());
    const parent = readSnapshot<MachineState>(first.file);
    a.machine.run(1_000_000);
    const childState = a.machine.saveState();
    const child = writeSnapshot(meta('c'), childState, {
      id: 'p',
      nonce: parent.manifest.nonce,
      memory: parent.state.memory,
    });
    expect(child.manifest.stats.stored + child.manifest.stats.zero).toBeLessThanOrEqual(3);
    expect(child.file.length).toBeLessThan(3 * 4096 + 16 * 1024);
    const back = readSnapshot<MachineState>(child.file, (id) =>
      id === 'p' ? first.file : undefined,
    );
    expect(firstDifference(back.state.memory, childState.memory)).toBe(-1);
    expect(back.state.cpu.icount).toBe(childState.cpu.icount);

    // Into memory that exists (a VM's), whatever it held; a corrupt chain leaves it untouched.
    const into = new Uint8Array(childState.memory.length).fill(0xcc);
    const loadParent = (id: string) => (id === 'p' ? first.file : undefined);
    expect(readSnapshot(child.file, loadParent, into).state.memory).toBe(into);
    expect(firstDifference(into, childState.memory)).toBe(-1);
    const broken = child.file.slice();
    broken[broken.length - 1]! ^= 1;
    into.fill(0xcc);
    expect(() => readSnapshot(broken, loadParent, into)).toThrow(SnapshotError);
    expect(into.every((b) => b === 0xcc)).toBe(true);
    expect(() => readSnapshot(child.file, loadParent, new Uint8Array(4096))).toThrow(/this VM has/);
  });

  it('refuses an incremental snapshot whose parent is missing or another one', () => {
    const a = bootedMachine(HELLO);
    const first = writeSnapshot(meta('p', 'base'), a.machine.saveState());
    const p = readSnapshot<MachineState>(first.file);
    a.machine.run(100);
    const child = writeSnapshot(meta('c', 'later'), a.machine.saveState(), {
      id: 'p',
      nonce: p.manifest.nonce,
      memory: p.state.memory,
    });
    expect(() => readSnapshot(child.file)).toThrow(
      new SnapshotError(
        'missing-parent',
        "snapshot 'later' is incremental and its parent 'p' is missing",
      ),
    );
    const impostor = writeSnapshot(meta('p', 'other'), a.machine.saveState()).file;
    expect(() => readSnapshot(child.file, () => impostor)).toThrow(/different 'p'/);
  });

  it('lists a snapshot from its manifest, thumbnail included', () => {
    const a = bootedMachine(HELLO);
    const { file } = writeSnapshot(
      { ...meta('s1', 'booted'), screen: ['Hello'], description: 'after boot' },
      a.machine.saveState(),
    );
    expect(readSnapshotManifest(file)).toMatchObject({
      kind: 'vmlab-snapshot',
      name: 'booted',
      description: 'after boot',
      screen: ['Hello'],
      parent: null,
      memoryBytes: 4 << 20,
    });
  });
});

function countNonZeroPages(memory: Uint8Array): number {
  let n = 0;
  for (let p = 0; p < memory.length; p += 4096) {
    if (memory.subarray(p, p + 4096).some((b) => b !== 0)) n++;
  }
  return n;
}

/** Index of the first differing byte, or -1 (vitest's deep equality is slow on MiBs). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
