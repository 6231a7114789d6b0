// Runs an assembly program as a boot sector on a fresh PC and collects its console output (tests, CLI, benchmarks).

import { type AssemblyOutput, assemble } from '../assembler/assembler';
import { EngineError } from '../bus/errors';
import { PhysicalMemory } from '../bus/physical-memory';
import { PortBus } from '../bus/port-bus';
import { Cpu } from '../cpu/cpu';
import { step } from '../cpu/interpreter';
import { CS, ESP } from '../cpu/state';
import type { Machine, MachineState, RunResult } from './machine';
import { createPcMachine } from './pc-machine';

/** Console output of a run, per sink, as text (bytes mapped one to one onto char codes). */
export interface GuestOutput {
  com1: string;
  debug: string;
  screen: string;
}

/** What runGuest reports. */
export interface GuestRun {
  result: RunResult;
  output: GuestOutput;
  machine: Machine;
  assembly: AssemblyOutput;
  /** Final machine state (CPU registers, memory...). */
  state: MachineState;
}

/** Options of runGuest. */
export interface GuestRunOptions {
  /** Instruction budget of the run (default 1,000,000). */
  budget?: number;
  /** Bytes queued on COM1's receiver before the run. */
  serialInput?: ArrayLike<number>;
  memoryMiB?: number;
}

/** Assembles `source` (it must assemble) and boots it; throws an EngineError on assembly errors. */
export function runGuest(source: string, options: GuestRunOptions = {}): GuestRun {
  const assembly = assemble(source);
  if (!assembly.ok) {
    const first = assembly.diagnostics.find((d) => d.severity === 'error')!;
    throw new EngineError('assembly-failed', `line ${first.line}: ${first.message}`);
  }
  const output: GuestOutput = { com1: '', debug: '', screen: '' };
  const machine = createPcMachine({
    memoryMiB: options.memoryMiB ?? 2,
    console: {
      write(port, byte) {
        output[port] += String.fromCharCode(byte);
      },
    },
  });
  machine.loadBootSector(assembly.bytes);
  if (options.serialInput) machine.serialInput(options.serialInput);
  const result = machine.run(options.budget ?? 1_000_000);
  return { result, output, machine, assembly, state: machine.saveState() };
}

/** A CPU on 1 MiB of flat RAM with a bare port bus and no BIOS, for instruction-level tests. */
export interface BareCpu {
  cpu: Cpu;
  mem: PhysicalMemory;
  bus: PortBus;
  /** Steps until HLT or `max` steps; returns the number of steps taken. */
  runToHalt(max?: number): number;
}

/** Assembles `source` (bits 16, org 7C00h is prepended) and loads it at 0000:7C00 on a bare CPU. */
export function bareCpu(source: string): BareCpu {
  const assembly = assemble(`bits 16\norg 0x7C00\n${source}`);
  if (!assembly.ok) {
    const first = assembly.diagnostics.find((d) => d.severity === 'error')!;
    throw new EngineError('assembly-failed', `line ${first.line - 2}: ${first.message}`);
  }
  const mem = new PhysicalMemory(1 << 20);
  const bus = new PortBus();
  const cpu = new Cpu(mem, bus);
  mem.load(0x7c00, assembly.bytes);
  const s = cpu.s;
  s.seg[CS] = 0;
  s.segBase[CS] = 0;
  s.eip = 0x7c00;
  s.regs[ESP] = 0x7c00;
  return {
    cpu,
    mem,
    bus,
    runToHalt(max = 100_000) {
      let n = 0;
      while (!s.halted && n < max) {
        step(cpu);
        n++;
      }
      return n;
    },
  };
}
