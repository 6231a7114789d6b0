import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api';
import { DEFAULT_SOURCE } from './default-source';
import { VmLibrary } from './vm-library';

const dirs: string[] = [];
function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vmlab-lib-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let tick = 0;
const clock = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));

async function openLibrary(root: string): Promise<VmLibrary> {
  const lib = new VmLibrary(root, clock);
  await lib.open();
  return lib;
}

describe('VM library', () => {
  it('creates a folder per VM with vm.json and the hello source', async () => {
    const root = tempRoot();
    const lib = await openLibrary(root);
    const vm = await lib.create({ name: 'My First VM' });
    expect(vm.id).toMatch(/^my-first-vm-[0-9a-f]{6}$/);
    expect(vm).toMatchObject({ name: 'My First VM', technique: 'native', mainSource: 'main.asm' });
    const folder = join(root, 'vms', vm.id);
    expect(JSON.parse(readFileSync(join(folder, 'vm.json'), 'utf8'))).toEqual(vm);
    expect(readFileSync(join(folder, 'main.asm'), 'utf8')).toBe(DEFAULT_SOURCE);
    expect(DEFAULT_SOURCE).toMatch(/org 0x7C00/i);
  });

  it('finds the same VMs and sources after a restart', async () => {
    const root = tempRoot();
    const lib = await openLibrary(root);
    const a = await lib.create({ name: 'A', source: 'nop\n' });
    const b = await lib.create({ name: 'B', technique: 'trap', memoryMiB: 64 });
    await lib.writeSource(a.id, undefined, 'hlt\n');
    await lib.update(b.id, { name: 'B renamed' });

    const again = await openLibrary(root);
    expect(again.list().map((v) => v.name)).toEqual(['A', 'B renamed']);
    expect(again.get(b.id)).toMatchObject({ technique: 'trap', memoryMiB: 64 });
    expect((await again.readSource(a.id)).text).toBe('hlt\n');
  });

  it('clones every file of a VM under a new id and name', async () => {
    const lib = await openLibrary(tempRoot());
    const a = await lib.create({ name: 'Orig', source: 'orig source\n' });
    await lib.writeSource(a.id, 'extra.inc', 'included\n');
    await lib.files(a.id).create('data.bin', new Uint8Array([1, 0, 2]));
    const copy = await lib.clone(a.id);
    expect(copy.id).not.toBe(a.id);
    expect(copy.name).toBe('Orig (copy)');
    expect((await lib.readSource(copy.id)).text).toBe('orig source\n');
    expect((await lib.readSource(copy.id, 'extra.inc')).text).toBe('included\n');
    expect(lib.readProjectFile(copy.id, 'data.bin')).toEqual(new Uint8Array([1, 0, 2]));
    const named = await lib.clone(a.id, 'Named');
    expect(named.name).toBe('Named');
    // The clone is independent of its original.
    await lib.writeSource(copy.id, undefined, 'changed\n');
    expect((await lib.readSource(a.id)).text).toBe('orig source\n');
  });

  it('deletes a VM and its folder', async () => {
    const root = tempRoot();
    const lib = await openLibrary(root);
    const a = await lib.create({ name: 'Doomed' });
    await lib.delete(a.id);
    expect(lib.list()).toEqual([]);
    expect(existsSync(join(root, 'vms', a.id))).toBe(false);
    await expect(lib.delete(a.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('reports unknown VMs and files as not-found', async () => {
    const lib = await openLibrary(tempRoot());
    expect(() => lib.get('nope')).toThrow(ApiError);
    const a = await lib.create({ name: 'A' });
    await expect(lib.readSource(a.id, 'missing.asm')).rejects.toMatchObject({
      code: 'not-found',
      message: `VM '${a.id}' has no file 'missing.asm'`,
    });
  });

  it('skips a damaged vm.json without deleting anything', async () => {
    const root = tempRoot();
    const lib = await openLibrary(root);
    const good = await lib.create({ name: 'Good' });
    const bad = join(root, 'vms', 'broken-000000');
    mkdirSync(bad);
    writeFileSync(join(bad, 'vm.json'), '{ not json');
    writeFileSync(join(bad, 'main.asm'), 'keep me');

    const again = await openLibrary(root);
    expect(again.list().map((v) => v.id)).toEqual([good.id]);
    expect(again.unreadable).toHaveLength(1);
    expect(again.unreadable[0]!.folder).toBe(bad);
    expect(readFileSync(join(bad, 'main.asm'), 'utf8')).toBe('keep me');
  });
});

describe('VM project files for %include and incbin', () => {
  it('reads plain names inside the folder and nothing else', async () => {
    const lib = await openLibrary(tempRoot());
    const vm = await lib.create({ name: 'Inc' });
    await lib.writeSource(vm.id, 'defs.inc', 'COUNT equ 3\n');
    expect(new TextDecoder().decode(lib.readProjectFile(vm.id, 'defs.inc'))).toBe('COUNT equ 3\n');
    expect(lib.readProjectFile(vm.id, 'missing.inc')).toBeUndefined();
    expect(lib.readProjectFile(vm.id, '../vm.json')).toBeUndefined();
    expect(lib.readProjectFile(vm.id, 'vm.json')).toBeUndefined();
    expect(lib.readProjectFile(vm.id, '/etc/passwd')).toBeUndefined();
  });
});
