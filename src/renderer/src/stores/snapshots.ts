// Snapshot trees per VM (from 'snapshot.changed' events and list results) and the snapshot
// actions: take, revert, rename and delete (DESIGN.md 2.4).

import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ProgressOperation, SnapshotInfo, SnapshotTreeInfo } from '../../../shared/api';
import { defaultSnapshotName } from '../snapshot-tree';
import { apiClient } from './client';
import { useConsolesStore } from './consoles';
import { useNoticesStore } from './notices';
import { useProgressStore } from './progress';
import { useRunStore } from './run';

export type SnapshotAction = 'load' | 'take' | 'revert' | 'rename' | 'delete';

/** The actions the service reports progress of. */
const PROGRESS_OPERATIONS: Partial<Record<SnapshotAction, ProgressOperation>> = {
  take: 'snapshot.take',
  revert: 'snapshot.revert',
  delete: 'snapshot.delete',
};

const EMPTY: SnapshotTreeInfo = { nodes: [], current: null };

/** The divider written into the console when a VM goes back to a snapshot. */
export const revertDivider = (name: string): string => `— reverted to '${name}' —`;

export const useSnapshotsStore = defineStore('snapshots', () => {
  const notices = useNoticesStore();
  const trees = ref<Record<string, SnapshotTreeInfo>>({});
  /** The request in flight per VM; the panel shows it as busy. */
  const pending = ref<Record<string, SnapshotAction>>({});

  apiClient().on('snapshot.changed', ({ vmId, tree }) => {
    trees.value[vmId] = tree;
  });

  /** A VM's tree; one never loaded is empty. */
  function tree(vmId: string): SnapshotTreeInfo {
    return trees.value[vmId] ?? EMPTY;
  }

  function find(vmId: string, snapshotId: string): SnapshotInfo | undefined {
    return tree(vmId).nodes.find((n) => n.id === snapshotId);
  }

  function busy(vmId: string): SnapshotAction | null {
    return pending.value[vmId] ?? null;
  }

  /** The name Take proposes: "Snapshot N". */
  function nextName(vmId: string): string {
    return defaultSnapshotName(trees.value[vmId]);
  }

  /** Runs one request with the busy flag; a failure becomes a notice and gives undefined. */
  async function perform<T>(
    vmId: string,
    action: SnapshotAction,
    context: string,
    call: () => Promise<T>,
  ): Promise<T | undefined> {
    pending.value[vmId] = action;
    try {
      return await call();
    } catch (err) {
      notices.report(err, context);
      return undefined;
    } finally {
      delete pending.value[vmId];
      // The bar goes with the request, even if the last progress event was lost.
      const operation = PROGRESS_OPERATIONS[action];
      if (operation) useProgressStore().end(vmId, operation);
    }
  }

  async function load(vmId: string): Promise<void> {
    const result = await perform(vmId, 'load', 'Load snapshots', () =>
      apiClient().request('snapshot.list', { vmId }),
    );
    if (result) trees.value[vmId] = result;
  }

  /** Takes a snapshot of a running or paused VM; it becomes the current position. */
  async function take(
    vmId: string,
    name: string,
    description?: string,
  ): Promise<SnapshotInfo | undefined> {
    const trimmed = name.trim() || nextName(vmId);
    const params = description ? { vmId, name: trimmed, description } : { vmId, name: trimmed };
    const node = await perform(vmId, 'take', 'Take snapshot', () =>
      apiClient().request('snapshot.take', params),
    );
    // The event carries the tree too; this keeps the panel right if it comes late.
    if (node) {
      const t = tree(vmId);
      trees.value[vmId] = {
        nodes: [...t.nodes.filter((n) => n.id !== node.id), node],
        current: node.id,
      };
    }
    return node;
  }

  /**
   * Returns the VM to a snapshot: a running VM goes on from there, a stopped one starts from
   * it, paused. The console gets a divider and the screen as it was at that moment.
   */
  async function revert(vmId: string, snapshotId: string): Promise<boolean> {
    const status = await perform(vmId, 'revert', 'Revert to snapshot', () =>
      apiClient().request('snapshot.revert', { vmId, snapshotId }),
    );
    if (!status) return false;
    useRunStore().statuses[vmId] = status;
    const node = find(vmId, snapshotId);
    useConsolesStore().note(vmId, revertDivider(node?.name ?? snapshotId), node?.screen);
    trees.value[vmId] = { ...tree(vmId), current: snapshotId };
    return true;
  }

  async function rename(vmId: string, snapshotId: string, name: string): Promise<boolean> {
    const trimmed = name.trim();
    const node = find(vmId, snapshotId);
    if (!trimmed || trimmed === node?.name) return false;
    const renamed = await perform(vmId, 'rename', 'Rename snapshot', () =>
      apiClient().request('snapshot.rename', { vmId, snapshotId, name: trimmed }),
    );
    if (!renamed) return false;
    const t = tree(vmId);
    trees.value[vmId] = { ...t, nodes: t.nodes.map((n) => (n.id === renamed.id ? renamed : n)) };
    return true;
  }

  /** Deletes a snapshot; the service re-parents its children, and the event brings the tree. */
  async function remove(vmId: string, snapshotId: string): Promise<boolean> {
    const done = await perform(vmId, 'delete', 'Delete snapshot', () =>
      apiClient().request('snapshot.delete', { vmId, snapshotId }),
    );
    if (done === undefined) return false;
    await load(vmId);
    return true;
  }

  /** Drops a deleted VM's tree. */
  function forget(vmId: string): void {
    delete trees.value[vmId];
  }

  return {
    trees,
    pending,
    tree,
    find,
    busy,
    nextName,
    load,
    take,
    revert,
    rename,
    remove,
    forget,
  };
});
