// Picks the transport: Electron's preload bridge when present, else the web-mode WebSocket.

import type { PreloadApi } from '../../../shared/api';
import type { RendererApiClient } from './connection';
import { PreloadClient } from './preload-client';
import { defaultSocketUrl, WebSocketClient } from './ws-client';

export type { ConnectionAware, RendererApiClient } from './connection';
export { PreloadClient } from './preload-client';
export { WebSocketClient } from './ws-client';

/** Creates the client for this page: `window.vmlab` in Electron, `ws(s)://<host>/api` otherwise. */
export function createApiClient(
  win: { vmlab?: PreloadApi; location: Pick<Location, 'protocol' | 'host'> } = window,
): RendererApiClient {
  if (win.vmlab) return new PreloadClient(win.vmlab);
  return new WebSocketClient({ url: defaultSocketUrl(win.location) });
}
