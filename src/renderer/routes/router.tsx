import { createMemoryHistory, createRootRoute, createRoute, createRouter, Navigate, Outlet, useLocation, useRouter } from '@tanstack/react-router';
import { useSession } from '../lib/session';
import { AppShellLayout } from '../components/AppShellLayout';
import { allowedPages, PAGE_PATH, pageOfPath, type Page } from '../pages';
import { AuditPage } from '../features/audit/AuditPage';
import { BorrowerDetailPage } from '../features/borrowers/BorrowerDetailPage';
import { BorrowersPage } from '../features/borrowers/BorrowersPage';
import { ClassificationPage } from '../features/repayments/ClassificationPage';
import { HomePage } from '../features/home/HomePage';
import { ImportPage } from '../features/imports/ImportPage';
import { LoanDetailPage } from '../features/loan/LoanDetailPage';
import { DebtorsPage } from '../features/factoring/DebtorsPage';
import { FactoringFormPage } from '../features/loans/FactoringFormPage';
import { LoanFormPage } from '../features/loans/LoanFormPage';
import { LoansPage } from '../features/loans/LoansPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { UsersPage } from '../features/users/UsersPage';
import { InspectionsPage } from '../features/inspections/InspectionsPage';
import { ReportPage } from '../features/reports/ReportPage';
import { WarningsPage } from '../features/warnings/WarningsPage';
import { WorklogPage } from '../features/worklog/WorklogPage';
import { ArchivePage } from '../features/archive/ArchivePage';
import { CollectionsPage } from '../features/collections/CollectionsPage';
import { ReceiptsPage } from '../features/collections/ReceiptsPage';
import { ApprovalsPage } from '../features/loanChanges/ApprovalsPage';
import { WriteOffsPage } from '../features/loanChanges/WriteOffsPage';
import { CollectionQueuePage } from '../features/collections/CollectionQueuePage';
import { TemplatesPage } from '../features/collections/TemplatesPage';
import { PortfolioReportsPage } from '../features/portfolioReports/PortfolioReportsPage';
import { ManagementReportsPage } from '../features/managementReports/ManagementReportsPage';
import { KeysPage } from '../features/keys/KeysPage';
import { BackupsPage } from '../features/backups/BackupsPage';
import { archiveSearch, auditSearch, borrowerSearch, inspectionSearch, idParam, loanSearch, loanTabSearch, newLoanSearch, newReportSearch, warningSearch, worklogSearch } from './search';

/** The workspace: the navbar and header around the page; a page the user may not open shows the home page. */
function Workspace() {
  const session = useSession();
  const router = useRouter();
  const { pathname } = useLocation();
  const pages = allowedPages(session.permissions);
  const page = pageOfPath(pathname);
  if (!pages.includes(page)) return <Navigate to="/" replace />;
  return (
    <AppShellLayout session={session} pages={pages} page={page} onNavigate={(p: Page) => void router.navigate({ to: PAGE_PATH[p] })}>
      <Outlet />
    </AppShellLayout>
  );
}

const root = createRootRoute({ component: Workspace });
const page = <P extends string>(path: P, component: () => React.ReactNode) => createRoute({ getParentRoute: () => root, path, component });

const home = page('/', HomePage);
const borrowers = createRoute({ getParentRoute: () => root, path: '/borrowers', validateSearch: borrowerSearch, component: BorrowersPage });
const borrower = createRoute({ getParentRoute: () => root, path: '/borrowers/$id', params: idParam, component: BorrowerRoute });
function BorrowerRoute() {
  const { id } = borrower.useParams();
  return <BorrowerDetailPage key={id} id={id} />;
}
const loans = createRoute({ getParentRoute: () => root, path: '/loans', validateSearch: loanSearch, component: LoansPage });
const newLoan = createRoute({ getParentRoute: () => root, path: '/loans/new', validateSearch: newLoanSearch, component: NewLoanRoute });
function NewLoanRoute() {
  const { kind, borrowerId } = newLoan.useSearch();
  return kind === 'factoring' ? <FactoringFormPage borrowerId={borrowerId ?? null} /> : <LoanFormPage borrowerId={borrowerId ?? null} />;
}
const loan = createRoute({ getParentRoute: () => root, path: '/loans/$id', params: idParam, validateSearch: loanTabSearch, component: LoanRoute });
function LoanRoute() {
  const { id } = loan.useParams();
  const { tab } = loan.useSearch();
  return <LoanDetailPage key={id} id={id} tab={tab} />;
}
const inspections = createRoute({ getParentRoute: () => root, path: '/inspections', validateSearch: inspectionSearch, component: InspectionsPage });
const report = createRoute({ getParentRoute: () => root, path: '/inspections/reports/$id', params: idParam, component: ReportRoute });
function ReportRoute() {
  const { id } = report.useParams();
  return <ReportPage reportId={id} inspectionId={null} loanId={null} />;
}
const newReport = createRoute({ getParentRoute: () => root, path: '/inspections/$id/report', params: idParam, validateSearch: newReportSearch, component: NewReportRoute });
function NewReportRoute() {
  const { id } = newReport.useParams();
  const { loanId } = newReport.useSearch();
  return <ReportPage reportId={null} inspectionId={id} loanId={loanId ?? null} />;
}
const warnings = createRoute({ getParentRoute: () => root, path: '/warnings', validateSearch: warningSearch, component: WarningsRoute });
function WarningsRoute() {
  const { warningId } = warnings.useSearch();
  return <WarningsPage key={warningId ?? 0} warningId={warningId ?? null} />;
}
const worklog = createRoute({ getParentRoute: () => root, path: '/worklog', validateSearch: worklogSearch, component: WorklogRoute });
function WorklogRoute() {
  const { borrowerId } = worklog.useSearch();
  return <WorklogPage borrowerId={borrowerId ?? null} />;
}
const archive = createRoute({ getParentRoute: () => root, path: '/archive', validateSearch: archiveSearch, component: ArchivePage });
const audit = createRoute({ getParentRoute: () => root, path: '/audit', validateSearch: auditSearch, component: AuditPage });

const tree = root.addChildren([
  home,
  borrowers,
  borrower,
  loans,
  newLoan,
  loan,
  page('/debtors', DebtorsPage),
  inspections,
  report,
  newReport,
  warnings,
  worklog,
  page('/collections', CollectionsPage),
  page('/collectionQueue', CollectionQueuePage),
  page('/receipts', ReceiptsPage),
  page('/approvals', ApprovalsPage),
  page('/writeoffs', WriteOffsPage),
  page('/templates', TemplatesPage),
  page('/portfolioReports', PortfolioReportsPage),
  page('/managementReports', ManagementReportsPage),
  archive,
  page('/classification', ClassificationPage),
  page('/import', ImportPage),
  page('/users', UsersPage),
  page('/keys', KeysPage),
  page('/settings', SettingsPage),
  page('/backups', BackupsPage),
  audit,
]);

/**
 * One router per signed-in user, on an in-memory history: nothing of where a user was reaches the address
 * bar or another user; locking unmounts the workspace but keeps the router, so unlocking returns there.
 */
export function makeRouter() {
  return createRouter({ routeTree: tree, history: createMemoryHistory({ initialEntries: ['/'] }), defaultPreload: false });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
