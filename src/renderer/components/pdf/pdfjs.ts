import { getDocument, GlobalWorkerOptions, VerbosityLevel, type PDFDocumentLoadingTask } from 'pdfjs-dist';
// Bundled by Vite as a same-origin module worker (a .js file, allowed by script-src 'self').
import PdfWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?worker';

export type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist';
export { PasswordException, TextLayer } from 'pdfjs-dist';

// One worker for every viewer in the window; pdf.js keeps it alive between documents.
if (!GlobalWorkerOptions.workerPort) GlobalWorkerOptions.workerPort = new PdfWorker();

/** The data files copied into the bundle by vite.pdfjs.ts, as absolute URLs (the worker fetches them). */
const asset = (dir: string) => new URL(`pdfjs/${dir}/`, document.baseURI).href;

/** Opens PDF bytes (the array is handed over to the worker: pass a copy you no longer need). */
export function loadPdf(data: Uint8Array): PDFDocumentLoadingTask {
  return getDocument({
    data,
    cMapUrl: asset('cmaps'),
    standardFontDataUrl: asset('standard_fonts'),
    wasmUrl: asset('wasm'),
    // No WebAssembly: the CSP has no 'wasm-unsafe-eval'. pdf.js falls back to its JS decoders.
    useWasm: false,
    // Links and forms are not shown; scripts in a PDF are never run.
    enableXfa: false,
    verbosity: VerbosityLevel.ERRORS,
  });
}
