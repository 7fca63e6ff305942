import type { Channel } from '../../../shared/ipc/contract';

/** A channel's feature: 'loans.list' → 'loans'. Query keys start with the channel, so a feature is a key prefix. */
export const featureOf = (channel: string): string => channel.slice(0, channel.indexOf('.'));

/**
 * The features a write touches besides its own, by the write's feature (or by the channel, where one write
 * reaches further than its neighbours). Its own feature is always refetched. Reads of features not listed keep
 * their answers until they are next mounted (see staleTime in queryClient.ts), so a list never shows a stale
 * balance for long even where this map is incomplete.
 */
export const TOUCHES: Record<string, readonly string[]> = {
  // Anything that moves money or a loan's terms moves lists, counts, today's work and the reports.
  repayments: ['loans', 'today', 'collections', 'portfolioReports', 'classification', 'ledger', 'factoring', 'limitation', 'promises', 'writeoffs'],
  drawdowns: ['loans', 'today', 'portfolioReports', 'ledger', 'repayments'],
  changes: ['loans', 'today', 'portfolioReports', 'classification', 'ledger', 'writeoffs', 'repayments'],
  writeoffs: ['loans', 'today', 'portfolioReports', 'changes', 'ledger', 'repayments'],
  loans: ['borrowers', 'today', 'inspections', 'portfolioReports'],
  // A misdirected payment raises a warning; the financing's receivables feed the debtor letters.
  factoring: ['loans', 'borrowers', 'today', 'ledger', 'repayments', 'warnings', 'notices'],
  borrowers: ['loans', 'worklog'],
  guarantees: ['loans'],
  collateral: ['loans'],
  // A class change can make a loan non-performing (its disposal plan on the 诉讼 tab).
  classification: ['loans', 'today', 'portfolioReports', 'ledger', 'legal'],
  reports: ['inspections', 'today', 'warnings'],
  inspections: ['reports', 'today'],
  warnings: ['today', 'inspections', 'loans'],
  worklog: ['today'],
  // A receipt of the assignment notice confirms (确权) the receivables it named.
  notices: ['collections', 'today', 'limitation', 'factoring'],
  collections: ['notices', 'today', 'loans', 'limitation', 'legal', 'factoring'],
  // A suit's filing date interrupts the limitation period; the case's deadlines are on the home list.
  legal: ['today', 'limitation'],
  // A contact or a promise is an entry of the borrower's work log too.
  promises: ['collections', 'worklog', 'today'],
  contacts: ['collections', 'worklog', 'today'],
  limitation: ['collections', 'today'],
  documents: ['archive', 'reports'],
  archive: ['documents', 'loans'],
  // The import channels are named import.*: a commit adds borrowers, loans and their schedules.
  import: ['loans', 'borrowers', 'today', 'inspections', 'portfolioReports'],
  batch: ['loans', 'today', 'warnings', 'inspections', 'classification', 'portfolioReports', 'legal'],
  users: ['session'],
  settings: ['today', 'inspections'],
  // The working calendar moves report and review due dates.
  calendar: ['inspections', 'reports', 'today'],
  demo: ['loans', 'borrowers', 'today', 'users'],
};

/** The features whose queries a successful write on `channel` makes stale. */
export function touchedBy(channel: Channel): string[] {
  const own = featureOf(channel);
  return [own, ...(TOUCHES[own] ?? [])];
}
