import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { EngineError, UnimplementedError } from '../bus/errors';
import { readTextScreen } from '../firmware/bios-video';
import { runGuest } from './guest-runner';
import type { ConsoleSink, MachineState } from './machine';
import { createPcMachine } from './pc-machine';

const examples = join(import.meta.dirname, '../../../examples');
const example = (name: string) => readFileSync(join(examples, name), 'utf8');

function machineFor(source: string) {
  const out = assemble(source);
  expect(out.ok).toBe(true);
  const text = { com1: '', debug: '', screen: '' };
  const console: ConsoleSink = {
    write(port, byte) {
      text[port] += String.fromCharCode(byte);
    },
  };
  const machine = createPcMachine({ memoryMiB: 2, console });
  machine.loadBootSector(out.bytes);
  return { machine, text, bytes: out.bytes };
}

describe('PC machine', () => {
  it('boots examples/hello.asm and greets on the screen and COM1, not the debug port', () => {
    const { machine, text } = machineFor(example('hello.asm'));
    const r = machine.run(1_000_000);
    expect(r).toEqual({ reason: 'halted', interruptsEnabled: false });
    expect(text).toEqual({
      com1: 'Hello from vmlab!\r\n',
      debug: '',
      screen: 'Hello from vmlab!\r\n',
    });
    expect(readTextScreen(machine.saveState().memory)[0]).toBe('Hello from vmlab!');
    expect(machine.run(10)).toEqual({ reason: 'halted', interruptsEnabled: false });
  });

  it('is deterministic: same program, same output and instruction count', () => {
    const a = machineFor(example('hello.asm'));
    const b = machineFor(example('hello.asm'));
    a.machine.run(1_000_000);
    b.machine.run(1_000_000);
    expect(a.text).toEqual(b.text);
    expect(a.machine.icount).toBe(b.machine.icount);
    expect(a.machine.icount).toBeGreaterThan(100);
  });

  it('runs in slices: a budget stops the run and the next slice continues', () => {
    const whole = machineFor(example('hello.asm'));
    whole.machine.run(1_000_000);
    const sliced = machineFor(example('hello.asm'));
    let r = sliced.machine.run(7);
    expect(r).toEqual({ reason: 'budget' });
    expect(sliced.machine.icount).toBe(7);
    while (r.reason === 'budget') r = sliced.machine.run(13);
    expect(sliced.text).toEqual(whole.text);
    expect(sliced.machine.icount).toBe(whole.machine.icount);
  });

  it('stops a spinning guest at its budget', () => {
    const { machine, text } = machineFor(example('spin.asm'));
    expect(machine.run(50_000)).toEqual({ reason: 'budget' });
    expect(machine.icount).toBe(50_000);
    expect(text.com1).toBe('Spinning forever; stop me.\r\n');
    expect(text.screen).toBe(text.com1);
    expect(machine.run(1000)).toEqual({ reason: 'budget' });
  });

  it('echoes serial input upper-cased (examples/echo.asm)', () => {
    const { machine, text } = machineFor(example('echo.asm'));
    machine.run(10_000);
    machine.serialInput([...'hi, vmlab\r'].map((c) => c.charCodeAt(0)));
    machine.run(100_000);
    expect(text.com1).toBe('echo: type something\r\nHI, VMLAB\r\n');
  });

  it('ends the run with the exit port status (v << 1) | 1', () => {
    const { result } = runGuest('bits 16\norg 0x7C00\nmov al, 0x10\nout 0xF4, al\nhlt');
    expect(result).toEqual({ reason: 'exit', status: 0x21 });
    const { machine } = machineFor('bits 16\norg 0x7C00\nmov al, 0\nout 0xF4, al\nhlt');
    expect(machine.run(100)).toEqual({ reason: 'exit', status: 1 });
    expect(machine.run(100)).toEqual({ reason: 'exit', status: 1 });
    const icount = machine.icount;
    expect(icount).toBe(2);
  });

  it('returns errors instead of throwing: unimplemented BIOS service and device', () => {
    const bios = runGuest('bits 16\norg 0x7C00\nnop\nmov ah, 0x03\nint 0x14');
    expect(bios.result.reason).toBe('error');
    if (bios.result.reason === 'error') {
      expect(bios.result.error).toBeInstanceOf(UnimplementedError);
      expect(bios.result.error.message).toBe(
        'unimplemented BIOS service int 14h AH=03h at 0000:7C03',
      );
    }
    const dev = runGuest('bits 16\norg 0x7C00\nmov al, 0x11\nout 0x08, al');
    expect(dev.result.reason === 'error' && dev.result.error.kind).toBe('unimplemented-device');
    expect(dev.result.reason === 'error' && dev.result.error.message).toBe(
      'unimplemented device 8237 DMA controller (master): write of port 08h at 0000:7C02',
    );
  });

  it('resets CPU, devices and memory, then reloads the image', () => {
    const { machine, text } = machineFor(example('hello.asm'));
    machine.run(1_000_000);
    const first = machine.icount;
    machine.reset();
    expect(machine.icount).toBe(0);
    expect([machine.cpu.cs, machine.cpu.ip]).toEqual([0, 0x7c00]);
    machine.run(1_000_000);
    expect(machine.icount).toBe(first);
    expect(text.com1).toBe('Hello from vmlab!\r\n'.repeat(2));
  });

  it('continues identically after a save mid-run and a restore into a new machine', () => {
    const reference = machineFor(example('hello.asm'));
    reference.machine.run(1_000_000);
    const a = machineFor(example('hello.asm'));
    a.machine.run(150);
    const saved = structuredClone(a.machine.saveState());
    const outputBefore = { ...a.text };
    const b = machineFor('bits 16\norg 0x7C00\nhlt');
    b.machine.loadState(saved);
    expectSameState(b.machine.saveState(), saved);
    expect(b.machine.icount).toBe(150);
    b.machine.run(1_000_000);
    for (const port of ['com1', 'debug', 'screen'] as const) {
      expect(outputBefore[port] + b.text[port]).toBe(reference.text[port]);
    }
    expect(b.machine.icount).toBe(reference.machine.icount);
  });

  it('keeps pending serial input and device state across save and restore', () => {
    const a = machineFor(example('echo.asm'));
    a.machine.run(5_000);
    a.machine.serialInput([0x61, 0x62]);
    const saved = structuredClone(a.machine.saveState());
    const b = machineFor(example('echo.asm'));
    b.machine.loadState(saved);
    b.machine.run(10_000);
    expect(b.text.com1).toBe('AB');
  });

  it('refuses bad configs and foreign states', () => {
    const console = { write() {} };
    expect(() => createPcMachine({ memoryMiB: 0, console })).toThrow(EngineError);
    expect(() => createPcMachine({ memoryMiB: 1.5, console })).toThrow(EngineError);
    const m = createPcMachine({ memoryMiB: 1, console });
    const other = createPcMachine({ memoryMiB: 2, console });
    expect(() => m.loadState(other.saveState())).toThrow(/2 MiB/);
    expect(() => m.loadState({ ...m.saveState(), version: 99 })).toThrow(/version/);
  });
});

