// Long operations under way (snapshot take, revert and delete, VM export and import), from the
// service's 'operation.progress' events, for the progress bars of the panels.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { OperationProgress, ProgressOperation, ProgressPhase } from '../../../shared/api';
import { apiClient } from './client';

const OPERATION_LABELS: Record<ProgressOperation, string> = {
  'snapshot.take': 'Taking snapshot',
  'snapshot.revert': 'Reverting',
  'snapshot.delete': 'Deleting snapshot',
  'vm.export': 'Exporting',
  'vm.import': 'Importing',
};

const PHASE_LABELS: Record<ProgressPhase, string> = {
  capture: 'capturing state',
  read: 'reading files',
  decode: 'decoding',
  encode: 'encoding memory',
  rewrite: 'rewriting child',
  load: 'loading state',
  pack: 'packing file',
  unpack: 'unpacking file',
  write: 'writing',
  done: 'done',
};

/** "Deleting snapshot: rewriting child 2 of 5", for the bar's caption. */
export function progressLabel(p: OperationProgress): string {
  const item = p.item ? ` ${p.item.index} of ${p.item.count}` : '';
  return `${OPERATION_LABELS[p.operation]}: ${PHASE_LABELS[p.phase]}${item}`;
}

/** How far the whole operation is, 0 to 1. */
export function progressFraction(p: OperationProgress): number {
  return p.total > 0 ? Math.min(1, p.done / p.total) : 0;
}

const SNAPSHOT_OPERATIONS: readonly ProgressOperation[] = [
  'snapshot.take',
  'snapshot.revert',
  'snapshot.delete',
];

const keyOf = (vmId: string | null, operation: ProgressOperation) => `${vmId ?? ''}|${operation}`;

export const useProgressStore = defineStore('progress', () => {
  /** The latest event of each operation under way, by VM and operation. */
  const running = ref<Record<string, OperationProgress>>({});

  apiClient().on('operation.progress', (p) => {
    const key = keyOf(p.vmId, p.operation);
    if (p.phase === 'done') delete running.value[key];
    else running.value[key] = p;
  });

  function find(vmId: string | null, operations: readonly ProgressOperation[]) {
    for (const op of operations) {
      const p = running.value[keyOf(vmId, op)];
      if (p) return p;
    }
    return null;
  }

  /** The snapshot operation under way on a VM, if any. */
  function snapshot(vmId: string): OperationProgress | null {
    return find(vmId, SNAPSHOT_OPERATIONS);
  }

  /** The export of a VM, or (vmId null) an import, under way. */
  function archive(vmId: string | null): OperationProgress | null {
    return find(vmId, vmId === null ? ['vm.import'] : ['vm.export']);
  }

  /** The export of any VM under way (the user may have selected another since). */
  function anyExport(): OperationProgress | null {
    return Object.values(running.value).find((p) => p.operation === 'vm.export') ?? null;
  }

  /** Forgets an operation whose request ended (its 'done' event may have been missed). */
  function end(vmId: string | null, operation: ProgressOperation): void {
    delete running.value[keyOf(vmId, operation)];
  }

  return { running, snapshot, archive, anyExport, end };
});
