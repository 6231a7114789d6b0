import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api';
import { makeSnapshot, makeVm } from '../testing/fake-client';
import { settle, useFakeApi } from '../testing/setup';
import { useConsolesStore } from './consoles';
import { useNoticesStore } from './notices';
import { useRunStore } from './run';
import { revertDivider, useSnapshotsStore } from './snapshots';

function setup(state: 'running' | 'paused' | 'stopped' = 'running') {
  const client = useFakeApi([makeVm('a', 'alpha'), makeVm('b', 'beta')]);
  if (state !== 'stopped') client.statuses.set('a', { vmId: 'a', state, icount: 500, ips: 0 });
  const snapshots = useSnapshotsStore();
  return { client, snapshots };
}

describe('snapshots store', () => {
  it('loads a tree per VM; a VM never loaded has an empty one', async () => {
    const { client, snapshots } = setup();
    client.snapshots.set('a', { nodes: [makeSnapshot('s1', 'first')], current: 's1' });
    expect(snapshots.tree('a')).toEqual({ nodes: [], current: null });
    await snapshots.load('a');
    expect(snapshots.tree('a').nodes.map((n) => n.name)).toEqual(['first']);
    expect(snapshots.tree('a').current).toBe('s1');
    expect(snapshots.tree('b').nodes).toEqual([]);
  });

  it("follows 'snapshot.changed' events", () => {
    const { client, snapshots } = setup();
    client.emit('snapshot.changed', {
      vmId: 'b',
      tree: { nodes: [makeSnapshot('x', 'from event')], current: 'x' },
    });
    expect(snapshots.tree('b').nodes[0]?.name).toBe('from event');
    expect(snapshots.tree('a').nodes).toEqual([]);
  });

  it('takes a snapshot under the current one, which it then becomes', async () => {
    const { client, snapshots } = setup();
    const first = await snapshots.take('a', '  before the loop  ');
    expect(client.paramsOf('snapshot.take')).toEqual([{ vmId: 'a', name: 'before the loop' }]);
    expect(first?.icount).toBe(500);
    const second = await snapshots.take('a', '', 'why');
    expect(client.paramsOf('snapshot.take')[1]).toEqual({
      vmId: 'a',
      name: 'Snapshot 2',
      description: 'why',
    });
    expect(second?.parentId).toBe(first?.id);
    expect(snapshots.tree('a').current).toBe(second?.id);
    expect(snapshots.nextName('a')).toBe('Snapshot 3');
  });

  it('is busy while a request is pending and idle after', async () => {
    const { snapshots } = setup();
    const taking = snapshots.take('a', 'one');
    expect(snapshots.busy('a')).toBe('take');
    expect(snapshots.busy('b')).toBeNull();
    await taking;
    expect(snapshots.busy('a')).toBeNull();
  });

  it('turns a refused take into a notice and changes nothing', async () => {
    const { snapshots } = setup('stopped');
    expect(await snapshots.take('a', 'one')).toBeUndefined();
    expect(useNoticesStore().notices.map((n) => n.message)).toEqual([
      'Take snapshot: start the VM to take a snapshot of it',
    ]);
    expect(snapshots.tree('a').nodes).toEqual([]);
    expect(snapshots.busy('a')).toBeNull();
  });

  it('reverts: the run state, the current node, and a divider plus the screen in the console', async () => {
    const { client, snapshots } = setup();
    client.screens.set('a', ['echo: type something', 'AB', '', '']);
    const one = await snapshots.take('a', 'one');
    client.screens.set('a', ['echo: type something', 'ABCD']);
    await snapshots.take('a', 'two');
    const consoles = useConsolesStore();
    client.emit('console.output', { vmId: 'a', port: 'com1', data: 'ABCD' });

    expect(await snapshots.revert('a', one?.id ?? '')).toBe(true);
    expect(snapshots.tree('a').current).toBe(one?.id);
    expect(useRunStore().status('a').state).toBe('running');
    const buffer = consoles.buffer('a');
    expect(buffer.text('note')).toContain(revertDivider('one'));
    expect(buffer.text().indexOf('ABCD')).toBeLessThan(buffer.text().indexOf('reverted'));
    // The screen view goes on from the screen as it was, trailing blank rows dropped.
    expect(buffer.text('screen')).toBe('echo: type something\r\nAB');
  });

  it('starts a stopped VM from the snapshot, paused', async () => {
    const { client, snapshots } = setup('stopped');
    client.snapshots.set('a', {
      nodes: [makeSnapshot('s1', 'saved', null, { icount: 42 })],
      current: null,
    });
    await snapshots.load('a');
    await snapshots.revert('a', 's1');
    expect(useRunStore().status('a')).toMatchObject({ state: 'paused', icount: 42 });
    expect(snapshots.tree('a').current).toBe('s1');
  });

  it('reports a failed revert and leaves the console alone', async () => {
    const { client, snapshots } = setup();
    client.fail('snapshot.revert', new ApiError('invalid-state', 'the snapshot file is corrupt'));
    expect(await snapshots.revert('a', 's1')).toBe(false);
    expect(useNoticesStore().notices[0]?.message).toBe(
      'Revert to snapshot: the snapshot file is corrupt',
    );
    expect(useConsolesStore().buffer('a').text()).toBe('');
  });

  it('renames, skipping an empty or unchanged name', async () => {
    const { client, snapshots } = setup();
    const node = await snapshots.take('a', 'old');
    const id = node?.id ?? '';
    expect(await snapshots.rename('a', id, '   ')).toBe(false);
    expect(await snapshots.rename('a', id, 'old')).toBe(false);
    expect(await snapshots.rename('a', id, ' new ')).toBe(true);
    expect(client.paramsOf('snapshot.rename')).toEqual([
      { vmId: 'a', snapshotId: id, name: 'new' },
    ]);
    expect(snapshots.find('a', id)?.name).toBe('new');
  });

  it('deletes; the children move up to the parent', async () => {
    const { snapshots } = setup();
    const one = await snapshots.take('a', 'one');
    const two = await snapshots.take('a', 'two');
    const three = await snapshots.take('a', 'three');
    expect(await snapshots.remove('a', two?.id ?? '')).toBe(true);
    expect(snapshots.tree('a').nodes.map((n) => n.name)).toEqual(['one', 'three']);
    expect(snapshots.find('a', three?.id ?? '')?.parentId).toBe(one?.id);
  });

  it('reports a failed delete', async () => {
    const { client, snapshots } = setup();
    client.fail('snapshot.delete', new ApiError('not-found', "no snapshot with id 'zz'"));
    expect(await snapshots.remove('a', 'zz')).toBe(false);
    await settle();
    expect(useNoticesStore().notices[0]?.message).toBe("Delete snapshot: no snapshot with id 'zz'");
  });

  it('forgets a deleted VM', async () => {
    const { snapshots } = setup();
    await snapshots.take('a', 'one');
    snapshots.forget('a');
    expect(snapshots.tree('a').nodes).toEqual([]);
  });
});
