import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import type { LoanDetail } from '../../shared/ipc/loans';
import type { LedgerEntry } from '../../shared/ipc/repayments';
import { cardDoc, type CardExtras } from './card';
import type { Letterhead } from './common';
import { ledgerDoc } from './ledger';
import { noticesDoc, type NoticeData } from './notice';

/**
 * A document to render, as data: what crosses to the PDF worker (pdf/pdfWorker.ts). A document definition
 * holds functions (table layouts, page footers), which cannot cross threads; the data it is made from can.
 */
export type PdfJob =
  | { kind: 'card'; detail: LoanDetail; extras: CardExtras; head: Letterhead }
  | { kind: 'ledger'; contractNo: string; borrower: string; entries: LedgerEntry[]; head: Letterhead }
  | { kind: 'notices'; notices: NoticeData[]; head: Letterhead };

export function docFor(job: PdfJob): TDocumentDefinitions {
  if (job.kind === 'card') return cardDoc(job.detail, job.extras, job.head);
  if (job.kind === 'notices') return noticesDoc(job.notices, job.head);
  return ledgerDoc(job.contractNo, job.borrower, job.entries, job.head);
}
