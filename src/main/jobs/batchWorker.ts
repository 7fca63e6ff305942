import { parentPort } from 'node:worker_threads';
import '../reactions';
import { runBatchOnOwnConnection, type BatchThreadInput, type BatchThreadMessage } from './batchThread';

// The daily batch's worker thread (its own bundle entry): kept between runs by main (jobs/dailyBatch.ts), it runs
// each batch it is sent on a connection of its own, opened and closed for that run, and reports to main.
const port = parentPort;
if (!port) throw new Error('the batch worker runs as a worker thread');
port.on('message', (input: BatchThreadInput) => void runBatchOnOwnConnection(input, (m: BatchThreadMessage) => port.postMessage(m)));
