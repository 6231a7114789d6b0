import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESERVED_FILE_NAMES } from '../../shared/api';
import { LIMITS } from '../../shared/schema';
import { kindOf, VM_FILE } from './project-files';
import { SNAPSHOT_DIR } from './snapshot-store';
import { VmLibrary } from './vm-library';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function vmFolder() {
  const root = mkdtempSync(join(tmpdir(), 'vmlab-files-'));
  dirs.push(root);
  const lib = new VmLibrary(root);
  await lib.open();
  const vm = await lib.create({ name: 'Files', source: 'hlt\n' });
  return { lib, vm, files: lib.files(vm.id), folder: lib.folder(vm.id) };
}

describe('project files', () => {
  it('lists the main source first, then the others by name, with size and kind', async () => {
    const { files, folder } = await vmFolder();
    await files.create('zeta.inc', 'nop\n');
    await files.create('alpha.txt', 'notes');
    await files.create('font.bin', new Uint8Array([0, 1, 2, 255]));
    writeFileSync(join(folder, '.hidden'), 'not listed');
    expect(await files.list()).toEqual([
      { name: 'main.asm', size: 4, main: true, kind: 'text' },
      { name: 'alpha.txt', size: 5, main: false, kind: 'text' },
      { name: 'font.bin', size: 4, main: false, kind: 'binary' },
      { name: 'zeta.inc', size: 4, main: false, kind: 'text' },
    ]);
  });

  it('reserves the names the library itself uses in a VM folder', () => {
    expect([...RESERVED_FILE_NAMES].sort()).toEqual([SNAPSHOT_DIR, VM_FILE].sort());
  });

  it('never lists, reads, writes or creates vm.json or the snapshots folder', async () => {
    const { lib, vm, files, folder } = await vmFolder();
    const before = readFileSync(join(folder, 'vm.json'), 'utf8');
    expect((await files.list()).map((f) => f.name)).toEqual(['main.asm']);
    for (const name of ['vm.json', 'snapshots']) {
      await expect(files.readText(name)).rejects.toMatchObject({ code: 'bad-request' });
      await expect(files.write(name, '{}')).rejects.toMatchObject({ code: 'bad-request' });
      await expect(files.create(name, '{}')).rejects.toMatchObject({
        code: 'bad-request',
        message: `'${name}' is reserved for the VM library`,
      });
      await expect(files.delete(name)).rejects.toMatchObject({ code: 'bad-request' });
      await expect(files.rename('main.asm', name)).rejects.toMatchObject({ code: 'bad-request' });
    }
    await expect(lib.writeSource(vm.id, 'vm.json', '{}')).rejects.toMatchObject({
      code: 'bad-request',
    });
    expect(readFileSync(join(folder, 'vm.json'), 'utf8')).toBe(before);
  });

  it('refuses paths out of the folder, whatever the caller', async () => {
    const { files, folder } = await vmFolder();
    for (const name of ['../escape.inc', '/etc/passwd', 'a/b.inc', '..', '.', '']) {
      await expect(files.create(name, 'x')).rejects.toMatchObject({ code: 'bad-request' });
      await expect(files.readText(name)).rejects.toMatchObject({ code: 'bad-request' });
      await expect(files.rename('main.asm', name)).rejects.toMatchObject({ code: 'bad-request' });
      expect(files.readSync(name)).toBeUndefined();
    }
    expect(existsSync(join(folder, '..', 'escape.inc'))).toBe(false);
  });

  it('creates a file once; a second create of the name is a conflict', async () => {
    const { files } = await vmFolder();
    expect(await files.create('defs.inc', 'X equ 1\n')).toEqual({
      name: 'defs.inc',
      size: 8,
      main: false,
      kind: 'text',
    });
    await expect(files.create('defs.inc', 'other')).rejects.toMatchObject({
      code: 'conflict',
      message: "the VM already has a file named 'defs.inc'",
    });
    await expect(files.create('main.asm', '')).rejects.toMatchObject({ code: 'conflict' });
    expect(await files.readText('defs.inc')).toBe('X equ 1\n');
  });

  it('renames and deletes other files, never the main source or over another file', async () => {
    const { files } = await vmFolder();
    await files.create('a.inc', 'A\n');
    await files.create('b.inc', 'B\n');
    await expect(files.rename('a.inc', 'b.inc')).rejects.toMatchObject({ code: 'conflict' });
    await expect(files.rename('main.asm', 'boot.asm')).rejects.toMatchObject({
      code: 'invalid-state',
    });
    await expect(files.rename('gone.inc', 'c.inc')).rejects.toMatchObject({ code: 'not-found' });
    expect(await files.rename('a.inc', 'c.inc')).toMatchObject({ name: 'c.inc', size: 2 });
    expect(await files.readText('c.inc')).toBe('A\n');
    await expect(files.readText('a.inc')).rejects.toMatchObject({ code: 'not-found' });

    await expect(files.delete('main.asm')).rejects.toMatchObject({
      code: 'invalid-state',
      message: "'main.asm' is the VM's main source; it cannot be deleted",
    });
    await files.delete('c.inc');
    await expect(files.delete('c.inc')).rejects.toMatchObject({ code: 'not-found' });
    expect((await files.list()).map((f) => f.name)).toEqual(['main.asm', 'b.inc']);
  });

  it('holds a bounded number of files, however they are added', async () => {
    const { files, folder } = await vmFolder();
    for (let i = 1; i < LIMITS.projectFiles; i++) writeFileSync(join(folder, `f${i}.inc`), '');
    await expect(files.create('one-more.inc', '')).rejects.toMatchObject({
      code: 'invalid-state',
      message: `a VM holds at most ${LIMITS.projectFiles} files`,
    });
    await expect(files.write('one-more.inc', '')).rejects.toMatchObject({ code: 'invalid-state' });
    await files.write('f1.inc', 'existing files can still be saved');
    await files.delete('f2.inc');
    await files.create('one-more.inc', '');
  });

  it('will not open a binary file as text, since saving it back would garble it', async () => {
    const { files } = await vmFolder();
    await files.create('data.bin', new Uint8Array([0x41, 0, 0x42]));
    await expect(files.readText('data.bin')).rejects.toMatchObject({ code: 'bad-request' });
    expect(files.readSync('data.bin')).toEqual(new Uint8Array([0x41, 0, 0x42]));
  });

  it('tells text from binary: UTF-8 without NUL, at most one request in size', () => {
    const enc = new TextEncoder();
    expect(kindOf(enc.encode('mov ax, 1 ; ünïcode\n'))).toBe('text');
    expect(kindOf(new Uint8Array())).toBe('text');
    expect(kindOf(new Uint8Array([0xc3, 0x28]))).toBe('binary');
    expect(kindOf(new Uint8Array([0x41, 0]))).toBe('binary');
    expect(kindOf(new Uint8Array(LIMITS.sourceBytes + 1).fill(0x20))).toBe('binary');
  });
});
