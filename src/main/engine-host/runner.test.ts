import { describe, expect, it } from 'vitest';
import type { Machine, MachineConfig, RunResult, TextScreen } from '../../engine';
import type { HostEvent } from './protocol';
import { EngineRunner, type RunnerTiming } from './runner';

/** A scripted machine: prints a byte every `every` instructions, then ends as told. */
class FakeMachine {
  icount = 0;
  cpu = { ip: 0, cs: 0 };
  inputs: number[] = [];
  keys: string[] = [];
  /** The screen's cells and cursor, as a test sets them. */
  cells = new Uint16Array(80 * 25).fill(0x0720);
  cursor = { row: 0, column: 0, visible: true };
  virtualTimeNs = 0;
  /** An armed timer at this virtual time: a 'halted' end then means idle, not stopped. */
  timerNs = Number.POSITIVE_INFINITY;
  horizon = Number.POSITIVE_INFINITY;
  constructor(
    private readonly config: MachineConfig,
    private readonly script: { every: number; endAt?: number; end?: RunResult },
  ) {}
  loadBootSector(): void {}
  reset(): void {
    this.icount = 0;
  }
  serialInput(bytes: ArrayLike<number>): void {
    this.inputs.push(...Array.from(bytes));
  }
  keyEvent(code: string, down: boolean): boolean {
    this.keys.push(`${code}${down ? '+' : '-'}`);
    return true;
  }
  screen(): TextScreen {
    return { lines: [], cells: this.cells.slice(), cursor: { ...this.cursor } };
  }
  nextTimerNs(): number {
    return this.timerNs;
  }
  setIdleHorizon(ns: number): void {
    this.horizon = ns;
  }
  saveState(): never {
    throw new Error('unused');
  }
  loadState(): void {}
  run(budget: number): RunResult {
    for (let i = 0; i < budget; i++) {
      if (this.script.endAt !== undefined && this.icount >= this.script.endAt)
        return this.script.end!;
      this.icount++;
      if (this.icount % this.script.every === 0) this.config.console.write('com1', 0x41);
    }
    return { reason: 'budget' };
  }
}

/** Virtual time: each read of the clock advances it, so slices end deterministically. */
function harness(script: { every: number; endAt?: number; end?: RunResult }) {
  const events: HostEvent[] = [];
  const queue: (() => void)[] = [];
  const waits: number[] = [];
  let clock = 0;
  let machine: FakeMachine | undefined;
  const timing: RunnerTiming = {
    sliceMs: 8,
    flushMs: 50,
    now: () => (clock += 1),
    defer: (fn) => queue.push(fn),
    later: (fn, ms) => {
      waits.push(ms);
      queue.push(fn);
    },
  };
  const runner = new EngineRunner(
    (e) => events.push(e),
    timing,
    (config) => {
      machine = new FakeMachine(config, script);
      return machine as unknown as Machine;
    },
  );
  const pump = (n: number) => {
    for (let i = 0; i < n && queue.length > 0; i++) queue.shift()!();
  };
  runner.handle({ type: 'load', vmId: 'vm-1', image: new Uint8Array(512), memoryMiB: 1 });
  return {
    runner,
    events,
    pump,
    waits,
    machine: () => machine!,
    pending: () => queue.length,
  };
}

const acks = (events: HostEvent[]) => events.filter((e) => e.type === 'ack');
const outputs = (events: HostEvent[]) =>
  events.flatMap((e) => (e.type === 'output' ? [e.data] : [])).join('');

