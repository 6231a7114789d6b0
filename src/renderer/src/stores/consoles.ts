// Guest console output per VM (COM1 and the 0xE9 debug port) and keyboard input to COM1.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { apiClient } from './client';
import { ConsoleBuffer } from './console-buffer';
import { useNoticesStore } from './notices';

export const useConsolesStore = defineStore('consoles', () => {
  const notices = useNoticesStore();
  // The text lives in plain objects outside Vue; only a small counter per VM is reactive.
  const buffers = new Map<string, ConsoleBuffer>();
  const versions = ref<Record<string, number>>({});

  function bump(vmId: string): void {
    versions.value[vmId] = (versions.value[vmId] ?? 0) + 1;
  }

  /** The buffer of one VM, created on first use. */
  function buffer(vmId: string): ConsoleBuffer {
    let b = buffers.get(vmId);
    if (!b) {
      b = new ConsoleBuffer();
      buffers.set(vmId, b);
    }
    return b;
  }

  /** Reactive change counter of one VM's console: watch this, then read the buffer. */
  function version(vmId: string): number {
    return versions.value[vmId] ?? 0;
  }

  apiClient().on('console.output', ({ vmId, port, data }) => {
    buffer(vmId).append(port, data);
    bump(vmId);
  });

  function clear(vmId: string): void {
    buffer(vmId).clear();
    bump(vmId);
  }

  /**
   * Writes a line of the UI's own into a VM's console (a divider after a revert), on a line
   * of its own and shown in every view; `screen` is what the VGA text screen showed at that
   * moment, replayed into the screen view so it continues from there.
   */
  function note(vmId: string, text: string, screen?: readonly string[]): void {
    const b = buffer(vmId);
    b.append('note', `\r\n\x1b[90m${text}\x1b[0m\r\n`);
    const rows = [...(screen ?? [])];
    while (rows.length > 0 && !rows[rows.length - 1]?.trim()) rows.pop();
    if (rows.length > 0) b.append('screen', rows.join('\r\n'));
    bump(vmId);
  }

  /** Sends typed keys to the VM's COM1 UART (CR as typed). */
  async function sendInput(vmId: string, data: string): Promise<void> {
    if (!data) return;
    try {
      await apiClient().request('console.input', { vmId, data });
    } catch (err) {
      notices.report(err, 'Console input');
    }
  }

  /** Drops a deleted VM's output. */
  function forget(vmId: string): void {
    buffers.delete(vmId);
    delete versions.value[vmId];
  }

  return { versions, buffer, version, clear, note, sendInput, forget };
});
