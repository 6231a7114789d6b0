// What the renderer adds to the ApiClient contract: knowing whether the transport is up.

import type { ApiClient } from '../../../shared/api';

/** A transport that can drop and come back (the web-mode WebSocket). */
export interface ConnectionAware {
  isConnected(): boolean;
  /** Called with true on every (re)connect and false on every loss; returns unsubscribe. */
  onConnectionChange(handler: (connected: boolean) => void): () => void;
}

/** The client the stores hold: the contract, plus connection state when the transport has it. */
export type RendererApiClient = ApiClient & Partial<ConnectionAware>;
