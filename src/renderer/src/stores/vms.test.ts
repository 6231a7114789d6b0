import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import { setVmFiles } from './client';
import { useNoticesStore } from './notices';
import { useVmsStore } from './vms';

describe('vms store', () => {
  it('loads the list sorted by name and selects the first VM', async () => {
    useFakeApi([makeVm('b', 'zeta'), makeVm('a', 'alpha')]);
    const vms = useVmsStore();
    await vms.refresh();
    expect(vms.list.map((v) => v.name)).toEqual(['alpha', 'zeta']);
    expect(vms.selectedId).toBe('a');
    expect(vms.selected?.name).toBe('alpha');
    expect(vms.loaded).toBe(true);
  });

  it('creates a VM with the trimmed name and technique, and selects it', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const vms = useVmsStore();
    await vms.refresh();
    const vm = await vms.create('  boot  ', 'native');
    expect(client.paramsOf('vm.create')).toEqual([{ name: 'boot', technique: 'native' }]);
    expect(vm?.name).toBe('boot');
    expect(vms.list.map((v) => v.name)).toEqual(['alpha', 'boot']);
    expect(vms.selectedId).toBe(vm?.id);
  });

  it('renames a VM in place', async () => {
    const client = useFakeApi([makeVm('a', 'alpha'), makeVm('b', 'beta')]);
    const vms = useVmsStore();
    await vms.refresh();
    await vms.rename('b', 'gamma');
    expect(client.paramsOf('vm.update')).toEqual([{ id: 'b', name: 'gamma' }]);
    expect(vms.list.map((v) => v.name)).toEqual(['alpha', 'gamma']);
    expect(vms.list).toHaveLength(2);
  });

  it('clones a VM and selects the clone', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const vms = useVmsStore();
    await vms.refresh();
    const clone = await vms.clone('a');
    expect(client.paramsOf('vm.clone')).toEqual([{ id: 'a' }]);
    expect(vms.list.map((v) => v.name)).toEqual(['alpha', 'alpha copy']);
    expect(vms.selectedId).toBe(clone?.id);
  });

  it('deletes a VM and moves the selection to a remaining one', async () => {
    const client = useFakeApi([makeVm('a', 'alpha'), makeVm('b', 'beta')]);
    const vms = useVmsStore();
    await vms.refresh();
    vms.select('a');
    expect(await vms.remove('a')).toBe(true);
    expect(client.paramsOf('vm.delete')).toEqual([{ id: 'a' }]);
    expect(vms.list.map((v) => v.id)).toEqual(['b']);
    expect(vms.selectedId).toBe('b');
    await vms.remove('b');
    expect(vms.selectedId).toBeNull();
  });

  it("replaces the list on 'vm.changed' and keeps a still-present selection", async () => {
    const client = useFakeApi([makeVm('a', 'alpha'), makeVm('b', 'beta')]);
    const vms = useVmsStore();
    await vms.refresh();
    vms.select('b');
    client.emit('vm.changed', { vms: [makeVm('b', 'beta'), makeVm('c', 'cee')] });
    expect(vms.list.map((v) => v.id)).toEqual(['b', 'c']);
    expect(vms.selectedId).toBe('b');
    client.emit('vm.changed', { vms: [makeVm('c', 'cee')] });
    expect(vms.selectedId).toBe('c');
  });

  it('shows a failed operation as a notice and leaves the list alone', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const vms = useVmsStore();
    await vms.refresh();
    client.fail('vm.create', new ApiError('conflict', 'A VM named alpha exists'));
    expect(await vms.create('alpha')).toBeUndefined();
    expect(vms.list).toHaveLength(1);
    expect(vms.busy).toBe(false);
    const notices = useNoticesStore();
    expect(notices.notices.map((n) => n.message)).toEqual(['Create VM: A VM named alpha exists']);
  });
});

describe('vms store: files', () => {
  it('imports a VM from a file, adds it and selects it; a cancel changes nothing', async () => {
    useFakeApi([makeVm('a', 'alpha')]);
    const imported = makeVm('b', 'beta');
    let next: typeof imported | null = imported;
    const exported: string[] = [];
    setVmFiles({
      picksOwnFile: false,
      exportVm: async (id) => {
        exported.push(id);
      },
      importVm: async () => next,
    });
    const vms = useVmsStore();
    await vms.refresh();
    await vms.exportVm('a');
    expect(exported).toEqual(['a']);
    expect(await vms.importVm(new Blob(['x']))).toEqual(imported);
    expect(vms.selectedId).toBe('b');
    next = null;
    expect(await vms.importVm()).toBeUndefined();
    expect(vms.list).toHaveLength(2);
    setVmFiles(null);
  });

  it('reports a refused import as a notice', async () => {
    useFakeApi([]);
    setVmFiles({
      picksOwnFile: true,
      exportVm: async () => {},
      importVm: async () => {
        throw new ApiError('bad-request', 'the archive is corrupt');
      },
    });
    const vms = useVmsStore();
    expect(await vms.importVm()).toBeUndefined();
    expect(
      useNoticesStore()
        .notices.map((n) => n.message)
        .join(),
    ).toContain('the archive is corrupt');
    setVmFiles(null);
  });
});
