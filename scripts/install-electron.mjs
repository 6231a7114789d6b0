// postinstall: fetch the Electron runtime with electron's own installer. npm is told not to
// run that script (package.json allowScripts) because a failed download would roll back the
// whole install; here a failure costs one line and the app falls back to web mode.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

if (!electronBinary() && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1') {
  const require = createRequire(import.meta.url);
  const installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
  const result = spawnSync(process.execPath, [installer], { stdio: 'pipe', timeout: 300_000 });
  if (result.status !== 0 || !electronBinary()) {
    console.log(
      'vmlab: the Electron runtime could not be downloaded; `npm start` will use web mode instead.',
    );
  }
}
