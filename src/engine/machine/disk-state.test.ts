import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { EngineError } from '../bus/errors';
import { MemoryDisk } from '../disks/memory-disk';
import { readSnapshot, writeSnapshot } from '../snapshot/snapshot-file';
import type { MachineState } from './machine';
import { createPcMachine } from './pc-machine';

// A boot sector that, 20 times, reads sector 2 with int 13h, prints its first byte on port E9h,
// increments it and writes the sector back: its output shows whether disk writes survive.
const GUEST = `
bits 16
org 0x7c00
  xor ax, ax
  mov ds, ax
  mov es, ax
again:
  mov ax, 0x0201
  mov bx, 0x8000
  mov cx, 0x0003
  mov dx, 0x0080
  int 0x13
  mov al, [0x8000]
  out 0xe9, al
  inc byte [0x8000]
  mov ax, 0x0301
  mov bx, 0x8000
  mov cx, 0x0003
  mov dx, 0x0080
  int 0x13
  dec byte [count]
  jnz again
  mov al, 0
  out 0xf4, al
count: db 20
times 510-($-$$) db 0
dw 0xaa55
times 512 db 0
db 'A'
times 511 db 0
`;

function image(): Uint8Array {
  const out = assemble(GUEST);
  expect(out.ok).toBe(true);
  return out.bytes;
}

function machine(disk: MemoryDisk) {
  const text = { debug: '' };
  const m = createPcMachine({
    memoryMiB: 2,
    console: {
      write(port, byte) {
        if (port === 'debug') text.debug += String.fromCharCode(byte);
      },
    },
    disks: [disk],
  });
  return { m, text };
}

/** Runs until the guest has printed `n` characters. */
function runUntil(run: ReturnType<typeof machine>, n: number): void {
  while (run.text.debug.length < n) expect(run.m.run(1).reason).toBe('budget');
}

describe('disk contents in machine state', () => {
  it('keeps the guest writes in the state and out of the base disk, so a restore continues', () => {
    const base = new MemoryDisk(image());
    const first = machine(base);
    first.m.bootFromDisk();
    runUntil(first, 7);
    first.m.run(3); // inside the next iteration, before its write
    const state = first.m.saveState();
    expect(state.disks?.[0]?.sectors).toEqual([2]);
    first.m.run(10_000_000);
    expect(first.text.debug).toBe('ABCDEFGHIJKLMNOPQRST');
    expect(base.bytes[1024]).toBe(0x41); // the base never sees the writes

    // Through a snapshot file, incremental against a parent taken earlier.
    const again = machine(new MemoryDisk(image()));
    again.m.bootFromDisk();
    runUntil(again, 3);
    const parent = again.m.saveState();
    const parentFile = writeSnapshot({ id: 'p', name: 'p', createdAt: '' }, parent);
    const child = writeSnapshot({ id: 'c', name: 'c', createdAt: '' }, state, {
      id: 'p',
      nonce: parentFile.manifest.nonce,
      memory: parent.memory,
      disks: parent.disks,
    });
    expect(child.manifest.diskStats).toEqual({ sectors: 1, stored: 1 });
    const read = readSnapshot<MachineState>(child.file, () => parentFile.file).state;

    const restored = machine(new MemoryDisk(image()));
    restored.m.loadState(read);
    restored.m.run(10_000_000);
    expect(restored.text.debug).toBe('HIJKLMNOPQRST'); // the write of H was in the state
    expect(restored.m.icount).toBe(first.m.icount);
  });

  it('stores an unchanged disk as no sectors in an incremental snapshot', () => {
    const run = machine(new MemoryDisk(image()));
    run.m.bootFromDisk();
    runUntil(run, 2);
    const a = run.m.saveState();
    run.m.run(2); // not far enough for another write
    const b = run.m.saveState();
    const parent = writeSnapshot({ id: 'a', name: 'a', createdAt: '' }, a);
    const child = writeSnapshot({ id: 'b', name: 'b', createdAt: '' }, b, {
      id: 'a',
      nonce: parent.manifest.nonce,
      memory: a.memory,
      disks: a.disks,
    });
    expect(child.manifest.diskStats).toEqual({ sectors: 1, stored: 0 });
    const read = readSnapshot<MachineState>(child.file, () => parent.file).state;
    expect(read.disks).toEqual(b.disks);
  });

  it('refuses a state saved over another disk, and leaves the machine as it was', () => {
    const run = machine(new MemoryDisk(image()));
    run.m.bootFromDisk();
    runUntil(run, 4);
    const state = run.m.saveState();
    const otherImage = image();
    otherImage[1024] = 0x61;
    const other = machine(new MemoryDisk(otherImage));
    other.m.bootFromDisk();
    runUntil(other, 1);
    expect(() => other.m.loadState(state)).toThrow(EngineError);
    expect(() => other.m.loadState(state)).toThrow(
      /disk 0 is not the disk the state was saved with/,
    );
    other.m.run(10_000_000);
    expect(other.text.debug).toBe('abcdefghijklmnopqrst');
    const diskless = machine(undefined as unknown as MemoryDisk);
    expect(() => diskless.m.loadState(state)).toThrow(/this machine has no disk 0/);
  });

  it('writes the overlay through to the base disk on commit, keeping a read-only base unwritten', () => {
    const base = new MemoryDisk(image());
    const run = machine(base);
    run.m.bootFromDisk();
    run.m.run(10_000_000);
    run.m.commitDisks();
    expect(base.bytes[1024]).toBe(0x41 + 20);
    expect(run.m.saveState().disks?.[0]?.sectors).toEqual([]);

    const readOnly = machine(new MemoryDisk(image(), true));
    readOnly.m.bootFromDisk();
    readOnly.m.run(10_000_000);
    // int 13h write fails on a read-only disk, so the guest reads 'A' every time.
    expect(readOnly.text.debug).toBe('A'.repeat(20));
  });
});
