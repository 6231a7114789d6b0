// The preload bridge: one function per API method on window.vmlab, never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import {
  API_EVENTS,
  API_METHODS,
  type ApiEventName,
  IPC_EVENT_CHANNEL,
  IPC_EXPORT_CHANNEL,
  IPC_IMPORT_CHANNEL,
  ipcChannel,
  type PreloadApi,
} from '../shared/api';

const methods = Object.fromEntries(
  API_METHODS.map((method) => [
    method,
    (params: unknown) => ipcRenderer.invoke(ipcChannel(method), params),
  ]),
);

const api = {
  ...methods,
  exportVmFile: (id: string) => ipcRenderer.invoke(IPC_EXPORT_CHANNEL, id),
  importVmFile: () => ipcRenderer.invoke(IPC_IMPORT_CHANNEL),
  onEvent(handler: (event: ApiEventName, payload: unknown) => void) {
    const listener = (_e: unknown, event: ApiEventName, payload: unknown) => {
      if ((API_EVENTS as readonly string[]).includes(event)) handler(event, payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener);
    };
  },
} as PreloadApi;

contextBridge.exposeInMainWorld('vmlab', api);
