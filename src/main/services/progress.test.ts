import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperationProgress } from '../../shared/api';
import { inProcessLink } from '../engine-host/links';
import { PROGRESS_INTERVAL_MS, progressReporter, withProgress } from './progress';
import { VmService } from './vm-service';

const brief = (list: OperationProgress[]) =>
  list.map(
    (p) => `${p.phase} ${p.done}/${p.total}${p.item ? ` ${p.item.index}/${p.item.count}` : ''}`,
  );

describe('progressReporter', () => {
  it('counts phases, widens the total by the items of a phase, and ends with done', async () => {
    const events: OperationProgress[] = [];
    let clock = 0;
    const step = progressReporter(
      (p) => events.push(p),
      'vm',
      'snapshot.delete',
      3,
      () => {
        clock += PROGRESS_INTERVAL_MS;
        return clock;
      },
    );
    await step('read');
    for (let k = 1; k <= 3; k++) await step('rewrite', { index: k, count: 3 });
    await step('write');
    await step('done');
    expect(brief(events)).toEqual([
      'read 0/3',
      'rewrite 1/5 1/3',
      'rewrite 2/5 2/3',
      'rewrite 3/5 3/3',
      'write 4/5',
      'done 5/5',
    ]);
    expect(events[0]).toEqual({
      vmId: 'vm',
      operation: 'snapshot.delete',
      phase: 'read',
      done: 0,
      total: 3,
    });
  });

  it('sends at most one event per interval within a phase, but every new phase and the end', async () => {
    const events: OperationProgress[] = [];
    const step = progressReporter(
      (p) => events.push(p),
      null,
      'vm.import',
      2,
      () => 0,
    );
    await step('decode');
    for (let k = 1; k <= 100; k++) await step('unpack', { index: k, count: 100 });
    await step('done');
    expect(brief(events)).toEqual(['decode 0/2', 'unpack 1/101 1/100', 'done 101/101']);
  });

  it('ends with done when the work fails', async () => {
    const events: OperationProgress[] = [];
    const failing = withProgress(
      (p) => events.push(p),
      'vm',
      'vm.export',
      2,
      async (step) => {
        await step('pack', { index: 1, count: 2 });
        throw new Error('disk full');
      },
    );
    await expect(failing).rejects.toThrow('disk full');
    expect(brief(events)).toEqual(['pack 0/3 1/2', 'done 3/3']);
  });
});

describe('VmService progress events', () => {
  let dir = '';
  let service: VmService | undefined;
  afterEach(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('report the phases of take, revert, delete, export and import', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vmlab-progress-'));
    service = await VmService.open(dir, () => inProcessLink());
    const events: OperationProgress[] = [];
    service.onEvent((event, payload) => {
      if (event === 'operation.progress') events.push(payload as OperationProgress);
    });
    const of = (operation: OperationProgress['operation']) =>
      brief(events.filter((e) => e.operation === operation));

    const vm = await service.request('vm.create', { name: 'Progress', source: 'jmp $\n' });
    await service.request('run.step', { vmId: vm.id, count: 10 });
    const first = await service.request('snapshot.take', { vmId: vm.id, name: 'one' });
    await service.request('run.step', { vmId: vm.id, count: 10 });
    await service.request('snapshot.take', { vmId: vm.id, name: 'two' });
    expect(of('snapshot.take')).toEqual([
      ...['capture 0/4', 'read 1/4', 'encode 2/4', 'write 3/4', 'done 4/4'],
      ...['capture 0/4', 'read 1/4', 'encode 2/4', 'write 3/4', 'done 4/4'],
    ]);
    expect(events.every((e) => e.vmId === vm.id)).toBe(true);

    await service.request('snapshot.revert', { vmId: vm.id, snapshotId: first.id });
    expect(of('snapshot.revert')).toEqual(['read 0/2', 'load 1/2', 'done 2/2']);

    await service.request('snapshot.delete', { vmId: vm.id, snapshotId: first.id });
    expect(of('snapshot.delete')).toEqual(['read 0/3', 'rewrite 1/3 1/1', 'write 2/3', 'done 3/3']);

    const { file } = await service.exportVm(vm.id);
    const exported = of('vm.export');
    // main.asm, vm.json, and in snapshots/ one snapshot file and tree.json: four files.
    expect(exported[0]).toBe('pack 0/5 1/4');
    expect(exported.slice(-2)).toEqual(['encode 4/5', 'done 5/5']);

    await service.importVm(file);
    const imported = events.filter((e) => e.operation === 'vm.import');
    expect(imported.every((e) => e.vmId === null)).toBe(true);
    expect(brief(imported)[0]).toBe('decode 0/2');
    expect(brief(imported).at(-1)).toBe('done 5/5');
  });
});