describe('engine runner', () => {
  it('loads paused and acknowledges every command with the status', () => {
    const h = harness({ every: 1000 });
    expect(acks(h.events)).toEqual([
      {
        type: 'ack',
        command: 'load',
        status: { vmId: 'vm-1', state: 'paused', icount: 0, ips: 0 },
      },
    ]);
  });

  it('runs in slices, yielding between them so a pause is answered at once', () => {
    const h = harness({ every: 1000 });
    h.runner.handle({ type: 'start' });
    h.pump(5);
    const before = h.machine().icount;
    expect(before).toBeGreaterThan(0);
    expect(h.pending()).toBe(1); // the next slice waits behind any message
    h.runner.handle({ type: 'pause' });
    expect(acks(h.events).at(-1)!.status.state).toBe('paused');
    h.pump(5);
    expect(h.machine().icount).toBe(before);
  });

  it('batches console output instead of posting a message per byte', () => {
    const h = harness({ every: 10 });
    h.runner.handle({ type: 'start' });
    h.pump(20);
    h.runner.handle({ type: 'pause' });
    const bytes = outputs(h.events).length;
    const messages = h.events.filter((e) => e.type === 'output').length;
    expect(bytes).toBe(Math.floor(h.machine().icount / 10));
    expect(bytes).toBeGreaterThan(100);
    expect(messages).toBeLessThan(bytes / 50);
  });

  it('reports halt, exit and errors as states with their messages', () => {
    const halted = harness({
      every: 1,
      endAt: 3,
      end: { reason: 'halted', interruptsEnabled: false },
    });
    halted.runner.handle({ type: 'start' });
    halted.pump(3);
    expect(halted.runner.status()).toMatchObject({
      state: 'halted',
      icount: 3,
      message: 'guest halted with interrupts disabled',
    });
    expect(outputs(halted.events)).toBe('AAA');

    const exited = harness({ every: 100, endAt: 5, end: { reason: 'exit', status: 7 } });
    exited.runner.handle({ type: 'start' });
    exited.pump(3);
    expect(exited.runner.status()).toMatchObject({ state: 'exited', exitCode: 7 });
    exited.runner.handle({ type: 'resume' });
    expect(acks(exited.events).at(-1)).toMatchObject({
      error: expect.stringMatching(/reset it first/),
    });
  });

  it('steps a paused machine by a count and refuses to step while running', () => {
    const h = harness({ every: 1000 });
    h.runner.handle({ type: 'step', count: 5 });
    expect(h.runner.status()).toMatchObject({ state: 'paused', icount: 5 });
    h.runner.handle({ type: 'start' });
    h.runner.handle({ type: 'step', count: 1 });
    expect(acks(h.events).at(-1)!.error).toBe('pause the VM before stepping');
  });

  it('feeds console input to the machine and refuses commands before a load', () => {
    const h = harness({ every: 1000 });
    h.runner.handle({ type: 'input', data: new Uint8Array([104, 105]) });
    expect(h.machine().inputs).toEqual([104, 105]);
    const bare = new EngineRunner(() => {});
    const events: HostEvent[] = [];
    const r = new EngineRunner((e) => events.push(e));
    r.handle({ type: 'start' });
    expect(events[0]).toMatchObject({ type: 'ack', error: 'no guest is loaded' });
    expect(bare.status().state).toBe('stopped');
  });
});

/** The text of a posted frame's row, decoded from its base64 character/attribute pairs. */
function frameRow(event: HostEvent | undefined, row: number): string {
  if (event?.type !== 'screen') throw new Error('not a screen event');
  const bytes = Buffer.from(event.frame.cells, 'base64');
  let text = '';
  for (let col = 0; col < event.frame.cols; col++) {
    text += String.fromCharCode(bytes[(row * event.frame.cols + col) * 2]!);
  }
  return text.trimEnd();
}

describe('engine runner: screen, keyboard and pacing', () => {
  it('posts the screen once when loaded and again only when it changed', () => {
    const h = harness({ every: 1000 });
    const screens = () => h.events.filter((e) => e.type === 'screen');
    expect(screens()).toHaveLength(1);
    expect(screens()[0]).toMatchObject({
      frame: { cols: 80, rows: 25, cursor: { row: 0, col: 0, visible: true } },
    });
    h.runner.handle({ type: 'status' });
    expect(screens()).toHaveLength(1);
    const m = h.machine();
    m.cells[80] = 0x1f00 | 'H'.charCodeAt(0);
    m.cells[81] = 0x1f00 | 'i'.charCodeAt(0);
    m.cursor = { row: 1, column: 2, visible: true };
    h.runner.handle({ type: 'step', count: 1 });
    expect(screens()).toHaveLength(2);
    expect(frameRow(screens()[1], 1)).toBe('Hi');
    const bytes = Buffer.from((screens()[1] as { frame: { cells: string } }).frame.cells, 'base64');
    expect(bytes[161]).toBe(0x1f); // the attribute follows its character
    m.cursor = { row: 1, column: 3, visible: true };
    h.runner.handle({ type: 'status' });
    expect(screens()).toHaveLength(3);
  });

  it('feeds key events to the 8042 in order and wakes a guest halted for input', () => {
    const h = harness({
      every: 1000,
      endAt: 2,
      end: { reason: 'halted', interruptsEnabled: true },
    });
    h.runner.handle({ type: 'start' });
    h.pump(2);
    expect(h.runner.status().state).toBe('halted');
    h.runner.handle({
      type: 'keys',
      keys: [
        { code: 'KeyA', down: true },
        { code: 'KeyA', down: false },
      ],
    });
    expect(h.machine().keys).toEqual(['KeyA+', 'KeyA-']);
    expect(h.runner.status().state).toBe('running');
  });

  it('waits on the wall clock while the guest idles until a timer, instead of skipping ahead', () => {
    const h = harness({
      every: 1000,
      endAt: 2,
      end: { reason: 'halted', interruptsEnabled: true },
    });
    const m = h.machine();
    m.timerNs = 10e6; // 10 ms of virtual time away
    h.runner.handle({ type: 'start' });
    h.pump(1);
    expect(h.runner.status().state).toBe('running');
    expect(m.horizon).toBeLessThan(m.timerNs);
    expect(h.waits).toHaveLength(1);
    expect(h.waits[0]).toBeGreaterThanOrEqual(5);
    expect(h.waits[0]).toBeLessThanOrEqual(10);
  });
});
