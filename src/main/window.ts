// The vmlab window: isolated, sandboxed, no Node, no navigation away, no new windows.
import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import type { BundlePaths } from './bundle-paths';

/** Security settings of every vmlab window (tested, so they cannot drift). */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

export function createMainWindow(paths: BundlePaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 560,
    title: 'vmlab',
    backgroundColor: '#1e1e1e',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: paths.preload },
  });
  win.once('ready-to-show', () => win.show());
  // Nothing remote: links open in the user's browser, the window never navigates away.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(paths.rendererDir, 'index.html'));
  return win;
}
