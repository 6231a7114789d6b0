// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Diagnostic } from '../../../shared/api';
import type { SourceEditorHost, SourceEditorOptions } from '../monaco/editor-host';
import { ASSEMBLE_DELAY_MS, SAVE_DELAY_MS, useEditorStore } from '../stores/editor';
import { useVmsStore } from '../stores/vms';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import SourceEditor from './SourceEditor.vue';

/** Stands in for Monaco: documents by key, the shown one, and markers per document. */
const fake = vi.hoisted(() => ({
  docs: new Map<string, string>(),
  shown: null as string | null,
  markers: new Map<string, readonly Diagnostic[]>(),
  forgotten: [] as string[],
  options: null as SourceEditorOptions | null,
}));

vi.mock('../monaco/editor-host', () => ({
  createSourceEditor: (_el: HTMLElement, options: SourceEditorOptions): SourceEditorHost => {
    fake.options = options;
    return {
      open(key, text) {
        fake.docs.set(key, text);
        fake.shown = key;
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
    expect(fake.shown).toBe('a');
    expect(fake.docs.get('a')).toBe('hlt\n');
    await editor.open('b');
    await flushPromises();
    expect(fake.shown).toBe('b');
    expect(fake.docs.get('b')).toBe('cli\n');
    expect(wrapper.find('[data-testid="editor"]').exists()).toBe(true);
  });

  it('passes edits to the store, which saves and assembles them', async () => {
    const { client } = await setup();
    client.handle('source.assemble', () => ({ ok: false, diagnostics: [problem], size: 0 }));
    fake.options?.onChange('a', 'hlt\nmvo\n');
    fake.options?.onChange('b', 'edit of a document that is not shown');
    await vi.advanceTimersByTimeAsync(Math.max(SAVE_DELAY_MS, ASSEMBLE_DELAY_MS));
    expect(client.paramsOf('source.set')).toEqual([{ vmId: 'a', text: 'hlt\nmvo\n' }]);
    expect(fake.markers.get('a')).toEqual([problem]);
  });

  it('shows the number of diagnostics and marks them in the editor', async () => {
    const { wrapper, editor } = await setup();
    const count = () => wrapper.get('[data-testid="diagnostics-count"]').text();
    expect(count()).toBe('0');
    editor.setDiagnostics([problem, { ...problem, line: 5, severity: 'warning' }]);
    await flushPromises();
    expect(count()).toBe('2');
    expect(fake.markers.get('a')).toHaveLength(2);
  });

  it('drops the documents of deleted VMs', async () => {
    await setup();
    await useVmsStore().refresh();
    await useVmsStore().remove('a');
    await flushPromises();
    expect(fake.forgotten).toEqual(['a']);
  });
});
