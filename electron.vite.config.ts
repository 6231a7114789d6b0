import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

// Main-process side: the Electron entry, the plain-Node CLI (web mode, headless runs)
// and the engine worker are separate entries so the CLI never loads Electron.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli/main.ts'),
          'engine-worker': resolve('src/main/engine-host/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [vue()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      chunkSizeWarningLimit: 8000,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
