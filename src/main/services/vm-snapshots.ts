// The snapshot half of the service API: take, list, revert, rename and delete, on the
// VM's snapshot tree (snapshot-store.ts) and its engine host (save-state, load-snapshot).
import { type MachineState, readTextScreen } from '../../engine';
import {
  ApiError,
  type ApiEventName,
  type ApiEvents,
  type ApiParams,
  type ApiResult,
  type RunStatus,
} from '../../shared/api';
import type { EngineSession } from './engine-session';
import { withProgress } from './progress';
import { SnapshotStore } from './snapshot-store';
import type { VmLibrary } from './vm-library';

type SnapshotMethod =
  | 'snapshot.list'
  | 'snapshot.take'
  | 'snapshot.revert'
  | 'snapshot.rename'
  | 'snapshot.delete';

export type SnapshotHandlers = {
  [M in SnapshotMethod]: (params: ApiParams<M>) => Promise<ApiResult<M>>;
};

/** What the snapshot operations need from VmService. */
export interface SnapshotHost {
  library: VmLibrary;
  emit: <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;
  /** The VM's engine host, if it has one. */
  session(vmId: string): EngineSession | undefined;
  /** A fresh engine host for a stopped VM (technique checked), with nothing loaded. */
  newSession(vmId: string): Promise<EngineSession>;
}

/** The snapshot request handlers, and the hook VmService calls when a VM boots afresh. */
export interface SnapshotOps {
  handlers: SnapshotHandlers;
  /** A fresh boot (start or reset from source) is no snapshot's continuation any more. */
  leavePosition(vmId: string): Promise<void>;
}

export function snapshotOps(host: SnapshotHost): SnapshotOps {
  const stores = new Map<string, Promise<SnapshotStore>>();
  const store = (vmId: string): Promise<SnapshotStore> => {
    host.library.get(vmId);
    let s = stores.get(vmId);
    if (!s) {
      s = new SnapshotStore(host.library.folder(vmId)).open();
      stores.set(vmId, s);
      s.catch(() => stores.delete(vmId));
    }
    return s;
  };
  const progress = (p: ApiEvents['operation.progress']) => host.emit('operation.progress', p);
  const changed = async (vmId: string) => {
    host.emit('snapshot.changed', { vmId, tree: (await store(vmId)).list() });
  };

  const leavePosition = async (vmId: string) => {
    const snaps = await store(vmId);
    if (snaps.list().current === null) return;
    await snaps.setCurrent(null);
    await changed(vmId);
  };

  const handlers: SnapshotHandlers = {
    'snapshot.list': async ({ vmId }) => (await store(vmId)).list(),

    // Steps: capture, then the store's read, encode and write.
    'snapshot.take': async ({ vmId, name, description }) => {
      const snaps = await store(vmId);
      const session = host.session(vmId);
      if (!session) throw new ApiError('invalid-state', 'start the VM to take a snapshot of it');
      const node = await withProgress(progress, vmId, 'snapshot.take', 4, async (step) => {
        await step('capture');
        // The host captures between slices: the VM pauses only for the copy.
        const ack = await session.request({ type: 'save-state' });
        const state = ack.state as MachineState;
        const meta = {
          name,
          ...(description !== undefined ? { description } : {}),
          screen: readTextScreen(state.memory),
        };
        return snaps.take(state, meta, step);
      });
      await changed(vmId);
      return node;
    },

    // Steps: read the files, then load (the engine host verifies and decodes them straight
    // into its machine's memory: no copy of guest memory on this side).
    'snapshot.revert': async ({ vmId, snapshotId }): Promise<RunStatus> => {
      const snaps = await store(vmId);
      snaps.get(snapshotId);
      const status = await withProgress(progress, vmId, 'snapshot.revert', 2, async (step) => {
        await step('read');
        const files = await snaps.chainFiles(snapshotId);
        await step('load');
        const session = host.session(vmId) ?? (await host.newSession(vmId));
        return session.command({ type: 'load-snapshot', vmId, files });
      });
      await snaps.setCurrent(snapshotId);
      await changed(vmId);
      return status;
    },

    'snapshot.rename': async ({ vmId, snapshotId, name, description }) => {
      const node = await (await store(vmId)).rename(snapshotId, name, description);
      await changed(vmId);
      return node;
    },

    // Steps: read, rewrite (one per child), write.
    'snapshot.delete': async ({ vmId, snapshotId }) => {
      const snaps = await store(vmId);
      snaps.get(snapshotId);
      await withProgress(progress, vmId, 'snapshot.delete', 3, (step) =>
        snaps.delete(snapshotId, step),
      );
      await changed(vmId);
      return null;
    },
  };
  return { handlers, leavePosition };
}