/** Deep-equal for machine states; memory is compared as one buffer (toEqual is slow on MiBs). */
function expectSameState(a: MachineState, b: MachineState): void {
  expect(Buffer.from(a.memory).equals(Buffer.from(b.memory))).toBe(true);
  expect({ ...a, memory: null }).toEqual({ ...b, memory: null });
}

describe('PC machine on virtual time', () => {
  const timer = () => {
    const m = machineFor(example('timer.asm'));
    return m;
  };

  it('runs the PIC/PIT timer demo, skipping idle time instead of executing it', () => {
    const { machine, text } = timer();
    expect(machine.run(10_000_000)).toEqual({ reason: 'halted', interruptsEnabled: false });
    expect(text.com1).toBe(
      'PIT at 100 Hz, IRQ 0 at vector 20h\r\ntick 1\r\ntick 2\r\ntick 3\r\ntick 4\r\ndone\r\n',
    );
    const stats = machine.stats();
    expect(stats.virtualTimeNs).toBeGreaterThan(0.99e9); // four quarter-seconds
    expect(stats.icount).toBeLessThan(20_000); // ...in a few thousand instructions
    expect(stats.devices.interrupts!.irq0).toBe(100);
  });

  it('continues identically after a save mid-run (timers armed) and a restore', () => {
    const reference = timer();
    reference.machine.run(10_000_000);
    for (const cut of [300, 1234, 4000]) {
      const a = timer();
      a.machine.run(cut);
      const saved = structuredClone(a.machine.saveState());
      const before = a.text.com1;
      const b = machineFor('bits 16\norg 0x7C00\ncli\nhlt');
      b.machine.loadState(saved);
      expectSameState(b.machine.saveState(), saved);
      expect(b.machine.run(10_000_000)).toEqual({ reason: 'halted', interruptsEnabled: false });
      expect(before + b.text.com1).toBe(reference.text.com1);
      expect(b.machine.icount).toBe(reference.machine.icount);
      expect(b.machine.stats().virtualTimeNs).toBe(reference.machine.stats().virtualTimeNs);
    }
  });

  it('reports halted with interrupts on only when no timer can wake the CPU', () => {
    // PIT channel 0 one-shot (mode 0): after its single IRQ 0 nothing is armed any more.
    const { machine } = machineFor(
      'bits 16\norg 0x7C00\nmov al, 0x30\nout 0x43, al\nmov al, 0xFF\nout 0x40, al\nout 0x40, al\nsti\n.w: hlt\njmp .w',
    );
    expect(machine.run(1_000_000)).toEqual({ reason: 'halted', interruptsEnabled: true });
    expect(machine.stats().devices.interrupts!.irq0).toBe(1);
  });

  it('takes 256 MiB by default and refuses sizes outside 1 MiB to 2 GiB', () => {
    const m = createPcMachine({ console: { write() {} } });
    expect(m.saveState().memoryMiB).toBe(256);
    expect(() => createPcMachine({ memoryMiB: 2049, console: { write() {} } })).toThrow(
      /from 1 to 2048/,
    );
  });

  it('resets through port 92h bit 0 and boots again', () => {
    const { machine, text } = machineFor(
      "bits 16\norg 0x7C00\nmov ah, 0x0E\nmov al, 'R'\nint 0x10\ncmp byte [0x500], 1\nje .done\nmov byte [0x500], 1\nmov al, 1\nout 0x92, al\n.done: cli\nhlt",
    );
    expect(machine.run(1000)).toEqual({ reason: 'halted', interruptsEnabled: false });
    expect(text.screen).toBe('RR'); // a warm reset keeps RAM, so the second boot sees the flag
  });
});
