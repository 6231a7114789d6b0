// The Electron adapter of the service API: one ipcMain handler per method channel,
// events broadcast to every window. Same validation path as web mode (VmService.handle).
import type { IpcMain, WebContents } from 'electron';
import { API_METHODS, ApiError, IPC_EVENT_CHANNEL, ipcChannel } from '../shared/api';
import type { VmService } from './services/vm-service';

export function registerIpc(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  service: VmService,
  targets: () => WebContents[],
): () => void {
  for (const method of API_METHODS) {
    ipc.handle(ipcChannel(method), async (_event, params: unknown) => {
      try {
        return { ok: true, result: (await service.handle(method, params)) ?? null };
      } catch (err) {
        const error = err instanceof ApiError ? err : new ApiError('internal', String(err));
        return { ok: false, error: error.toBody() };
      }
    });
  }
  const unsubscribe = service.onEvent((event, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const method of API_METHODS) ipc.removeHandler(ipcChannel(method));
  };
}
