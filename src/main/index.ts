// Electron's main process: app and window lifecycle only; the service does the work.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { VM_ARCHIVE_EXTENSION } from '../shared/api';
import { bundlePaths } from './bundle-paths';
import { workerLink } from './engine-host/links';
import { registerIpc } from './ipc-adapter';
import { resolveDataDir } from './services/data-dir';
import { VmService } from './services/vm-service';
import { createMainWindow } from './window';

function dataDirFlag(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (i < 0) return undefined;
  const arg = argv[i]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
}

const paths = bundlePaths(import.meta.url);

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = resolveDataDir(dataDirFlag(process.argv), process.env, () =>
    app.getPath('userData'),
  );
  const service = await VmService.open(dataDir, () => workerLink(paths.engineWorker));
  const filters = [{ name: 'vmlab VM', extensions: [VM_ARCHIVE_EXTENSION] }];
  const unregister = registerIpc(
    ipcMain,
    service,
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    {
      chooseSavePath: async (defaultPath) =>
        (await dialog.showSaveDialog({ defaultPath, filters })).filePath || undefined,
      chooseOpenPath: async () =>
        (await dialog.showOpenDialog({ properties: ['openFile'], filters })).filePaths[0],
    },
  );
  createMainWindow(paths);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(paths);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    unregister();
    void service.close();
  });
}

// No remote content and no webviews anywhere in the app.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

start().catch((err: Error) => {
  console.error(`vmlab: ${err.stack ?? err.message}`);
  app.exit(1);
});
