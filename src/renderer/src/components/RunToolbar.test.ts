// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunState } from '../../../shared/api';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import RunToolbar from './RunToolbar.vue';

const BUTTONS = ['run-start', 'run-pause', 'run-step', 'run-stop', 'run-reset'] as const;

function mountToolbar(technique: 'native' | 'vt' = 'native') {
  const vm = makeVm('a', 'alpha', { technique });
  const client = useFakeApi([vm]);
  const wrapper = mount(RunToolbar, {
    props: { vm },
    global: { plugins: [getActivePinia()!] },
  });
  const enabled = () =>
    BUTTONS.filter(
      (id) => wrapper.get(`[data-testid="${id}"]`).attributes('disabled') === undefined,
    );
  const setState = async (state: RunState) => {
    client.emit('run.status', { vmId: 'a', state, icount: 0, ips: 0 });
    await flushPromises();
  };
  return { client, wrapper, enabled, setState };
}

enableAutoUnmount(afterEach);

describe('RunToolbar', () => {
  it('enables the buttons that make sense in each run state', async () => {
    const { enabled, setState } = mountToolbar();
    const expected: Record<RunState, string[]> = {
      stopped: ['run-start'],
      running: ['run-pause', 'run-stop', 'run-reset'],
      paused: ['run-pause', 'run-step', 'run-stop', 'run-reset'],
      halted: ['run-start', 'run-stop', 'run-reset'],
      exited: ['run-start', 'run-reset'],
      error: ['run-start', 'run-reset'],
    };
    for (const [state, buttons] of Object.entries(expected)) {
      await setState(state as RunState);
      expect(enabled(), state).toEqual(buttons);
    }
  });

  it('Run starts the VM, then Pause, Resume, Stop and Reset call the service', async () => {
    const { client, wrapper, setState } = mountToolbar();
    await wrapper.get('[data-testid="run-start"]').trigger('click');
    await flushPromises();
    expect(client.paramsOf('run.start')).toEqual([{ vmId: 'a' }]);

    const pause = wrapper.get('[data-testid="run-pause"]');
    expect(pause.text()).toBe('Pause');
    await pause.trigger('click');
    await flushPromises();
    expect(client.paramsOf('run.pause')).toEqual([{ vmId: 'a' }]);
    expect(pause.text()).toBe('Resume');
    await pause.trigger('click');
    await flushPromises();
    expect(client.paramsOf('run.resume')).toEqual([{ vmId: 'a' }]);

    await wrapper.get('[data-testid="run-reset"]').trigger('click');
    await flushPromises();
    expect(client.paramsOf('run.reset')).toEqual([{ vmId: 'a' }]);
    await setState('running');
    await wrapper.get('[data-testid="run-stop"]').trigger('click');
    await flushPromises();
    expect(client.paramsOf('run.stop')).toEqual([{ vmId: 'a' }]);
  });

  it('disables everything while an action is in flight', async () => {
    const { client, wrapper, enabled } = mountToolbar();
    let answer: () => void = () => {};
    client.handle(
      'run.start',
      ({ vmId }) =>
        new Promise((resolve) => {
          answer = () => resolve({ vmId, state: 'running', icount: 0, ips: 0 });
        }),
    );
    await wrapper.get('[data-testid="run-start"]').trigger('click');
    await flushPromises();
    expect(enabled()).toEqual([]);
    answer();
    await flushPromises();
    expect(enabled()).toEqual(['run-pause', 'run-stop', 'run-reset']);
  });

  it('does not offer Run for a technique that is not available yet', () => {
    const { wrapper, enabled } = mountToolbar('vt');
    expect(enabled()).toEqual([]);
    expect(wrapper.text()).toContain('not yet available');
  });

  it('F5 runs and Shift+F5 stops', async () => {
    const { client } = mountToolbar();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F5' }));
    await flushPromises();
    expect(client.paramsOf('run.start')).toHaveLength(1);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F5', shiftKey: true }));
    await flushPromises();
    expect(client.paramsOf('run.stop')).toHaveLength(1);
  });
});
