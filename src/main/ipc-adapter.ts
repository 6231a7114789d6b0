// The Electron adapter of the service API: one ipcMain handler per method channel,
// events broadcast to every window. Same validation path as web mode (VmService.handle).
import { readFile, writeFile } from 'node:fs/promises';
import type { IpcMain, WebContents } from 'electron';
import {
  API_METHODS,
  ApiError,
  IPC_EVENT_CHANNEL,
  IPC_EXPORT_CHANNEL,
  IPC_IMPORT_CHANNEL,
  ipcChannel,
} from '../shared/api';
import type { VmService } from './services/vm-service';

/** The file dialogs the archive channels need (Electron's dialog module, or a test double). */
export interface FileDialogs {
  chooseSavePath(defaultName: string): Promise<string | undefined>;
  chooseOpenPath(): Promise<string | undefined>;
}

/** Runs `work` and answers in the { ok, result } / { ok, error } shape, never throwing. */
async function outcome(work: () => Promise<unknown>) {
  try {
    return { ok: true, result: (await work()) ?? null };
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError('internal', String(err));
    return { ok: false, error: error.toBody() };
  }
}

export function registerIpc(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  service: VmService,
  targets: () => WebContents[],
  dialogs?: FileDialogs,
): () => void {
  for (const method of API_METHODS) {
    ipc.handle(ipcChannel(method), (_event, params: unknown) =>
      outcome(() => service.handle(method, params)),
    );
  }
  ipc.handle(IPC_EXPORT_CHANNEL, (_event, id: unknown) =>
    outcome(async () => {
      const { name, file } = await service.exportVm(id);
      const path = await dialogs?.chooseSavePath(`${name}.vmlab`);
      if (!path) return null;
      await writeFile(path, file);
      return { path };
    }),
  );
  ipc.handle(IPC_IMPORT_CHANNEL, () =>
    outcome(async () => {
      const path = await dialogs?.chooseOpenPath();
      if (!path) return null;
      return service.importVm(new Uint8Array(await readFile(path)));
    }),
  );
  const unsubscribe = service.onEvent((event, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const method of API_METHODS) ipc.removeHandler(ipcChannel(method));
    ipc.removeHandler(IPC_EXPORT_CHANNEL);
    ipc.removeHandler(IPC_IMPORT_CHANNEL);
  };
}
