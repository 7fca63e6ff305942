import { parentPort, workerData } from 'node:worker_threads';
import '../reactions';
import { runBatchOnOwnConnection, type BatchThreadInput, type BatchThreadMessage } from './batchThread';

// The daily batch's worker thread (its own bundle entry): runs one batch on its own connection and reports to main.
const port = parentPort;
if (!port) throw new Error('the batch worker runs as a worker thread');
void runBatchOnOwnConnection(workerData as BatchThreadInput, (m: BatchThreadMessage) => port.postMessage(m));
