import type { Permission } from '../shared/permissions';

export type Page = 'home' | 'borrowers' | 'loans' | 'debtors' | 'inspections' | 'warnings' | 'worklog' | 'collections' | 'collectionQueue' | 'receipts' | 'approvals' | 'writeoffs' | 'templates' | 'portfolioReports' | 'archive' | 'classification' | 'import' | 'users' | 'keys' | 'settings' | 'backups' | 'audit' | 'managementReports';

/** The workspace's pages in navbar order, each with the permission it needs (null: everyone). */
/** `permission`: null for everyone; a list means any one of them. */
export const PAGES: readonly { id: Page; permission: Permission | readonly Permission[] | null }[] = [
  { id: 'home', permission: null },
  { id: 'borrowers', permission: 'portfolio.read' },
  { id: 'loans', permission: 'portfolio.read' },
  { id: 'debtors', permission: 'portfolio.read' },
  { id: 'inspections', permission: 'portfolio.read' },
  { id: 'warnings', permission: 'portfolio.read' },
  { id: 'worklog', permission: 'portfolio.read' },
  { id: 'collections', permission: 'collections.print' },
  { id: 'collectionQueue', permission: ['collections.queue', 'collections.assign'] },
  { id: 'receipts', permission: 'collections.write' },
  { id: 'approvals', permission: ['loanchanges.approve', 'writeoff.final'] },
  { id: 'writeoffs', permission: 'portfolio.read' },
  { id: 'templates', permission: 'collections.templates' },
  { id: 'portfolioReports', permission: 'portfolio.reports' },
  { id: 'managementReports', permission: 'portfolio.reports' },
  { id: 'archive', permission: 'portfolio.read' },
  { id: 'classification', permission: 'classification.propose' },
  { id: 'import', permission: 'portfolio.import' },
  { id: 'users', permission: 'users.manage' },
  { id: 'keys', permission: 'settings.manage' },
  { id: 'settings', permission: 'settings.manage' },
  { id: 'backups', permission: 'settings.manage' },
  { id: 'audit', permission: 'audit.verify' },
];

export function allowedPages(permissions: readonly Permission[]): Page[] {
  const allowed = (p: Permission | readonly Permission[] | null) => p === null || (typeof p === 'string' ? permissions.includes(p) : p.some((x) => permissions.includes(x)));
  return PAGES.filter((p) => allowed(p.permission)).map((p) => p.id);
}

/** Where each navbar page lives; records and forms live under their page's path (routes/router.tsx). */
export const PAGE_PATH = {
  home: '/',
  borrowers: '/borrowers',
  loans: '/loans',
  debtors: '/debtors',
  inspections: '/inspections',
  warnings: '/warnings',
  worklog: '/worklog',
  collections: '/collections',
  collectionQueue: '/collectionQueue',
  receipts: '/receipts',
  approvals: '/approvals',
  writeoffs: '/writeoffs',
  templates: '/templates',
  portfolioReports: '/portfolioReports',
  managementReports: '/managementReports',
  archive: '/archive',
  classification: '/classification',
  import: '/import',
  users: '/users',
  keys: '/keys',
  settings: '/settings',
  backups: '/backups',
  audit: '/audit',
} as const satisfies Record<Page, string>;

/** The navbar page a path belongs to: '/loans/12' → 'loans'. */
export function pageOfPath(pathname: string): Page {
  const first = pathname.split('/')[1] ?? '';
  return (PAGES.find((p) => p.id === first)?.id ?? 'home') as Page;
}
