import { Worker } from 'node:worker_threads';

/**
 * Export threads kept between exports. Starting a thread (an isolate and Node's bootstrap) costs tens of
 * milliseconds of CPU and more of waiting, which a second export within a few minutes need not pay again; the
 * reader's chunk buffers, already mapped, are kept with it. Only a thread that finished its work cleanly comes
 * back here; after a failure or cancel it is stopped. Kept threads are unref'd and stop after a few idle minutes.
 */
const IDLE_MS = 3 * 60_000;

/** Only these: a Worker also listens to itself ('newListener'/'removeListener') to ref its port while someone listens for messages. */
function forget(worker: Worker): void {
  for (const event of ['message', 'messageerror', 'error', 'exit', 'online']) worker.removeAllListeners(event);
}
const kept = new Map<string, { worker: Worker; timer: ReturnType<typeof setTimeout> }[]>();

/** A thread running `source` (eval'd): a kept one if there is one, else a new one. */
export function takeWorker(source: string): Worker {
  const list = kept.get(source);
  const k = list?.pop();
  if (k) {
    clearTimeout(k.timer);
    forget(k.worker);
    k.worker.ref();
    return k.worker;
  }
  return new Worker(source, { eval: true });
}

/** Hands a thread back once its work is done and nothing is pending on it. */
export function keepWorker(source: string, worker: Worker): void {
  forget(worker);
  worker.unref();
  const list = kept.get(source) ?? [];
  kept.set(source, list);
  const entry = {
    worker,
    timer: setTimeout(() => {
      list.splice(list.indexOf(entry), 1);
      void worker.terminate();
    }, IDLE_MS),
  };
  entry.timer.unref();
  // A kept thread that dies is dropped.
  worker.once('exit', () => {
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    clearTimeout(entry.timer);
  });
  worker.on('error', () => {});
  list.push(entry);
}

/** A kept thread running `source`, left where it is (for tests that ask it what it holds). */
export function keptWorkerOf(source: string): Worker | undefined {
  return kept.get(source)?.at(-1)?.worker;
}

/** How many threads are kept, all sources together (for tests and the bench). */
export function keptWorkerCount(): number {
  let n = 0;
  for (const list of kept.values()) n += list.length;
  return n;
}
