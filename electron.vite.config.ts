import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { PRELOAD_BUNDLE } from './src/main/shell/bundle';
import { CHANNELS } from './src/shared/ipc/channels';
import { pdfjsAssets } from './vite.pdfjs';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The daily batch's and the PDFs' worker threads are entries of their own (out/main/batchWorker.js,
      // pdfWorker.js), loaded by index.js.
      lib: { entry: { index: 'src/main/index.ts', batchWorker: 'src/main/jobs/batchWorker.ts', pdfWorker: 'src/main/pdf/pdfWorker.ts' } },
    },
  },
  preload: {
    // The channel allow-list as plain strings: a sandboxed preload cannot require zod or the contract.
    define: { __LK_CHANNELS__: JSON.stringify(CHANNELS) },
    build: {
      outDir: 'out/preload',
      lib: { entry: 'src/main/preload.ts', formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: PRELOAD_BUNDLE } },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react(), pdfjsAssets(resolve(__dirname, 'node_modules/pdfjs-dist'))],
    // pdf.js's worker as an ES module worker (the worker file is bundled as .js, same origin).
    worker: { format: 'es' },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
