// Wires the stores together for a running app: initial load, reload after a reconnect, and
// loading the selected VM's source, files, run status and snapshots whenever it changes.

import { watch } from 'vue';
import { useConnectionStore } from './stores/connection';
import { useConsolesStore } from './stores/consoles';
import { useEditorStore } from './stores/editor';
import { useFilesStore } from './stores/files';
import { useRunStore } from './stores/run';
import { useScreensStore } from './stores/screens';
import { useSnapshotsStore } from './stores/snapshots';
import { useVmsStore } from './stores/vms';

/** Starts the session; returns the function that stops its watchers. */
export function startSession(): () => void {
  const vms = useVmsStore();
  const editor = useEditorStore();
  const files = useFilesStore();
  const run = useRunStore();
  const consoles = useConsolesStore();
  const snapshots = useSnapshotsStore();
  const screens = useScreensStore();
  const connection = useConnectionStore();

  const load = () => {
    void vms.refresh();
    if (vms.selectedId) {
      void files.load(vms.selectedId);
      void run.refresh(vms.selectedId);
      void snapshots.load(vms.selectedId);
      void screens.load(vms.selectedId);
    }
  };

  const stops = [
    watch(
      () => vms.selectedId,
      (id) => {
        void editor.open(id);
        if (id) {
          void files.load(id);
          void run.refresh(id);
          void snapshots.load(id);
          void screens.load(id);
        }
      },
      { immediate: true },
    ),
    watch(() => connection.connects, load),
    // Deleted VMs: drop their console output, screens, file lists and snapshot trees.
    watch(
      () => vms.list.map((vm) => vm.id),
      (ids, before) => {
        for (const id of before ?? []) {
          if (ids.includes(id)) continue;
          consoles.forget(id);
          screens.forget(id);
          files.forget(id);
          snapshots.forget(id);
        }
      },
    ),
  ];
  // Over a socket that is still connecting, the first connect event does the initial load.
  if (connection.connected) load();

  return () => {
    for (const stop of stops) stop();
    editor.cancelTimers();
  };
}
