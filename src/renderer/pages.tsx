import type { Permission } from '../shared/permissions';
import { AuditPage } from './features/audit/AuditPage';
import { BorrowerDetailPage } from './features/borrowers/BorrowerDetailPage';
import { BorrowersPage } from './features/borrowers/BorrowersPage';
import { ClassificationPage } from './features/classification/ClassificationPage';
import { HomePage } from './features/home/HomePage';
import { ImportPage } from './features/imports/ImportPage';
import { LoanDetailPage, type TabId } from './features/loan/LoanDetailPage';
import { FactoringFormPage } from './features/loans/FactoringFormPage';
import { LoanFormPage } from './features/loans/LoanFormPage';
import { LoansPage } from './features/loans/LoansPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { UsersPage } from './features/users/UsersPage';
import { KeysPage } from './features/keys/KeysPage';
import { InspectionsPage } from './features/inspections/InspectionsPage';
import { ReportPage } from './features/reports/ReportPage';
import { WarningsPage } from './features/warnings/WarningsPage';
import { WorklogPage } from './features/worklog/WorklogPage';
import { ArchivePage } from './features/archive/ArchivePage';
import { CollectionsPage } from './features/collections/CollectionsPage';
import { ReceiptsPage } from './features/receipts/ReceiptsPage';
import { ApprovalsPage } from './features/changes/ApprovalsPage';
import { WriteOffsPage } from './features/changes/WriteOffsPage';
import { TemplatesPage } from './features/templates/TemplatesPage';
import { PortfolioReportsPage } from './features/portfolioReports/PortfolioReportsPage';
import { BackupsPage } from './features/backups/BackupsPage';
import { ManagementReportsPage } from './features/managementReports/ManagementReportsPage';

export type Page = 'home' | 'borrowers' | 'loans' | 'inspections' | 'warnings' | 'worklog' | 'collections' | 'receipts' | 'approvals' | 'writeoffs' | 'templates' | 'portfolioReports' | 'archive' | 'classification' | 'import' | 'users' | 'keys' | 'settings' | 'backups' | 'audit' | 'managementReports';

/**
 * Where the user is: a navbar page, optionally one record under it (a borrower, a loan) or a new-loan form,
 * which may start with a borrower already chosen.
 */
export interface Route {
  page: Page;
  borrowerId?: number;
  loanId?: number;
  create?: 'loan' | 'factoring';
  /** The loan page's tab to show. */
  tab?: TabId;
  /** Under 'inspections': a report, or a new report for an inspection (of `loanId`). */
  reportId?: number;
  inspectionId?: number;
  /** Under 'warnings': the warning to open. */
  warningId?: number;
}

/** The workspace's pages in navbar order, each with the permission it needs (null: everyone). */
/** `permission`: null for everyone; a list means any one of them. */
export const PAGES: readonly { id: Page; permission: Permission | readonly Permission[] | null }[] = [
  { id: 'home', permission: null },
  { id: 'borrowers', permission: 'portfolio.read' },
  { id: 'loans', permission: 'portfolio.read' },
  { id: 'inspections', permission: 'portfolio.read' },
  { id: 'warnings', permission: 'portfolio.read' },
  { id: 'worklog', permission: 'portfolio.read' },
  { id: 'collections', permission: 'collections.print' },
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

export function PageView({ route }: { route: Route }) {
  switch (route.page) {
    case 'borrowers':
      return route.borrowerId ? <BorrowerDetailPage key={route.borrowerId} id={route.borrowerId} /> : <BorrowersPage />;
    case 'loans':
      if (route.loanId) return <LoanDetailPage key={route.loanId} id={route.loanId} tab={route.tab} />;
      if (route.create === 'loan') return <LoanFormPage borrowerId={route.borrowerId ?? null} />;
      if (route.create === 'factoring') return <FactoringFormPage borrowerId={route.borrowerId ?? null} />;
      return <LoansPage />;
    case 'inspections':
      if (route.reportId || route.inspectionId) return <ReportPage reportId={route.reportId ?? null} inspectionId={route.inspectionId ?? null} loanId={route.loanId ?? null} />;
      return <InspectionsPage />;
    case 'warnings':
      return <WarningsPage key={route.warningId ?? 0} warningId={route.warningId ?? null} />;
    case 'worklog':
      return <WorklogPage borrowerId={route.borrowerId ?? null} />;
    case 'collections':
      return <CollectionsPage />;
    case 'receipts':
      return <ReceiptsPage />;
    case 'approvals':
      return <ApprovalsPage />;
    case 'writeoffs':
      return <WriteOffsPage />;
    case 'templates':
      return <TemplatesPage />;
    case 'portfolioReports':
      return <PortfolioReportsPage />;
    case 'archive':
      return <ArchivePage />;
    case 'classification':
      return <ClassificationPage />;
    case 'import':
      return <ImportPage />;
    case 'users':
      return <UsersPage />;
    case 'keys':
      return <KeysPage />;
    case 'settings':
      return <SettingsPage />;
    case 'backups':
      return <BackupsPage />;
    case 'audit':
      return <AuditPage />;
    case 'managementReports':
      return <ManagementReportsPage />;
    default:
      return <HomePage />;
  }
}
