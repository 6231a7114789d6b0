// Wires the stores together for a running app: initial load, reload after a reconnect, and
// loading the selected VM's source and run status whenever the selection changes.

import { watch } from 'vue';
import { useConnectionStore } from './stores/connection';
import { useConsolesStore } from './stores/consoles';
import { useEditorStore } from './stores/editor';
import { useRunStore } from './stores/run';
import { useVmsStore } from './stores/vms';

/** Starts the session; returns the function that stops its watchers. */
export function startSession(): () => void {
  const vms = useVmsStore();
  const editor = useEditorStore();
  const run = useRunStore();
  const consoles = useConsolesStore();
  const connection = useConnectionStore();

  const load = () => {
    void vms.refresh();
    if (vms.selectedId) void run.refresh(vms.selectedId);
  };

  const stops = [
    watch(
      () => vms.selectedId,
      (id) => {
        void editor.open(id);
        if (id) void run.refresh(id);
      },
      { immediate: true },
    ),
    watch(() => connection.connects, load),
    // Deleted VMs: drop their console output.
    watch(
      () => vms.list.map((vm) => vm.id),
      (ids, before) => {
        for (const id of before ?? []) if (!ids.includes(id)) consoles.forget(id);
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
