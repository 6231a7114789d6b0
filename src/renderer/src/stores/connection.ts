// Whether the service is reachable (the web-mode socket can drop; IPC is always up).

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { apiClient } from './client';

export const useConnectionStore = defineStore('connection', () => {
  const client = apiClient();
  const connected = ref(client.isConnected ? client.isConnected() : true);
  /** Bumped on every (re)connect, so the session can reload what may be stale. */
  const connects = ref(0);

  client.onConnectionChange?.((up) => {
    connected.value = up;
    if (up) connects.value++;
  });

  return { connected, connects };
});
