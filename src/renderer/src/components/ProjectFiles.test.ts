// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { useEditorStore } from '../stores/editor';
import { useFilesStore } from '../stores/files';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import ProjectFiles from './ProjectFiles.vue';

enableAutoUnmount(afterEach);

async function mountFiles() {
  const client = useFakeApi([makeVm('a', 'alpha')]);
  client.sources.set('a', "%include 'defs.inc'\n");
  client.files.set(
    'a',
    new Map<string, string | Uint8Array>([
      ['defs.inc', 'X equ 1\n'],
      ['font.bin', new Uint8Array(1536)],
    ]),
  );
  const editor = useEditorStore();
  await editor.open('a');
  await useFilesStore().load('a');
  const wrapper = mount(ProjectFiles, {
    props: { vmId: 'a' },
    global: { plugins: [getActivePinia()!] },
    attachTo: document.body,
  });
  const row = (name: string) => wrapper.get(`[data-testid="file-item"][data-file="${name}"]`);
  const names = () =>
    wrapper.findAll('[data-testid="file-item"]').map((r) => r.attributes('data-file'));
  return { client, editor, wrapper, row, names };
}

async function typeName(wrapper: ReturnType<typeof mount>, name: string) {
  const input = wrapper.get('[data-testid="file-name-input"]');
  await input.setValue(name);
  await input.trigger('keydown', { key: 'Enter' });
  await flushPromises();
}

describe('ProjectFiles', () => {
  it('lists the files: main source marked, sizes, binary files apart', async () => {
    const { row, names } = await mountFiles();
    expect(names()).toEqual(['main.asm', 'defs.inc', 'font.bin']);
    expect(row('main.asm').find('[data-testid="file-main"]').exists()).toBe(true);
    expect(row('main.asm').find('[data-testid="file-delete"]').exists()).toBe(false);
    expect(row('main.asm').classes()).toContain('active');
    expect(row('font.bin').get('.row').classes()).toContain('binary');
    expect(row('font.bin').text()).toContain('1.5 KiB');
    expect(row('defs.inc').text()).toContain('8 B');
  });

  it('opens a file on click and counts the errors located in each file', async () => {
    const { editor, row } = await mountFiles();
    await row('defs.inc').get('button').trigger('click');
    await flushPromises();
    expect(editor.file).toBe('defs.inc');
    expect(row('defs.inc').classes()).toContain('active');
    const error = { line: 1, column: 1, endColumn: 2, severity: 'error', message: 'bad' } as const;
    editor.setDiagnostics([
      { ...error, file: 'defs.inc' },
      { ...error, file: 'defs.inc' },
    ]);
    await flushPromises();
    expect(row('defs.inc').get('.error-count').text()).toBe('2');
    await row('font.bin').get('button').trigger('click');
    await flushPromises();
    expect(editor).toMatchObject({ file: 'font.bin', binary: true });
  });

  it('creates a file, saying what is wrong with a bad or taken name', async () => {
    const { wrapper, names, editor } = await mountFiles();
    await wrapper.get('[data-testid="file-create"]').trigger('click');
    await typeName(wrapper, 'my file.inc');
    expect(wrapper.get('[data-testid="file-name-error"]').text()).toMatch(/no spaces/);
    await typeName(wrapper, 'defs.inc');
    expect(wrapper.get('[data-testid="file-name-error"]').text()).toBe(
      "The VM already has a file named 'defs.inc'",
    );
    await typeName(wrapper, 'msg.inc');
    expect(wrapper.find('[data-testid="file-name-input"]').exists()).toBe(false);
    expect(names()).toEqual(['main.asm', 'defs.inc', 'font.bin', 'msg.inc']);
    expect(editor.file).toBe('msg.inc');
  });

  it('renames in place and deletes after a confirmation', async () => {
    const { wrapper, names, row } = await mountFiles();
    await row('defs.inc').get('[data-testid="file-rename"]').trigger('click');
    await typeName(wrapper, 'consts.inc');
    expect(names()).toEqual(['main.asm', 'consts.inc', 'font.bin']);

    await row('font.bin').get('[data-testid="file-delete"]').trigger('click');
    expect(wrapper.text()).toContain('Delete font.bin? This cannot be undone.');
    await wrapper.get('[data-testid="confirm-no"]').trigger('click');
    expect(names()).toContain('font.bin');
    await row('font.bin').get('[data-testid="file-delete"]').trigger('click');
    await wrapper.get('[data-testid="confirm-yes"]').trigger('click');
    await flushPromises();
    expect(names()).toEqual(['main.asm', 'consts.inc']);
  });
});
