import { notifications } from '@mantine/notifications';
import { createElement } from 'react';
import { i18n } from '../../i18n';
import { downloadBase64, downloadBytes } from '../../lib/download';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { PrintFailedNotice } from './PrintFailedNotice';

/**
 * What became of a print: the system dialog's answer (`printed`, `cancelled`, `failed`), or `downloaded`
 * where there is no print window (the test bridge, the CLI's web mode) and the PDF was saved instead.
 */
export type PrintOutcome = 'printed' | 'cancelled' | 'failed' | 'downloaded';

export interface PrintJob {
  /** Names the job in the print queue and the file handed to a PDF reader. */
  title: string;
  /** The file name of the fallback download. */
  fileName: string;
  /** The PDFs (base64) that make up the job; main joins them and prints them as ONE job. */
  parts: string[];
}

/**
 * Prints through main: one hidden window, one system dialog, one job for all the parts (Electron shows no
 * PDF in a page frame, and printing a framed PDF is unreliable). When printing fails, a notification shows
 * main's reason and offers to open the PDF in the system's reader. Throws what `invoke` throws.
 */
export async function printPdf(job: PrintJob): Promise<PrintOutcome> {
  const r = await invoke('shell.printPdf', { title: job.title, parts: job.parts });
  if (!r.available) {
    await download(job);
    return 'downloaded';
  }
  if (r.outcome === 'failed') offerReader(job, r.message ?? i18n.t('print.failed'));
  return r.outcome;
}

/** The fallback download: one file, like the print job (the parts joined in the page when there are several). */
async function download(job: PrintJob): Promise<void> {
  if (job.parts.length === 1) return downloadBase64(job.parts[0], job.fileName, 'application/pdf');
  const { joinPdfParts } = await import('./joinPdfParts');
  downloadBytes(await joinPdfParts(job.parts), job.fileName, 'application/pdf');
}

/** Opens the job's PDF in the system's PDF reader (saved to a temporary file by main). */
export async function openInReader(job: PrintJob): Promise<boolean> {
  try {
    const r = await invoke('shell.openPdf', { title: job.title, parts: job.parts });
    if (!r.available) await download(job);
    return true;
  } catch (e) {
    notifyError(e);
    return false;
  }
}

/** The short word after a single document's print (the notice batch asks its own question instead). */
export function notifyPrinted(outcome: PrintOutcome): void {
  if (outcome === 'printed') notifications.show({ color: 'green', message: i18n.t('print.printed') });
  else if (outcome === 'downloaded') notifications.show({ color: 'yellow', message: i18n.t('print.downloaded'), autoClose: 10_000 });
  // cancelled: the user closed the dialog and knows it; failed: the notification offering the reader is up.
}

const offers = new Set<string>();

function offerReader(job: PrintJob, message: string): void {
  const id = `print-failed-${Date.now()}`;
  offers.add(id);
  notifications.show({
    id,
    color: 'red',
    title: i18n.t('print.failedTitle'),
    message: createElement(PrintFailedNotice, { message, onOpen: async () => (await openInReader(job)) && notifications.hide(id) }),
    autoClose: false,
    onClose: () => offers.delete(id),
  });
}

/** Takes back every open offer to open a failed print in the reader: once notices are confirmed or voided, reprinting them from there would be wrong. */
export function withdrawReaderOffers(): void {
  for (const id of offers) notifications.hide(id);
}
