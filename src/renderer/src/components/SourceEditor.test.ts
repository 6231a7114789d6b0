// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Diagnostic } from '../../../shared/api';
import type { SourceEditorHost, SourceEditorOptions } from '../monaco/editor-host';
import { ASSEMBLE_DELAY_MS, SAVE_DELAY_MS, useEditorStore } from '../stores/editor';
import { useFilesStore } from '../stores/files';
import { useVmsStore } from '../stores/vms';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import SourceEditor from './SourceEditor.vue';

/** Stands in for Monaco: documents by key, the shown one, and markers per document. */
const fake = vi.hoisted(() => ({
  docs: new Map<string, string>(),
  shown: null as string | null,
  plain: false,
  markers: new Map<string, readonly Diagnostic[]>(),
  forgotten: [] as string[],
  options: null as SourceEditorOptions | null,
  revealed: [] as string[],
}));

vi.mock('../monaco/editor-host', () => ({
  createSourceEditor: (_el: HTMLElement, options: SourceEditorOptions): SourceEditorHost => {
    fake.options = options;
    return {
      open(key, text, plain) {
        fake.docs.set(key, text);
        fake.shown = key;
        fake.plain = plain ?? false;
      },
      close() {
        fake.shown = null;
      },
      setMarkers(key, diagnostics) {
        fake.markers.set(key, diagnostics);
      },
      forget(key) {
        fake.forgotten.push(key);
      },
      reveal(line, column) {
        fake.revealed.push(`${fake.shown}:${line}:${column}`);
      },
      focus() {},
      dispose() {},
    };
  },
}));

enableAutoUnmount(afterEach);

const problem: Diagnostic = {
  file: 'main.asm',
  line: 2,
  column: 1,
  endColumn: 4,
  severity: 'error',
  message: 'unknown instruction',
};

describe('SourceEditor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    fake.docs.clear();
    fake.markers.clear();
    fake.shown = null;
    fake.forgotten = [];
    fake.revealed = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function setup() {
    const client = useFakeApi([makeVm('a', 'alpha'), makeVm('b', 'beta')]);
    client.sources.set('a', 'hlt\n');
    client.sources.set('b', 'cli\n');
    const wrapper = mount(SourceEditor, { global: { plugins: [getActivePinia()!] } });
    const editor = useEditorStore();
    await editor.open('a');
    await flushPromises();
    return { client, wrapper, editor };
  }

  it('shows the loaded source of the selected VM', async () => {
    const { wrapper, editor } = await setup();
    expect(fake.shown).toBe('a/main.asm');
    expect(fake.docs.get('a/main.asm')).toBe('hlt\n');
    await editor.open('b');
    await flushPromises();
    expect(fake.shown).toBe('b/main.asm');
    expect(fake.docs.get('b/main.asm')).toBe('cli\n');
    expect(wrapper.find('[data-testid="editor"]').exists()).toBe(true);
  });

  it('passes edits to the store, which saves and assembles them', async () => {
    const { client } = await setup();
    client.handle('source.assemble', () => ({ ok: false, diagnostics: [problem], size: 0 }));
    fake.options?.onChange('a/main.asm', 'hlt\nmvo\n');
    fake.options?.onChange('b/main.asm', 'edit of a document that is not shown');
    await vi.advanceTimersByTimeAsync(Math.max(SAVE_DELAY_MS, ASSEMBLE_DELAY_MS));
    expect(client.paramsOf('source.set')).toEqual([{ vmId: 'a', text: 'hlt\nmvo\n' }]);
    expect(fake.markers.get('a/main.asm')).toEqual([problem]);
  });

  it('shows the number of diagnostics and marks them in the editor', async () => {
    const { wrapper, editor } = await setup();
    const count = () => wrapper.get('[data-testid="diagnostics-count"]').text();
    expect(count()).toBe('0');
    editor.setDiagnostics([problem, { ...problem, line: 5, severity: 'warning' }]);
    await flushPromises();
    expect(count()).toBe('2');
    expect(fake.markers.get('a/main.asm')).toHaveLength(2);
  });

  it('marks an included file with the errors located in it, and highlights only assembly', async () => {
    const { client, editor, wrapper } = await setup();
    client.files.set(
      'a',
      new Map([
        ['msg.inc', "db 'hi'\n"],
        ['notes.txt', 'todo'],
      ]),
    );
    const inInclude = { ...problem, file: 'msg.inc', line: 1 };
    client.handle('source.assemble', () => ({
      ok: false,
      diagnostics: [problem, inInclude],
      size: 0,
    }));
    await editor.openFile('msg.inc');
    await editor.assemble();
    await flushPromises();
    expect(fake.shown).toBe('a/msg.inc');
    expect(fake.plain).toBe(false);
    expect(fake.markers.get('a/msg.inc')).toEqual([inInclude]);
    expect(wrapper.get('[data-testid="editor-file"]').text()).toBe('msg.inc');
    expect(wrapper.text()).toContain('assembled through main.asm');
    await editor.openFile('notes.txt');
    await flushPromises();
    expect(fake.shown).toBe('a/notes.txt');
    expect(fake.plain).toBe(true);
    expect(fake.markers.get('a/notes.txt')).toEqual([]);
  });

  it('opens the file of a followed macro-body link and shows the place', async () => {
    const { client, editor } = await setup();
    client.files.set('a', new Map([['defs.inc', '%macro m 0\nbad\n%endmacro\n']]));
    fake.options?.onOpen?.('a/defs.inc', 2, 3);
    await flushPromises();
    expect(editor.file).toBe('defs.inc');
    expect(fake.revealed).toEqual(['a/defs.inc:2:3']);
    fake.options?.onOpen?.('b/main.asm', 1, 1);
    await flushPromises();
    expect(editor.file).toBe('defs.inc');
  });

  it('describes a binary file instead of opening it', async () => {
    const { client, editor, wrapper } = await setup();
    client.files.set('a', new Map([['font.bin', new Uint8Array(2048)]]));
    const files = useFilesStore();
    await files.load('a');
    await editor.openFile('font.bin', 'binary');
    await flushPromises();
    expect(fake.shown).toBeNull();
    const note = wrapper.get('[data-testid="binary-note"]').text();
    expect(note).toContain('font.bin is a binary file of 2.0 KiB');
    expect(note).toContain('incbin "font.bin"');
  });

  it('drops the documents of renamed and deleted files', async () => {
    const { client, editor } = await setup();
    client.files.set('a', new Map([['gone.inc', 'nop\n']]));
    const files = useFilesStore();
    await files.load('a');
    await editor.openFile('gone.inc');
    await flushPromises();
    expect(await files.rename('a', 'gone.inc', 'moved.inc')).toBeNull();
    await flushPromises();
    expect(fake.shown).toBe('a/moved.inc');
    expect(fake.forgotten).toEqual(['a/gone.inc']);
    expect(await files.remove('a', 'moved.inc')).toBe(true);
    await flushPromises();
    expect(fake.shown).toBe('a/main.asm');
    expect(fake.forgotten).toEqual(['a/gone.inc', 'a/moved.inc']);
  });

  it('drops the documents of deleted VMs', async () => {
    await setup();
    await useVmsStore().refresh();
    await useVmsStore().remove('a');
    await flushPromises();
    expect(fake.forgotten).toEqual(['a/main.asm']);
  });
});
