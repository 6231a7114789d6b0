import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotStore } from './snapshot-store';

// A failing rename stands in for a crash or a full disk in the middle of a save.
const failRename = { armed: false };

import { vi } from 'vitest';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (failRename.armed) {
        failRename.armed = false;
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      }
      return real.rename(from, to);
    },
  };
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function store(folder = mkdtempSync(join(tmpdir(), 'vmlab-snaps-'))) {
  dirs.push(folder);
  return { s: await new SnapshotStore(folder).open(), folder };
}

const PAGES = 64;
/** A fake machine state: memory plus some CPU numbers, changed step by step. */
function state(step: number) {
  const memory = new Uint8Array(PAGES * 4096);
  for (let p = 0; p <= step && p < PAGES; p++) memory.fill(p + 1, p * 4096, p * 4096 + 100);
  return { memory, cpu: { icount: step * 1000, regs: new Uint32Array([step, 2, 3]) } };
}

type S = ReturnType<typeof state>;

describe('snapshot store', () => {
  it('takes a chain of snapshots and loads each back exactly', async () => {
    const { s } = await store();
    const a = await s.take(state(1), { name: 'one' });
    const b = await s.take(state(5), { name: 'five', description: 'later', screen: ['hi'] });
    expect(b.parentId).toBe(a.id);
    expect(s.list().current).toBe(b.id);
    const loaded = await s.load<S>(a.id);
    expect(loaded.cpu.icount).toBe(1000);
    expect(Buffer.compare(loaded.memory, state(1).memory)).toBe(0);
    expect(Buffer.compare((await s.load<S>(b.id)).memory, state(5).memory)).toBe(0);
  });

  it('branches from an earlier position and survives reopening', async () => {
    const { s, folder } = await store();
    const a = await s.take(state(1), { name: 'a' });
    await s.take(state(2), { name: 'b' });
    await s.setCurrent(a.id);
    const c = await s.take(state(9), { name: 'c' });
    expect(c.parentId).toBe(a.id);
    const again = await new SnapshotStore(folder).open();
    expect(again.list().nodes.map((n) => [n.name, n.parentId])).toEqual([
      ['a', null],
      ['b', a.id],
      ['c', a.id],
    ]);
    expect(again.list().current).toBe(c.id);
    expect((await again.load<S>(c.id)).cpu.regs[0]).toBe(9);
  });

  it('deletes a snapshot without losing its children or their children', async () => {
    const { s } = await store();
    const a = await s.take(state(1), { name: 'a' });
    const b = await s.take(state(3), { name: 'b' });
    const c = await s.take(state(6), { name: 'c' });
    const d = await s.take(state(8), { name: 'd' });
    await s.delete(b.id);
    expect(s.list().nodes.map((n) => n.id)).toEqual([a.id, c.id, d.id]);
    expect(s.get(c.id).parentId).toBe(a.id);
    expect(Buffer.compare((await s.load<S>(c.id)).memory, state(6).memory)).toBe(0);
    expect(Buffer.compare((await s.load<S>(d.id)).memory, state(8).memory)).toBe(0);
    await s.delete(a.id);
    expect(s.get(c.id).parentId).toBe(null);
    expect(Buffer.compare((await s.load<S>(d.id)).memory, state(8).memory)).toBe(0);
  });

  it('renames and refuses unknown ids', async () => {
    const { s } = await store();
    const a = await s.take(state(1), { name: 'a' });
    expect((await s.rename(a.id, 'booted', 'after the BIOS')).description).toBe('after the BIOS');
    await expect(s.load('snap-nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a save that fails part way leaves the previous snapshots and tree readable', async () => {
    const { s, folder } = await store();
    const a = await s.take(state(1), { name: 'a' });
    failRename.armed = true;
    await expect(s.take(state(2), { name: 'b' })).rejects.toThrow('disk full');
    const again = await new SnapshotStore(folder).open();
    expect(again.list()).toEqual({ nodes: [expect.objectContaining({ id: a.id })], current: a.id });
    expect((await again.load<S>(a.id)).cpu.icount).toBe(1000);
    expect(readdirSync(join(folder, 'snapshots')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('says which snapshot file is missing or damaged', async () => {
    const { s, folder } = await store();
    const a = await s.take(state(1), { name: 'base' });
    const b = await s.take(state(2), { name: 'top' });
    const file = join(folder, 'snapshots', `${a.id}.vmsnap`);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(file, bytes);
    await expect(s.load(b.id)).rejects.toMatchObject({ message: expect.stringMatching(/corrupt/) });
    rmSync(file);
    expect(existsSync(file)).toBe(false);
    await expect(s.load(b.id)).rejects.toMatchObject({
      message: "the file of snapshot 'base' is missing",
    });
  });
});
