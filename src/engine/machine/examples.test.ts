import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { MemoryDisk } from '../disks/memory-disk';
import type { CpuTier } from './machine';
import { createPcMachine } from './pc-machine';

const examples = join(import.meta.dirname, '../../../examples');
const golden = join(examples, 'golden');

/** Examples with output recorded under QEMU by examples/golden/record.sh. */
const RECORDED = ['hello', 'timer', 'pm-hello', 'kernel'];

const CASES = RECORDED.flatMap((name) => [
  [name, 'fast'],
  [name, 'reference'],
]) as [string, CpuTier][];

describe.each(CASES)('examples/%s.asm against its QEMU recording (%s tier)', (name, tier) => {
  const out = assemble(readFileSync(join(examples, `${name}.asm`), 'utf8'));

  it('assembles to the bytes NASM produced for the recording', () => {
    expect(out.ok).toBe(true);
    const nasm = new Uint8Array(readFileSync(join(golden, `${name}.bin`)));
    expect(Buffer.from(out.bytes).equals(Buffer.from(nasm))).toBe(true);
  });

  it('boots from disk through the firmware and prints what QEMU printed', () => {
    let serial = '';
    const machine = createPcMachine({
      memoryMiB: 16,
      tier,
      console: {
        write(port, byte) {
          if (port === 'com1') serial += String.fromCharCode(byte);
        },
      },
      disks: [new MemoryDisk(out.bytes)],
    });
    machine.bootFromDisk();
    let r = machine.run(5_000_000);
    while (r.reason === 'budget' && machine.icount < 50_000_000) r = machine.run(5_000_000);
    expect(r).toEqual({ reason: 'halted', interruptsEnabled: false });
    expect(serial).toBe(readFileSync(join(golden, `${name}.serial.txt`), 'latin1'));
    const screenFile = join(golden, `${name}.screen.txt`);
    if (existsSync(screenFile)) {
      const want = readFileSync(screenFile, 'latin1').split('\n').slice(0, 25);
      expect(machine.screen().lines).toEqual(want);
    }
  });
});

describe('examples/kernel.asm', () => {
  const image = () => assemble(readFileSync(join(examples, 'kernel.asm'), 'utf8')).bytes;
  const boot = () => {
    const text = { com1: '' };
    const machine = createPcMachine({
      memoryMiB: 16,
      console: {
        write(port, b) {
          if (port === 'com1') text.com1 += String.fromCharCode(b);
        },
      },
      disks: [new MemoryDisk(image())],
    });
    machine.bootFromDisk();
    return { machine, text };
  };

  it('echoes keys typed on the PS/2 keyboard while it waits', () => {
    const { machine, text } = boot();
    while (!text.com1.includes('type keys')) expect(machine.run(1000).reason).toBe('budget');
    machine.typeText([...'hi vmlab'].map((c) => c.charCodeAt(0)));
    let r = machine.run(1_000_000);
    while (r.reason === 'budget') r = machine.run(1_000_000);
    expect(text.com1).toContain('echo here\r\nhi vmlab\r\nhalf a second');
    expect(machine.screen().lines[6]).toBe('hi vmlab');
  });

  it('continues identically after a save and restore in ring 3 with paging on', () => {
    const reference = boot();
    let r = reference.machine.run(1_000_000);
    while (r.reason === 'budget') r = reference.machine.run(1_000_000);
    for (const cut of [2000, 3500, 5000]) {
      const a = boot();
      a.machine.run(cut);
      const saved = structuredClone(a.machine.saveState());
      const b = boot();
      b.machine.loadState(saved);
      const before = a.text.com1;
      let rb = b.machine.run(1_000_000);
      while (rb.reason === 'budget') rb = b.machine.run(1_000_000);
      expect(before + b.text.com1).toBe(reference.text.com1);
      expect(b.machine.icount).toBe(reference.machine.icount);
    }
  });
});
