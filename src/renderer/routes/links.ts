import { linkOptions } from '@tanstack/react-router';
import type { ArchiveSearch, BorrowerSearch, InspectionSearch, LOAN_TABS, LoanSearch } from './search';

export type LoanTab = (typeof LOAN_TABS)[number];

/**
 * Where a link goes, typed against the route tree: `nav.navigate(to.loan(12, 'inspections'))`. A list opened
 * from a count states its filters here; every other way in starts with the list's defaults.
 */
export const to = {
  home: () => linkOptions({ to: '/' }),
  loans: (search: LoanSearch = {}) => linkOptions({ to: '/loans', search }),
  loan: (id: number, tab?: LoanTab) => linkOptions({ to: '/loans/$id', params: { id }, search: { tab } }),
  newLoan: (kind: 'loan' | 'factoring', borrowerId?: number) => linkOptions({ to: '/loans/new', search: { kind, borrowerId } }),
  borrowers: (search: BorrowerSearch = {}) => linkOptions({ to: '/borrowers', search }),
  borrower: (id: number) => linkOptions({ to: '/borrowers/$id', params: { id } }),
  inspections: (search: InspectionSearch = {}) => linkOptions({ to: '/inspections', search }),
  report: (id: number) => linkOptions({ to: '/inspections/reports/$id', params: { id } }),
  newReport: (inspectionId: number, loanId: number) => linkOptions({ to: '/inspections/$id/report', params: { id: inspectionId }, search: { loanId } }),
  warning: (warningId: number) => linkOptions({ to: '/warnings', search: { warningId } }),
  worklog: (borrowerId?: number) => linkOptions({ to: '/worklog', search: { borrowerId } }),
  classification: () => linkOptions({ to: '/classification' }),
  backups: () => linkOptions({ to: '/backups' }),
  settings: () => linkOptions({ to: '/settings' }),
  receipts: () => linkOptions({ to: '/receipts' }),
  approvals: () => linkOptions({ to: '/approvals' }),
  archive: (search: ArchiveSearch = {}) => linkOptions({ to: '/archive', search }),
};
export type Target = ReturnType<(typeof to)[keyof typeof to]>;
