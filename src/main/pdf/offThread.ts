import { Worker } from 'node:worker_threads';
import { docFor, type PdfJob } from './pdfJobs';
import { renderPdf } from './render';

/**
 * Renders PDF jobs (pdfJobs.ts) on the PDF worker thread when the built app says where its bundle is
 * (`usePdfWorker`), else on this thread (the tests on the sources). One worker, started on first use and stopped
 * after a few idle minutes with the fonts it holds; jobs run in the order given.
 */
let workerFile: string | null = null;
let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, { ok: (b: Buffer) => void; fail: (e: Error) => void }>();
let idleTimer: ReturnType<typeof setTimeout> | null = null;
const IDLE_MS = 3 * 60_000;

export function usePdfWorker(file: string | null): void {
  if (file === workerFile) return;
  workerFile = file;
  const w = worker;
  if (w) {
    stop(w, new Error('the PDF worker was replaced'));
    void w.terminate();
  }
}

function stop(w: Worker, e: Error): void {
  if (worker !== w) return;
  worker = null;
  for (const p of waiting.values()) p.fail(e);
  waiting.clear();
}

function started(file: string): Worker {
  if (worker) return worker;
  const w = new Worker(file);
  w.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
    const p = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined || !m.bytes) p?.fail(new Error(m.error ?? 'no PDF'));
    else p?.ok(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    if (waiting.size === 0) idle(w);
  });
  w.on('error', (e) => stop(w, e));
  w.on('exit', () => stop(w, new Error('the PDF worker stopped')));
  worker = w;
  return w;
}

/** Nothing pending: the process may exit without waiting for the worker, which stops itself after a while. */
function idle(w: Worker): void {
  w.unref();
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (worker === w && waiting.size === 0) {
      worker = null;
      void w.terminate();
    }
  }, IDLE_MS);
  idleTimer.unref();
}

/** The PDF bytes of one job. */
export function renderJob(resourcesDir: string, job: PdfJob): Promise<Buffer> {
  if (!workerFile) return renderPdf(resourcesDir, docFor(job));
  let w: Worker;
  try {
    w = started(workerFile);
  } catch {
    return renderPdf(resourcesDir, docFor(job)); // no thread could start: render here rather than fail
  }
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  w.ref();
  const id = next++;
  return new Promise((ok, fail) => {
    waiting.set(id, { ok, fail });
    w.postMessage({ id, resourcesDir, job });
  });
}
