// @vitest-environment happy-dom
// The whole window against the fake service, with Monaco and xterm replaced by stubs.
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Diagnostic } from '../../../shared/api';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import App from './App.vue';

vi.mock('../monaco/editor-host', () => ({
  createSourceEditor: () => ({
    open() {},
    close() {},
    setMarkers() {},
    forget() {},
    focus() {},
    dispose() {},
  }),
}));
vi.mock('../terminal/terminal-host', () => ({
  createTerminal: () => ({ write() {}, reset() {}, focus() {}, dispose() {} }),
}));

enableAutoUnmount(afterEach);

const problem: Diagnostic = {
  file: 'main.asm',
  line: 1,
  column: 1,
  endColumn: 4,
  severity: 'error',
  message: "unknown instruction 'mvo'",
};

async function mountApp(connected = true) {
  const client = useFakeApi([makeVm('a', 'alpha'), makeVm('b', 'beta')]);
  client.sources.set('a', 'mvo ax, 1\n');
  if (!connected) client.setConnected(false);
  const wrapper = mount(App, { global: { plugins: [getActivePinia()!] } });
  await flushPromises();
  return { client, wrapper };
}

describe('App', () => {
  it('loads the VMs, selects the first and loads its source and status', async () => {
    const { client, wrapper } = await mountApp();
    expect(wrapper.findAll('[data-testid="vm-item"]').map((r) => r.text())).toEqual([
      'alpha',
      'beta',
    ]);
    expect(client.paramsOf('source.get')).toEqual([{ vmId: 'a' }]);
    expect(client.paramsOf('run.status')).toEqual([{ vmId: 'a' }]);
    expect(wrapper.get('[data-testid="run-state"]').text()).toBe('stopped');
    expect(wrapper.find('[data-testid="editor"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="console"]').exists()).toBe(true);
  });

  it('shows a failed assembly in the error banner when Run is clicked', async () => {
    const { client, wrapper } = await mountApp();
    client.handle('source.assemble', () => ({ ok: false, diagnostics: [problem], size: 0 }));
    expect(wrapper.find('[data-testid="error-banner"]').exists()).toBe(false);
    await wrapper.get('[data-testid="run-start"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="error-banner"]').text()).toContain(
      "line 1:1: unknown instruction 'mvo'",
    );
    expect(wrapper.get('[data-testid="diagnostics-count"]').text()).toBe('1');
    expect(client.paramsOf('run.start')).toEqual([]);
  });

  it('waits for the socket before loading, and reloads after a reconnect', async () => {
    const { client, wrapper } = await mountApp(false);
    expect(client.paramsOf('vm.list')).toEqual([]);
    expect(wrapper.text()).toContain('Connecting to vmlab');
    client.setConnected(true);
    await flushPromises();
    expect(client.paramsOf('vm.list')).toHaveLength(1);
    expect(wrapper.findAll('[data-testid="vm-item"]')).toHaveLength(2);
    client.setConnected(false);
    client.setConnected(true);
    await flushPromises();
    expect(client.paramsOf('vm.list')).toHaveLength(2);
  });

  it("shows the selected VM's snapshots beside the editor; the toggle hides the panel", async () => {
    const { client, wrapper } = await mountApp();
    expect(client.paramsOf('snapshot.list')).toEqual([{ vmId: 'a' }]);
    // v-show: hidden, the panel stays mounted so its shortcut still works.
    const hidden = () =>
      wrapper.get('[data-testid="snapshot-panel"]').attributes('style')?.includes('display: none');
    expect(hidden()).toBeFalsy();
    await wrapper.get('[data-testid="snapshot-toggle"]').trigger('click');
    expect(hidden()).toBe(true);
    expect(localStorage.getItem('vmlab.snapshotsOpen')).toBe('false');
    await wrapper.get('[data-testid="snapshot-toggle"]').trigger('click');
    expect(hidden()).toBeFalsy();
    await wrapper.findAll('[data-testid="vm-item"] button')[1]?.trigger('click');
    await flushPromises();
    expect(client.paramsOf('snapshot.list')).toEqual([{ vmId: 'a' }, { vmId: 'b' }]);
  });
});
