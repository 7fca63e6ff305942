import type { Channel } from '../../../shared/ipc/contract';

/** A channel's feature: 'loans.list' → 'loans'. Query keys start with the channel, so a feature is a key prefix. */
export const featureOf = (channel: string): string => channel.slice(0, channel.indexOf('.'));

/**
 * The features a write touches besides its own, by the write's feature (or by the channel, where one write
 * reaches further than its neighbours). Its own feature is always refetched. Reads of features not listed keep
 * their answers until they are next mounted (see staleTime in queryClient.ts), so a list never shows a stale
 * balance for long even where this map is incomplete.
 */
const TOUCHES: Record<string, readonly string[]> = {
  // Anything that moves money or a loan's terms moves lists, counts, today's work and the reports.
  repayments: ['loans', 'today', 'collections', 'portfolioReports', 'classification'],
  drawdowns: ['loans', 'today', 'portfolioReports'],
  loanChanges: ['loans', 'today', 'portfolioReports', 'classification'],
  loans: ['borrowers', 'today', 'inspections', 'portfolioReports'],
  factoring: ['loans', 'borrowers', 'today'],
  borrowers: ['loans', 'worklog'],
  guarantees: ['loans'],
  collateral: ['loans'],
  classification: ['loans', 'today', 'portfolioReports'],
  reports: ['inspections', 'today', 'warnings'],
  inspections: ['reports', 'today'],
  warnings: ['today', 'inspections', 'loans'],
  worklog: ['today'],
  notices: ['collections', 'today'],
  collections: ['notices', 'today', 'loans'],
  documents: ['archive', 'reports'],
  archive: ['documents', 'loans'],
  imports: ['loans', 'borrowers', 'today'],
  // The import channels are named import.*: a commit adds borrowers, loans and their schedules.
  import: ['loans', 'borrowers', 'today', 'inspections', 'portfolioReports'],
  batch: ['loans', 'today', 'warnings', 'inspections', 'classification', 'portfolioReports'],
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
