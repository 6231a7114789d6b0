// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type RunState, type SnapshotInfo } from '../../../shared/api';
import { setVmFiles } from '../stores/client';
import { useConsolesStore } from '../stores/consoles';
import { useNoticesStore } from '../stores/notices';
import { useRunStore } from '../stores/run';
import { useSnapshotsStore } from '../stores/snapshots';
import { makeSnapshot, makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import SnapshotPanel from './SnapshotPanel.vue';

enableAutoUnmount(afterEach);

const at = (minute: number) => `2025-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

async function mountPanel(state: RunState = 'running', nodes: SnapshotInfo[] = []) {
  const vm = makeVm('a', 'alpha');
  const client = useFakeApi([vm]);
  client.snapshots.set('a', { nodes, current: nodes.at(-1)?.id ?? null });
  if (state !== 'stopped') client.statuses.set('a', { vmId: 'a', state, icount: 900, ips: 0 });
  const run = useRunStore();
  await run.refresh('a');
  await useSnapshotsStore().load('a');
  const wrapper = mount(SnapshotPanel, {
    props: { vm },
    global: { plugins: [getActivePinia()!] },
    attachTo: document.body,
  });
  const rows = () => wrapper.findAll('[data-testid="snapshot-item"]');
  const row = (name: string) => {
    const r = rows().find((w) => w.find('.name').text() === name);
    if (!r) throw new Error(`no row '${name}'`);
    return r;
  };
  const currentRow = () =>
    rows()
      .find((r) => r.find('[data-testid="snapshot-current"]').exists())
      ?.find('.name')
      .text();
  return { client, wrapper, rows, row, currentRow };
}

const chain = () => [
  makeSnapshot('s1', 'booted', null, { createdAt: at(1), icount: 1000, screen: ['READY', 'A>'] }),
  makeSnapshot('s2', 'loop', 's1', { createdAt: at(2), icount: 2_500_000 }),
];

describe('SnapshotPanel', () => {
  it('shows the tree with names, icounts and the you-are-here marker on the current node', async () => {
    const { rows, currentRow } = await mountPanel('running', [
      ...chain(),
      makeSnapshot('s3', 'branch', 's1', { createdAt: at(3) }),
    ]);
    expect(rows().map((r) => r.find('.name').text())).toEqual(['booted', 'loop', 'branch']);
    expect(rows()[1]?.text()).toContain('2,500,000 instr');
    expect(currentRow()).toBe('branch');
    // Two children of 'booted': both branch off, one lane to the right.
    const widths = rows().map((r) => r.find('svg').attributes('width'));
    expect(widths).toEqual(['14', '28', '28']);
  });

  it('exports the VM with its snapshots, and imports a VM file, from the panel', async () => {
    const calls: string[] = [];
    setVmFiles({
      picksOwnFile: true,
      exportVm: async (id) => {
        calls.push(`export ${id}`);
      },
      importVm: async () => {
        calls.push('import');
        return null;
      },
    });
    try {
      const { wrapper } = await mountPanel('running', chain());
      await wrapper.find('[data-testid="snapshot-export"]').trigger('click');
      await wrapper.find('[data-testid="snapshot-import"]').trigger('click');
      await flushPromises();
      expect(calls).toEqual(['export a', 'import']);
    } finally {
      setVmFiles(null);
    }
  });

  it('says what to do when there are no snapshots yet', async () => {
    const { wrapper } = await mountPanel('stopped');
    expect(wrapper.text()).toContain('No snapshots yet');
  });

  it('disables Take on a stopped VM and says why', async () => {
    const { wrapper } = await mountPanel('stopped');
    const take = wrapper.get('[data-testid="snapshot-take"]');
    expect(take.attributes('disabled')).toBeDefined();
    expect(take.element.parentElement?.getAttribute('title')).toBe(
      'Start the VM to take a snapshot of it',
    );
  });

  it('asks for a name ("Snapshot N" proposed), takes it, and moves the marker', async () => {
    const { client, wrapper, rows, currentRow } = await mountPanel('running', chain());
    await wrapper.get('[data-testid="snapshot-take"]').trigger('click');
    const input = wrapper.get<HTMLInputElement>('[data-testid="snapshot-name-input"]');
    expect(input.element.value).toBe('Snapshot 3');
    expect(document.activeElement).toBe(input.element);
    await input.setValue('after the banner');
    await wrapper.get('[data-testid="snapshot-description-input"]').setValue('  prompt shown ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(client.paramsOf('snapshot.take')).toEqual([
      { vmId: 'a', name: 'after the banner', description: 'prompt shown' },
    ]);
    expect(rows()).toHaveLength(3);
    expect(currentRow()).toBe('after the banner');
    expect(wrapper.find('form').exists()).toBe(false);
  });

  it('is busy while a take is pending: Take says so and the actions wait', async () => {
    const { client, wrapper } = await mountPanel('paused', chain());
    let finish: (node: SnapshotInfo) => void = () => {};
    client.handle('snapshot.take', () => new Promise<SnapshotInfo>((done) => (finish = done)));
    await wrapper.get('[data-testid="snapshot-take"]').trigger('click');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const panel = wrapper.get('[data-testid="snapshot-panel"]');
    expect(panel.attributes('aria-busy')).toBe('true');
    expect(wrapper.get('[data-testid="snapshot-take"]').text()).toBe('Taking…');
    expect(wrapper.get('[data-testid="snapshot-revert"]').attributes('disabled')).toBeDefined();
    finish(makeSnapshot('s9', 'Snapshot 3', 's2'));
    await flushPromises();
    expect(panel.attributes('aria-busy')).toBe('false');
    expect(wrapper.get('[data-testid="snapshot-take"]').text()).toBe('Take');
  });

  it('shows the phase and how far a take is, from the progress events', async () => {
    const { client, wrapper } = await mountPanel('paused', chain());
    let finish: (node: SnapshotInfo) => void = () => {};
    client.handle('snapshot.take', () => new Promise<SnapshotInfo>((done) => (finish = done)));
    await wrapper.get('[data-testid="snapshot-take"]').trigger('click');
    await wrapper.get('form').trigger('submit');
    client.emit('operation.progress', {
      vmId: 'a',
      operation: 'snapshot.take',
      phase: 'encode',
      done: 2,
      total: 4,
    });
    await flushPromises();
    const bar = wrapper.get('[data-testid="operation-progress"]');
    expect(bar.attributes('aria-valuenow')).toBe('50');
    expect(bar.get('[data-testid="progress-label"]').text()).toBe(
      'Taking snapshot: encoding memory',
    );
    finish(makeSnapshot('s9', 'Snapshot 3', 's2'));
    await flushPromises();
    expect(wrapper.find('[data-testid="operation-progress"]').exists()).toBe(false);
  });

  it('Esc closes the Take form without taking', async () => {
    const { client, wrapper } = await mountPanel('running');
    await wrapper.get('[data-testid="snapshot-take"]').trigger('click');
    await wrapper.get('[data-testid="snapshot-name-input"]').trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('form').exists()).toBe(false);
    expect(client.paramsOf('snapshot.take')).toEqual([]);
  });

  it('turns a failed take into a notice', async () => {
    const { client, wrapper } = await mountPanel('running');
    client.fail('snapshot.take', new ApiError('internal', 'disk full'));
    await wrapper.get('[data-testid="snapshot-take"]').trigger('click');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(useNoticesStore().notices.map((n) => n.message)).toEqual(['Take snapshot: disk full']);
  });

  it('asks before reverting a running VM, then reverts and marks the console', async () => {
    const { client, wrapper, row, currentRow } = await mountPanel('running', chain());
    await row('booted').trigger('click');
    await wrapper.get('[data-testid="snapshot-revert"]').trigger('click');
    expect(wrapper.text()).toContain(
      'Reverting discards the current state since the last snapshot',
    );
    expect(client.paramsOf('snapshot.revert')).toEqual([]);
    await wrapper.get('[data-testid="confirm-yes"]').trigger('click');
    await flushPromises();
    expect(client.paramsOf('snapshot.revert')).toEqual([{ vmId: 'a', snapshotId: 's1' }]);
    expect(currentRow()).toBe('booted');
    expect(useConsolesStore().buffer('a').text()).toContain("— reverted to 'booted' —");
  });

  it('cancelling the confirmation reverts nothing', async () => {
    const { client, wrapper } = await mountPanel('paused', chain());
    await wrapper.get('[data-testid="snapshot-revert"]').trigger('click');
    await wrapper.get('[data-testid="confirm-no"]').trigger('click');
    await flushPromises();
    expect(client.paramsOf('snapshot.revert')).toEqual([]);
    expect(wrapper.find('[data-testid="confirm-yes"]').exists()).toBe(false);
  });

  it('reverts a stopped VM at once (nothing to lose); it starts paused', async () => {
    const { client, wrapper, row } = await mountPanel('stopped', chain());
    await row('booted').trigger('dblclick');
    await flushPromises();
    expect(wrapper.find('[data-testid="confirm-yes"]').exists()).toBe(false);
    expect(client.paramsOf('snapshot.revert')).toEqual([{ vmId: 'a', snapshotId: 's1' }]);
    expect(useRunStore().status('a').state).toBe('paused');
  });

  it('renames inline: Enter commits, Esc cancels', async () => {
    const { client, wrapper, row } = await mountPanel('stopped', chain());
    await row('booted').trigger('click');
    await wrapper.get('[data-testid="snapshot-rename"]').trigger('click');
    let input = wrapper.get<HTMLInputElement>('[data-testid="snapshot-name-input"]');
    expect(input.element.value).toBe('booted');
    await input.setValue('nope');
    await input.trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[data-testid="snapshot-name-input"]').exists()).toBe(false);
    expect(client.paramsOf('snapshot.rename')).toEqual([]);

    await wrapper.get('[data-testid="snapshot-rename"]').trigger('click');
    input = wrapper.get<HTMLInputElement>('[data-testid="snapshot-name-input"]');
    await input.setValue('fresh boot');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(client.paramsOf('snapshot.rename')).toEqual([
      { vmId: 'a', snapshotId: 's1', name: 'fresh boot' },
    ]);
    expect(row('fresh boot').exists()).toBe(true);
  });

  it('deletes after a confirmation; the child stays', async () => {
    const { client, wrapper, row, rows } = await mountPanel('stopped', chain());
    await row('booted').trigger('click');
    await wrapper.get('[data-testid="snapshot-delete"]').trigger('click');
    expect(wrapper.text()).toContain('Snapshots taken after it keep their state');
    await wrapper.get('[data-testid="confirm-yes"]').trigger('click');
    await flushPromises();
    expect(client.paramsOf('snapshot.delete')).toEqual([{ vmId: 'a', snapshotId: 's1' }]);
    expect(rows().map((r) => r.find('.name').text())).toEqual(['loop']);
  });

  it('shows the screen of the snapshot under the pointer', async () => {
    const { wrapper, row } = await mountPanel('running', chain());
    expect(wrapper.find('[data-testid="snapshot-thumbnail"]').exists()).toBe(false);
    await row('booted').trigger('mouseenter');
    const thumb = wrapper.get('[data-testid="snapshot-thumbnail"]');
    const lines = (thumb.get('pre').element.textContent ?? '').split('\n');
    expect(lines).toHaveLength(25);
    expect(lines[0]).toBe('READY'.padEnd(80));
    expect(lines[1]?.trimEnd()).toBe('A>');
    await row('booted').trigger('mouseleave');
    expect(wrapper.find('[data-testid="snapshot-thumbnail"]').exists()).toBe(false);
    await row('loop').trigger('mouseenter');
    expect(wrapper.get('[data-testid="snapshot-thumbnail"]').text()).toContain(
      'No screen captured',
    );
  });

  it('takes a snapshot on Ctrl+Shift+S (and Cmd+Shift+S) of a running VM', async () => {
    const { client } = await mountPanel('running', chain());
    window.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'S', code: 'KeyS', ctrlKey: true, shiftKey: true }),
    );
    await flushPromises();
    window.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'S', code: 'KeyS', metaKey: true, shiftKey: true }),
    );
    await flushPromises();
    expect(client.paramsOf('snapshot.take')).toEqual([
      { vmId: 'a', name: 'Snapshot 3' },
      { vmId: 'a', name: 'Snapshot 4' },
    ]);
  });

  it('ignores the shortcut on a stopped VM, with a warning', async () => {
    const { client } = await mountPanel('stopped');
    window.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'S', code: 'KeyS', ctrlKey: true, shiftKey: true }),
    );
    await flushPromises();
    expect(client.paramsOf('snapshot.take')).toEqual([]);
    expect(useNoticesStore().notices[0]?.level).toBe('warning');
  });

  it('moves the selection with the arrow keys and renames with F2', async () => {
    const { wrapper, row } = await mountPanel('running', chain());
    const selectedName = () => wrapper.get('[aria-selected="true"] .name').text();
    expect(selectedName()).toBe('loop');
    await row('loop').trigger('keydown', { key: 'ArrowUp' });
    expect(selectedName()).toBe('booted');
    await row('booted').trigger('keydown', { key: 'F2' });
    expect(wrapper.get<HTMLInputElement>('[data-testid="snapshot-name-input"]').element.value).toBe(
      'booted',
    );
  });
});
