import { parentPort } from 'node:worker_threads';
import { docFor, type PdfJob } from './pdfJobs';
import { renderPdf } from './render';

// The PDF worker thread (its own bundle entry): lays out and renders documents given as data, one at a time, so
// that a long run of them (an archive export's cards and ledgers) leaves the main thread free. Its fonts stay
// parsed between documents as on the main thread (render.ts).
const port = parentPort;
if (!port) throw new Error('the PDF worker runs as a worker thread');
port.on('message', (m: { id: number; resourcesDir: string; job: PdfJob }) => {
  renderPdf(m.resourcesDir, docFor(m.job)).then(
    (bytes) => port.postMessage({ id: m.id, bytes }),
    (e: unknown) => port.postMessage({ id: m.id, error: String((e as Error)?.message ?? e) }),
  );
});
