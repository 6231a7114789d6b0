// `npm start`: the Electron app where its binary exists, else web mode in the browser.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const binary = electronBinary();
let child;
if (binary && !process.env.VMLAB_WEB) {
  child = spawn(binary, [root, ...args], { stdio: 'inherit' });
} else {
  console.log(
    'vmlab: no Electron binary on this machine; starting web mode instead (open the URL below).',
  );
  child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../bin/vmlab.mjs', import.meta.url)), 'serve', ...args],
    {
      stdio: 'inherit',
    },
  );
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
