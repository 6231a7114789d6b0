// The VM library: the list, the selected VM, and create/rename/clone/delete through the API.

import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Technique, VmInfo } from '../../../shared/api';
import { apiClient, vmFiles } from './client';
import { useNoticesStore } from './notices';
import { useProgressStore } from './progress';

export const useVmsStore = defineStore('vms', () => {
  const notices = useNoticesStore();
  const list = ref<VmInfo[]>([]);
  const selectedId = ref<string | null>(null);
  const loaded = ref(false);
  const busy = ref(false);

  const selected = computed(() => list.value.find((vm) => vm.id === selectedId.value) ?? null);

  /** Replaces the list and keeps the selection valid (first VM when the selected one is gone). */
  function setList(vms: VmInfo[]): void {
    list.value = [...vms].sort(
      (a, b) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt),
    );
    loaded.value = true;
    if (!list.value.some((vm) => vm.id === selectedId.value)) {
      selectedId.value = list.value[0]?.id ?? null;
    }
  }

  /** Puts one VM into the list (after create, clone or update) without waiting for the event. */
  function upsert(vm: VmInfo): void {
    const others = list.value.filter((v) => v.id !== vm.id);
    setList([...others, vm]);
  }

  apiClient().on('vm.changed', ({ vms }) => setList(vms));

  /** Runs one API operation with busy flag and error reporting; undefined when it failed. */
  async function run<T>(context: string, op: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    try {
      return await op();
    } catch (err) {
      notices.report(err, context);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  async function refresh(): Promise<void> {
    const vms = await run('Load VMs', () => apiClient().request('vm.list', {}));
    if (vms) setList(vms);
  }

  function select(id: string | null): void {
    selectedId.value = id;
  }

  /** Creates a VM and selects it. */
  /** Creates a VM (from a template's source when given; else the service's default). */
  async function create(
    name: string,
    technique: Technique = 'native',
    source?: string,
  ): Promise<VmInfo | undefined> {
    const params = { name: name.trim(), technique, ...(source !== undefined ? { source } : {}) };
    const vm = await run('Create VM', () => apiClient().request('vm.create', params));
    if (vm) {
      upsert(vm);
      selectedId.value = vm.id;
    }
    return vm;
  }

  async function rename(id: string, name: string): Promise<VmInfo | undefined> {
    const vm = await run('Rename VM', () =>
      apiClient().request('vm.update', { id, name: name.trim() }),
    );
    if (vm) upsert(vm);
    return vm;
  }

  /** Clones a VM (the service picks the name unless one is given) and selects the clone. */
  async function clone(id: string, name?: string): Promise<VmInfo | undefined> {
    const params = name ? { id, name: name.trim() } : { id };
    const vm = await run('Clone VM', () => apiClient().request('vm.clone', params));
    if (vm) {
      upsert(vm);
      selectedId.value = vm.id;
    }
    return vm;
  }

  async function remove(id: string): Promise<boolean> {
    const done = await run('Delete VM', () => apiClient().request('vm.delete', { id }));
    if (done === undefined) return false;
    setList(list.value.filter((vm) => vm.id !== id));
    return true;
  }

  /** Saves the VM with its sources and snapshots as one file (a download or a save dialog). */
  async function exportVm(id: string): Promise<void> {
    await run('Export VM', () => vmFiles().exportVm(id));
  }

  /** Adds a VM from a file and selects it; `file` is the page's pick in web mode. */
  async function importVm(file?: Blob): Promise<VmInfo | undefined> {
    const vm = await run('Import VM', () => vmFiles().importVm(file));
    useProgressStore().end(null, 'vm.import');
    if (!vm) return undefined;
    upsert(vm);
    selectedId.value = vm.id;
    return vm;
  }

  return {
    list,
    selectedId,
    selected,
    loaded,
    busy,
    refresh,
    select,
    create,
    rename,
    clone,
    remove,
    exportVm,
    importVm,
  };
});
