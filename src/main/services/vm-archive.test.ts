import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeContainer } from '../../engine';
import { SnapshotStore } from './snapshot-store';
import { VmLibrary } from './vm-library';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function library(): Promise<VmLibrary> {
  const dir = mkdtempSync(join(tmpdir(), 'vmlab-archive-'));
  dirs.push(dir);
  const lib = new VmLibrary(dir);
  await lib.open();
  return lib;
}

describe('VM archives', () => {
  it('export then import elsewhere gives the same VM, sources and snapshots', async () => {
    const here = await library();
    const vm = await here.create({ name: 'Shared', source: 'hlt\n', memoryMiB: 4 });
    await here.writeSource(vm.id, 'lib.inc', 'nop\n');
    await here.files(vm.id).create('font.bin', new Uint8Array([0, 0xff, 0x80]));
    const snaps = await new SnapshotStore(here.folder(vm.id)).open();
    const memory = new Uint8Array(4 << 20);
    memory[0x7c00] = 0xf4;
    const snap = await snaps.take({ memory, cpu: { icount: 42 } }, { name: 'moment' });
    const file = await here.exportVm(vm.id);

    const there = await library();
    const copy = await there.importVm(file);
    expect(copy).toMatchObject({ name: 'Shared', technique: 'native', memoryMiB: 4 });
    expect(copy.id).not.toBe(vm.id);
    expect((await there.readSource(copy.id)).text).toBe('hlt\n');
    expect((await there.readSource(copy.id, 'lib.inc')).text).toBe('nop\n');
    expect(there.readProjectFile(copy.id, 'font.bin')).toEqual(new Uint8Array([0, 0xff, 0x80]));
    expect((await there.files(copy.id).list()).map((f) => [f.name, f.kind])).toEqual([
      ['main.asm', 'text'],
      ['font.bin', 'binary'],
      ['lib.inc', 'text'],
    ]);
    const theirSnaps = await new SnapshotStore(there.folder(copy.id)).open();
    expect(theirSnaps.list().current).toBe(snap.id);
    const loaded = await theirSnaps.load<{ cpu: { icount: number } }>(snap.id);
    expect(loaded.cpu.icount).toBe(42);
    expect(loaded.memory[0x7c00]).toBe(0xf4);

    // Importing into the same library makes a separate copy with a telling name.
    const again = await here.importVm(file);
    expect(again.name).toBe('Shared (imported)');
    expect(here.list()).toHaveLength(2);
  });

  it('refuses damaged or foreign files and leaves the library as it was', async () => {
    const lib = await library();
    const vm = await lib.create({ name: 'A' });
    const file = await lib.exportVm(vm.id);
    const before = readdirSync(lib.vmsDir).sort();

    const cases: [Uint8Array, RegExp][] = [
      [file.subarray(0, file.length - 10), /truncated/],
      [new TextEncoder().encode('not an archive at all'), /not a vmlab snapshot|wrong magic/],
      [writeContainer({ kind: 'vmlab-snapshot' }, []), /not a vmlab VM archive/],
      [
        writeContainer({ kind: 'vmlab-vm', vm: {} }, [
          { name: '../escape', data: new Uint8Array(1) },
        ]),
        /bad entry name/,
      ],
      [
        writeContainer({ kind: 'vmlab-vm', vm: {} }, [
          { name: 'vm.json', data: new TextEncoder().encode('{"id":1}') },
        ]),
        /unreadable vm.json/,
      ],
    ];
    for (const [bad, message] of cases) {
      await expect(lib.importVm(bad)).rejects.toMatchObject({ code: 'bad-request', message });
      expect(readdirSync(lib.vmsDir).sort()).toEqual(before);
    }
    expect(existsSync(join(lib.vmsDir, `${vm.id}`))).toBe(true);
  });
});
