// Starts `vmlab serve` on a free port with a fresh library folder, as a user would.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';

export interface ServedVmlab {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function serveVmlab(
  dataDir = mkdtempSync(join(tmpdir(), 'vmlab-e2e-')),
): Promise<ServedVmlab> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/vmlab.mjs', 'serve', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vmlab serve did not start:\n${log}`)), 15_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /web mode: (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`vmlab serve exited with ${code}:\n${log}`)));
  });
  return {
    url,
    dataDir,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * vmlab served for the tests of one spec file: started before the first, stopped and its
 * library folder removed after the last.
 */
export function servedForSuite(): Omit<ServedVmlab, 'stop'> {
  let served: ServedVmlab | undefined;
  const current = () => {
    if (!served) throw new Error('vmlab is served from beforeAll on');
    return served;
  };
  test.beforeAll(async () => {
    served = await serveVmlab();
  });
  test.afterAll(async () => {
    if (!served) return;
    await served.stop();
    removeDataDir(served.dataDir);
  });
  return {
    get url() {
      return current().url;
    },
    get dataDir() {
      return current().dataDir;
    },
  };
}
