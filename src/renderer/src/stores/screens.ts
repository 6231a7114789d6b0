// The VGA text screen per VM (from 'screen.update' events) and key presses for its 8042.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError, type KeyInput } from '../../../shared/api';
import { decodeFrame, type TextFrame } from '../vga/text-frame';
import { apiClient } from './client';
import { useNoticesStore } from './notices';

/** Most key events one request carries (the service's limit). */
const MAX_BATCH = 64;

export const useScreensStore = defineStore('screens', () => {
  const notices = useNoticesStore();
  // Frames stay plain objects outside Vue; only a counter per VM is reactive.
  const frames = new Map<string, TextFrame>();
  const versions = ref<Record<string, number>>({});
  const queues = new Map<string, KeyInput[]>();
  const sending = new Set<string>();

  function store(vmId: string, frame: TextFrame): void {
    frames.set(vmId, frame);
    versions.value[vmId] = (versions.value[vmId] ?? 0) + 1;
  }

  apiClient().on('screen.update', ({ vmId, frame }) => store(vmId, decodeFrame(frame)));

  /** The latest frame of a VM, or null before it has shown one. */
  function frame(vmId: string): TextFrame | null {
    return frames.get(vmId) ?? null;
  }

  /** Reactive change counter of one VM's screen: watch this, then read frame(). */
  function version(vmId: string): number {
    return versions.value[vmId] ?? 0;
  }

  /** Fetches the screen the service last saw (after a reload, or for a VM not drawing now). */
  async function load(vmId: string): Promise<void> {
    try {
      const frame = await apiClient().request('screen.get', { vmId });
      if (frame && !frames.has(vmId)) store(vmId, decodeFrame(frame));
    } catch (err) {
      notices.report(err, 'Screen');
    }
  }

  /**
   * Queues a key press or release for the VM's keyboard; keys go out in order, those that
   * arrive while a request is under way together in the next one. Keys typed at a VM that
   * is not running are dropped quietly.
   */
  function sendKey(vmId: string, key: KeyInput): void {
    const queue = queues.get(vmId) ?? [];
    queue.push(key);
    queues.set(vmId, queue);
    void drain(vmId);
  }

  async function drain(vmId: string): Promise<void> {
    if (sending.has(vmId)) return;
    sending.add(vmId);
    try {
      for (let queue = queues.get(vmId); queue && queue.length > 0; queue = queues.get(vmId)) {
        const keys = queue.splice(0, MAX_BATCH);
        try {
          await apiClient().request('keyboard.input', { vmId, keys });
        } catch (err) {
          if (err instanceof ApiError && err.code === 'invalid-state') {
            queue.length = 0;
            break;
          }
          notices.report(err, 'Keyboard');
        }
      }
    } finally {
      sending.delete(vmId);
    }
  }

  /** Drops a deleted VM's screen. */
  function forget(vmId: string): void {
    frames.delete(vmId);
    queues.delete(vmId);
    delete versions.value[vmId];
  }

  return { versions, frame, version, load, sendKey, forget };
});
