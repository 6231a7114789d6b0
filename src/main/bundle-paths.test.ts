import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundlePaths } from './bundle-paths';

describe('bundle paths', () => {
  it('places the worker beside the entry, the renderer and preload beside out/main', () => {
    const paths = bundlePaths('file:///app/out/main/cli.js');
    expect(paths.engineWorker.href).toBe('file:///app/out/main/engine-worker.js');
    expect(paths.rendererDir).toBe('/app/out/renderer/');
    expect(paths.preload).toBe('/app/out/preload/index.cjs');
  });

  it.runIf(existsSync('out/main/cli.js'))('matches what the build writes', () => {
    const paths = bundlePaths(pathToFileURL('out/main/cli.js').href);
    expect(existsSync(paths.engineWorker)).toBe(true);
    expect(existsSync(`${paths.rendererDir}index.html`)).toBe(true);
    expect(existsSync(paths.preload)).toBe(true);
  });
});
