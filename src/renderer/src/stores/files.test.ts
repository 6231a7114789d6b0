import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../shared/api';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import { useEditorStore } from './editor';
import { toBase64, useFilesStore } from './files';
import { useNoticesStore } from './notices';

describe('files store', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  async function setup() {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    client.sources.set('a', 'hlt\n');
    client.files.set('a', new Map([['defs.inc', 'X equ 1\n']]));
    const editor = useEditorStore();
    await editor.open('a');
    const files = useFilesStore();
    await files.load('a');
    client.calls.length = 0;
    return { client, editor, files };
  }

  it('loads the list and follows source.changed events', async () => {
    const { client, files } = await setup();
    expect(files.list('a').map((f) => [f.name, f.main])).toEqual([
      ['main.asm', true],
      ['defs.inc', false],
    ]);
    client.emit('source.changed', { vmId: 'a', files: [] });
    expect(files.list('a')).toEqual([]);
    await files.load('a');
    expect(files.list('other')).toEqual([]);
  });

  it('closes the open file when another client deletes it', async () => {
    const { client, editor, files } = await setup();
    await editor.openFile('defs.inc');
    editor.setText('unsaved');
    client.files.get('a')?.delete('defs.inc');
    client.emit('source.changed', { vmId: 'a', files: files.list('a').slice(0, 1) });
    await vi.waitFor(() => expect(editor.file).toBe('main.asm'));
    expect(client.files.get('a')?.has('defs.inc')).toBe(false);
    expect(useNoticesStore().notices[0]?.message).toMatch(/defs.inc was renamed or deleted/);
  });

  it('creates a file, opens it and assembles main again', async () => {
    const { client, editor, files } = await setup();
    expect(await files.create('a', 'msg.inc')).toBeNull();
    expect(client.paramsOf('source.create')).toEqual([{ vmId: 'a', file: 'msg.inc', text: '' }]);
    expect(files.find('a', 'msg.inc')).toMatchObject({ size: 0, kind: 'text' });
    expect(editor.file).toBe('msg.inc');
    expect(client.paramsOf('source.assemble')).toHaveLength(1);
  });

  it('refuses bad and taken names before asking the service, and passes its refusals on', async () => {
    const { client, files } = await setup();
    expect(await files.create('a', 'bad name.inc')).toMatch(/no spaces/);
    expect(await files.create('a', 'defs.inc')).toBe("The VM already has a file named 'defs.inc'");
    expect(await files.create('a', 'vm.json')).toMatch(/reserved/);
    expect(client.paramsOf('source.create')).toEqual([]);
    client.fail('source.create', new ApiError('invalid-state', 'a VM holds at most 256 files'));
    expect(await files.create('a', 'one-more.inc')).toBe('a VM holds at most 256 files');
    expect(files.busy).toBe(false);
  });

  it('renames the open file with its unsaved edits saved first', async () => {
    const { client, editor, files } = await setup();
    await editor.openFile('defs.inc');
    editor.setText('X equ 2\n');
    expect(await files.rename('a', 'defs.inc', 'main.asm')).toMatch(/already has/);
    expect(await files.rename('a', 'defs.inc', 'consts.inc')).toBeNull();
    expect(client.files.get('a')?.get('consts.inc')).toBe('X equ 2\n');
    expect(editor.file).toBe('consts.inc');
    expect(files.list('a').map((f) => f.name)).toEqual(['main.asm', 'consts.inc']);
  });

  it('deletes a file, and reports a failed delete as a notice', async () => {
    const { client, editor, files } = await setup();
    await editor.openFile('defs.inc');
    expect(await files.remove('a', 'defs.inc')).toBe(true);
    expect(editor.file).toBe('main.asm');
    expect(files.list('a').map((f) => f.name)).toEqual(['main.asm']);
    client.fail('source.delete', new ApiError('not-found', "VM 'a' has no file 'x.inc'"));
    expect(await files.remove('a', 'x.inc')).toBe(false);
    expect(useNoticesStore().notices[0]?.message).toBe("Delete x.inc: VM 'a' has no file 'x.inc'");
  });

  it('uploads a picked file as base64', async () => {
    const { client, files } = await setup();
    expect(await files.upload('a', 'font.bin', new Uint8Array([0, 1, 255]))).toBeNull();
    expect(client.paramsOf('source.create')).toEqual([
      { vmId: 'a', file: 'font.bin', data: 'AAH/' },
    ]);
    expect(files.find('a', 'font.bin')).toMatchObject({ size: 3, kind: 'binary' });
    expect(toBase64(new Uint8Array(70_000).fill(65)).length).toBe(93_336);
  });
});
