import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * pdf.js fetches a few data files at run time: Adobe CMaps (Chinese PDFs whose fonts are not embedded),
 * the standard 14 fonts, and the JS decoders for JBIG2/JPEG 2000 scans (we do not run its WebAssembly:
 * the CSP has no 'wasm-unsafe-eval'). They are copied from `pdfjs-dist` into the renderer bundle under
 * `pdfjs/`, same origin as the page, so nothing is fetched from elsewhere. The dev server serves them too.
 */
const WANTED: Record<string, RegExp> = {
  cmaps: /^(.+\.bcmap|LICENSE)$/,
  standard_fonts: /^(.+\.(pfb|ttf)|LICENSE_.+)$/,
  wasm: /^(.+_nowasm_fallback\.js|LICENSE_.+)$/,
};

export const PDFJS_ASSETS = 'pdfjs';

function assets(pdfjsDir: string): { fileName: string; path: string }[] {
  return Object.entries(WANTED).flatMap(([dir, wanted]) =>
    readdirSync(join(pdfjsDir, dir))
      .filter((f) => wanted.test(f))
      .map((f) => ({ fileName: `${PDFJS_ASSETS}/${dir}/${f}`, path: join(pdfjsDir, dir, f) })),
  );
}

export function pdfjsAssets(pdfjsDir: string): Plugin {
  return {
    name: 'loankeeper-pdfjs-assets',
    configureServer(server) {
      server.middlewares.use(`/${PDFJS_ASSETS}/`, (req, res, next) => {
        const [dir, file, ...rest] = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\//, '').split('/');
        if (rest.length > 0 || !dir || !file || !WANTED[dir]?.test(file) || !existsSync(join(pdfjsDir, dir, file))) return next();
        res.setHeader('Content-Type', file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream');
        res.end(readFileSync(join(pdfjsDir, dir, file)));
      });
    },
    generateBundle() {
      for (const a of assets(pdfjsDir)) this.emitFile({ type: 'asset', fileName: a.fileName, source: readFileSync(a.path) });
    },
  };
}
