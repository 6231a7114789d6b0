import { describe, expect, it } from 'vitest';
import type { OperationProgress, SnapshotInfo } from '../../../shared/api';
import { makeSnapshot, makeVm } from '../testing/fake-client';
import { settle, useFakeApi } from '../testing/setup';
import { progressFraction, progressLabel, useProgressStore } from './progress';
import { useSnapshotsStore } from './snapshots';

const take = (phase: OperationProgress['phase'], done: number): OperationProgress => ({
  vmId: 'a',
  operation: 'snapshot.take',
  phase,
  done,
  total: 4,
});

describe('progress store', () => {
  it('follows the events of each operation until done', () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const progress = useProgressStore();
    expect(progress.snapshot('a')).toBeNull();
    client.emit('operation.progress', take('encode', 2));
    expect(progress.snapshot('a')).toMatchObject({ phase: 'encode', done: 2 });
    expect(progress.snapshot('b')).toBeNull();
    expect(progress.archive('a')).toBeNull();
    client.emit('operation.progress', take('done', 4));
    expect(progress.snapshot('a')).toBeNull();
  });

  it('keeps an import (no VM yet) and exports apart from snapshot operations', () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const progress = useProgressStore();
    const base = { phase: 'unpack', done: 3, total: 10, item: { index: 3, count: 9 } } as const;
    client.emit('operation.progress', { ...base, vmId: null, operation: 'vm.import' });
    client.emit('operation.progress', { ...base, vmId: 'a', operation: 'vm.export' });
    expect(progress.archive(null)?.operation).toBe('vm.import');
    expect(progress.archive('a')?.operation).toBe('vm.export');
    expect(progress.anyExport()?.vmId).toBe('a');
    expect(progress.snapshot('a')).toBeNull();
  });

  it('drops the bar when the request ends, even without a done event', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    client.statuses.set('a', { vmId: 'a', state: 'paused', icount: 5, ips: 0 });
    const progress = useProgressStore();
    let finish: (node: SnapshotInfo) => void = () => {};
    client.handle('snapshot.take', () => new Promise<SnapshotInfo>((done) => (finish = done)));
    const taking = useSnapshotsStore().take('a', 'one');
    await settle();
    client.emit('operation.progress', take('write', 3));
    expect(progress.snapshot('a')?.phase).toBe('write');
    finish(makeSnapshot('s1', 'one', null));
    await taking;
    await settle();
    expect(progress.snapshot('a')).toBeNull();
  });

  it('names the phase and the item, and measures the whole operation', () => {
    expect(progressLabel(take('encode', 2))).toBe('Taking snapshot: encoding memory');
    const child: OperationProgress = {
      vmId: 'a',
      operation: 'snapshot.delete',
      phase: 'rewrite',
      done: 2,
      total: 6,
      item: { index: 2, count: 4 },
    };
    expect(progressLabel(child)).toBe('Deleting snapshot: rewriting child 2 of 4');
    expect(progressFraction(child)).toBeCloseTo(1 / 3);
    expect(progressFraction({ ...child, total: 0 })).toBe(0);
  });
});
