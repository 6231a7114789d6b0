// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../shared/api';
import { useVmsStore } from '../stores/vms';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import StatusBar from './StatusBar.vue';

async function mountBar() {
  const client = useFakeApi([makeVm('a', 'alpha')]);
  await useVmsStore().refresh();
  const wrapper = mount(StatusBar, { global: { plugins: [getActivePinia()!] } });
  const text = (id: string) => wrapper.find(`[data-testid="${id}"]`).text();
  const push = async (status: Omit<RunStatus, 'vmId'>) => {
    client.emit('run.status', { vmId: 'a', ...status });
    await flushPromises();
  };
  return { client, wrapper, text, push };
}

enableAutoUnmount(afterEach);

describe('StatusBar', () => {
  it('shows state, icount with separators and speed in MIPS or KIPS', async () => {
    const { text, push } = await mountBar();
    expect(text('run-state')).toBe('stopped');
    expect(text('icount')).toBe('0');
    await push({ state: 'running', icount: 123456789, ips: 45_600_000 });
    expect(text('run-state')).toBe('running');
    expect(text('icount')).toBe('123,456,789');
    expect(text('ips')).toBe('45.6 MIPS');
    await push({ state: 'running', icount: 1000, ips: 2500 });
    expect(text('ips')).toBe('2.50 KIPS');
  });

  it('shows the exit code or the message when the VM stopped by itself', async () => {
    const { wrapper, text, push } = await mountBar();
    expect(wrapper.find('[data-testid="run-outcome"]').exists()).toBe(false);
    await push({ state: 'exited', icount: 42, ips: 0, exitCode: 1 });
    expect(text('run-state')).toBe('exited');
    expect(text('run-outcome')).toBe('exit code 1 (0x01)');
    await push({ state: 'error', icount: 42, ips: 0, message: 'triple fault at 0x7c10' });
    expect(text('run-outcome')).toBe('triple fault at 0x7c10');
  });

  it('shows a lost connection', async () => {
    const { client, text } = await mountBar();
    expect(text('connection')).toBe('Connected');
    client.setConnected(false);
    await flushPromises();
    expect(text('connection')).toBe('Reconnecting…');
  });
});
