import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble, type MachineState, readSnapshot, writeSnapshot } from '../../engine';
import type { HostEvent } from './protocol';
import { EngineRunner, type RunnerTiming } from './runner';

// Reverts through snapshot files, on a real machine: the host verifies the files and decodes
// guest memory straight into its machine's RAM; a bad file changes nothing.

const IMAGE = assemble(readFileSync('examples/hello.asm', 'utf8')).bytes;

function runner() {
  const events: HostEvent[] = [];
  const timing: RunnerTiming = {
    sliceMs: 8,
    flushMs: 50,
    now: () => 0,
    defer: () => {},
    later: () => {},
  };
  const r = new EngineRunner((e) => events.push(e), timing);
  const ack = () => {
    const last = events.filter((e) => e.type === 'ack').at(-1);
    if (last?.type !== 'ack') throw new Error('no ack');
    return last;
  };
  const output = () => events.flatMap((e) => (e.type === 'output' ? [e.data] : [])).join('');
  return { r, ack, output };
}

function snapshotAt(steps: number) {
  const a = runner();
  a.r.handle({ type: 'load', vmId: 'vm', image: IMAGE, memoryMiB: 2 });
  a.r.handle({ type: 'step', count: steps });
  a.r.handle({ type: 'save-state' });
  const state = a.ack().state as MachineState;
  return writeSnapshot({ id: `s${steps}`, name: `at ${steps}`, createdAt: '' }, state);
}

describe('engine runner: restore from snapshot files', () => {
  it('continues from the files exactly where the snapshot was taken, a parent chain too', () => {
    const whole = runner();
    whole.r.handle({ type: 'load', vmId: 'vm', image: IMAGE, memoryMiB: 2 });
    whole.r.handle({ type: 'step', count: 100_000 });
    const parent = snapshotAt(40);
    const a = runner();
    a.r.handle({ type: 'load', vmId: 'vm', image: IMAGE, memoryMiB: 2 });
    a.r.handle({ type: 'step', count: 150 });
    a.r.handle({ type: 'save-state' });
    const state = a.ack().state as MachineState;
    const child = writeSnapshot({ id: 'c', name: 'c', createdAt: '' }, state, {
      id: 's40',
      nonce: parent.manifest.nonce,
      memory: readSnapshot<MachineState>(parent.file).state.memory,
    });
    expect(child.manifest.parent?.id).toBe('s40');
    expect(child.manifest.stats.unchanged).toBeGreaterThan(0);
    expect(child.manifest.stats.stored + child.manifest.stats.zero).toBeGreaterThan(0);

    const b = runner();
    b.r.handle({
      type: 'load-snapshot',
      vmId: 'vm',
      files: [
        { id: 'c', bytes: child.file },
        { id: 's40', bytes: parent.file },
      ],
    });
    expect(b.ack()).toMatchObject({
      command: 'load-snapshot',
      status: { state: 'paused', icount: 150 },
    });
    b.r.handle({ type: 'step', count: 100_000 });
    expect(b.r.status().icount).toBe(whole.r.status().icount);
    expect(b.output()).toBe(whole.output().slice(a.output().length));
  });

  it('refuses a damaged file, leaving the machine as it was', () => {
    const good = snapshotAt(60);
    const bad = good.file.slice();
    bad[bad.length - 5]! ^= 0x40;
    const b = runner();
    b.r.handle({ type: 'load', vmId: 'vm', image: IMAGE, memoryMiB: 2 });
    b.r.handle({ type: 'step', count: 10 });
    b.r.handle({ type: 'save-state' });
    const before = b.ack().state as MachineState;
    b.r.handle({ type: 'load-snapshot', vmId: 'vm', files: [{ id: 's60', bytes: bad }] });
    expect(b.ack().error).toMatch(/corrupt|checksum/);
    b.r.handle({ type: 'save-state' });
    const after = b.ack().state as MachineState;
    expect(after.cpu.icount).toBe(10);
    expect(Buffer.compare(Buffer.from(after.memory), Buffer.from(before.memory))).toBe(0);
  });
});
