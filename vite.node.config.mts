import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// Headless entries (CLI, test bridge, bench) for plain Node; never packaged into the app.
export default defineConfig({
  build: {
    ssr: true,
    target: 'node22',
    outDir: 'out/cli',
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      input: { cli: 'src/main/cli.ts', web: 'src/main/web.ts', bench: 'src/main/bench.ts', benchClient: 'src/main/bench/branchClient.ts', batchWorker: 'src/main/jobs/batchWorker.ts', pdfWorker: 'src/main/pdf/pdfWorker.ts' },
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies), 'pdfkit'],
      output: { format: 'es', entryFileNames: '[name].mjs' },
    },
  },
});
