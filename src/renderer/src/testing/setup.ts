// Per-test wiring: a fresh Pinia and a fresh fake client installed for the stores.

import { createPinia, setActivePinia } from 'pinia';
import type { VmInfo } from '../../../shared/api';
import { setApiClient } from '../stores/client';
import { FakeApiClient } from './fake-client';

/** Installs a new FakeApiClient (seeded with `vms`) and a new active Pinia. */
export function useFakeApi(vms: VmInfo[] = []): FakeApiClient {
  const client = new FakeApiClient(vms);
  setApiClient(client);
  setActivePinia(createPinia());
  return client;
}

/** Lets pending promise callbacks (the fake's answers) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
