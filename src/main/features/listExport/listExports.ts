import { businessDateOf, LEVEL_LABELS } from '../../../shared/domain';
import type { AuditEntry, AuditFilters } from '../../../shared/ipc/audit';
import type { BorrowerListRow } from '../../../shared/ipc/borrowers';
import type { NoticeView, PromiseView } from '../../../shared/ipc/collections';
import type { InspectionView } from '../../../shared/ipc/inspections';
import type { LoanListRow } from '../../../shared/ipc/loans';
import type { WrittenOffView } from '../../../shared/ipc/loanChanges';
import type { ExportedFile, ListName } from '../../../shared/ipc/listExport';
import type { WarningView } from '../../../shared/ipc/warnings';
import type { WorklogFilters, WorklogView } from '../../../shared/ipc/worklog';
import type { MessageKey } from '../../../shared/i18n';
import { wordInspectionReason } from '../../../shared/i18n/inspectionReasons';
import { wordWorklogEntry } from '../../../shared/i18n/worklogWords';
import { localName, wordWarningDetail } from '../../../shared/i18n/warningDetails';
import { recordAudit } from '../../kernel/audit';
import { requireSession } from '../../kernel/authz';
import { type AppContext, today } from '../../kernel/context';
import { requireStore } from '../../kernel/store';
import { type CellKind, listWorkbook } from '../../xlsx/listWorkbook';
import { listAudit } from '../audit/audit';
import { searchBorrowers } from '../borrowers/borrowers';
import { chaseList, loanPromises } from '../collections/collections';
import { listInspections } from '../inspections/inspections';
import { writtenOff } from '../loanChanges/loanChanges';
import { listLoans } from '../loans/loans';
import { listWarnings } from '../warnings/warnings';
import { listWorklog } from '../worklog/worklog';

/**
 * Every list page's Excel export, declared once per list: the rows come from the list's own service with the
 * page's filters (so the same scoping and masking), the columns are header key, kind and value. The workbook
 * is written by one function (xlsx/listWorkbook.ts); each export leaves an audit entry naming the list, the
 * filters and the number of rows.
 */

type Cell = string | number | null;
interface Column<R> {
  /** Under `listExport.col.` in the catalogues. */
  key: string;
  kind: CellKind;
  get: (r: R, ctx: AppContext) => Cell;
  width?: number;
}

const col = <R>(key: string, kind: CellKind, get: (r: R, ctx: AppContext) => Cell, width?: number): Column<R> => ({ key, kind, get, width });
const tr = (ctx: AppContext, key: string) => ctx.t(key as MessageKey);
const yesNo = (ctx: AppContext, v: boolean) => tr(ctx, v ? 'portfolio.yes' : 'portfolio.no');
const level = (ctx: AppContext, l: string) => LEVEL_LABELS[l as keyof typeof LEVEL_LABELS]?.[ctx.config.locale === 'en' ? 'en' : 'zh'] ?? l;

/** An officer as the page names them: their display name. */
async function staffName(ctx: AppContext, username: string): Promise<string> {
  const u = await requireStore(ctx).db.selectFrom('users').select('display_name').where('username', '=', username).executeTakeFirst();
  return u?.display_name || username;
}

/** Every user's display name, as the pages show owners, authors and officers. */
async function staffNames(ctx: AppContext): Promise<(username: string | null) => string | null> {
  const rows = await requireStore(ctx).db.selectFrom('users').select(['username', 'display_name']).execute();
  const m = new Map(rows.map((r) => [r.username, r.display_name || r.username]));
  return (u) => (u === null ? null : (m.get(u) ?? u));
}

/** The largest page a list channel serves; an export walks every page. */
async function allPages<R>(page: (limit: number, offset: number) => Promise<{ total: number; rows: R[] }>, size = 1000): Promise<R[]> {
  const out: R[] = [];
  for (;;) {
    const p = await page(size, out.length);
    out.push(...p.rows);
    if (p.rows.length < size || out.length >= p.total) return out;
  }
}

interface Prepared<R> {
  rows: R[];
  /** The data date the list shows, where it has one; otherwise today. */
  asOf?: string;
  /** Filters that were set, as label key → shown value. */
  filters: [string, string][];
}

async function exportList<R>(ctx: AppContext, list: ListName, input: object, columns: Column<R>[], prepared: Prepared<R>): Promise<ExportedFile> {
  const s = requireSession(ctx);
  const at = ctx.nowIso();
  const asOf = prepared.asOf ?? today(ctx);
  // The export time in China time, to the minute, like the business dates.
  const stamp = new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  const filters = prepared.filters.length ? prepared.filters.map(([k, v]) => ctx.t('listExport.labelValue', { label: tr(ctx, k), value: v })).join(ctx.t('listExport.separator')) : ctx.t('listExport.noFilters');
  const title = tr(ctx, `listExport.title.${list}`);
  const buf = await listWorkbook({
    sheetName: title,
    title,
    lines: [ctx.t('listExport.filters', { filters }), ctx.t('listExport.stamp', { asOf, at: stamp, user: s.displayName || s.username, count: prepared.rows.length })],
    columns: columns.map((c) => ({ header: tr(ctx, `listExport.col.${c.key}`), kind: c.kind, width: c.width })),
    rows: prepared.rows.map((r) => columns.map((c) => c.get(r, ctx))),
  });
  const store = requireStore(ctx);
  await store.db.transaction().execute((trx) =>
    recordAudit(trx, at, { actor: s.username, action: 'list.export', entity: 'list', entityId: list, detail: { filters: input, rows: prepared.rows.length } }),
  );
  return { fileName: ctx.t('listExport.fileName', { list: title, date: asOf }), base64: buf.toString('base64') };
}

// ——— Loans ———

const loanColumns: Column<LoanListRow>[] = [
  col('contractNo', 'text', (r) => r.contractNo, 20),
  col('kind', 'text', (r, ctx) => tr(ctx, r.kind === 'factoring' ? 'listExport.factoring' : 'listExport.loan'), 8),
  col('borrower', 'text', (r) => r.borrowerName, 24),
  col('officer', 'text', (r) => r.officerName, 12),
  col('principal', 'money', (r) => r.principalFen),
  col('balance', 'money', (r) => r.balanceFen),
  col('dpd', 'int', (r) => r.dpd),
  col('bucket', 'text', (r) => r.bucket, 8),
  col('level', 'text', (r, ctx) => level(ctx, r.level), 8),
  col('status', 'text', (r, ctx) => tr(ctx, `portfolio.loanStatus.${r.status}`), 8),
  col('maturity', 'date', (r) => r.maturityDate),
];

export interface LoansExportInput {
  query: string;
  officer: string | null;
  bucket: LoanListRow['bucket'] | null;
  level: LoanListRow['level'] | null;
  status: LoanListRow['status'] | null;
  borrowerId?: number | null;
  overdueOnly?: boolean;
  sort: 'contractNo' | 'borrowerName' | 'balanceFen' | 'dpd' | 'maturityDate';
  direction: 'asc' | 'desc';
}

export async function exportLoans(ctx: AppContext, input: LoansExportInput): Promise<ExportedFile> {
  let asOf = today(ctx);
  const rows = await allPages(async (limit, offset) => {
    const p = await listLoans(ctx, { ...input, limit, offset });
    asOf = p.asOf;
    return p;
  });
  const f: [string, string][] = [];
  if (input.query) f.push(['loans.query', input.query]);
  if (input.officer) f.push(['loans.officer', await staffName(ctx, input.officer)]);
  if (input.bucket) f.push(['loans.bucket', input.bucket]);
  if (input.overdueOnly) f.push(['loans.bucket', ctx.t('loans.overdueBucket')]);
  if (input.level) f.push(['loans.level', level(ctx, input.level)]);
  if (input.status) f.push(['loans.status', tr(ctx, `portfolio.loanStatus.${input.status}`)]);
  if (input.borrowerId) f.push(['loans.borrower', `#${input.borrowerId}`]);
  return exportList(ctx, 'loans', input, loanColumns, { rows, asOf, filters: f });
}

// ——— Borrowers ———

const borrowerColumns: Column<BorrowerListRow>[] = [
  col('name', 'text', (r) => r.name, 28),
  col('partyKind', 'text', (r, ctx) => tr(ctx, `portfolio.kind.${r.kind}`), 8),
  col('idNumber', 'text', (r) => r.idNumber, 22),
  col('phone', 'text', (r) => r.phone, 14),
  col('tier', 'text', (r, ctx) => tr(ctx, `portfolio.tier.${r.tier}`), 8),
  col('loanCount', 'int', (r) => r.loanCount),
  col('balance', 'money', (r) => r.balanceFen),
];

export interface BorrowersExportInput {
  query: string;
  kind: BorrowerListRow['kind'] | null;
  tier: BorrowerListRow['tier'] | null;
  sort?: 'name' | 'idNumber' | 'tier' | 'loanCount' | 'balanceFen';
  direction?: 'asc' | 'desc';
}

/**
 * The search's own rows, masking and all; but only the borrowers the caller manages. An officer's search also
 * finds other officers' borrowers, masked, so that nobody is registered twice; a file of them is not needed.
 */
export async function exportBorrowers(ctx: AppContext, input: BorrowersExportInput): Promise<ExportedFile> {
  const rows = (await allPages((limit, offset) => searchBorrowers(ctx, { ...input, limit, offset }))).filter((r) => r.managed);
  const f: [string, string][] = [];
  if (input.query) f.push(['borrowers.query', input.query]);
  if (input.kind) f.push(['listExport.col.partyKind', tr(ctx, `portfolio.kind.${input.kind}`)]);
  if (input.tier) f.push(['listExport.col.tier', tr(ctx, `portfolio.tier.${input.tier}`)]);
  return exportList(ctx, 'borrowers', input, borrowerColumns, { rows, filters: f });
}

// ——— Warnings ———

const warningColumns: Column<WarningView>[] = [
  col('warningId', 'int', (r) => r.id, 8),
  col('contractNo', 'text', (r) => r.contractNo, 20),
  col('borrower', 'text', (r) => r.borrowerName, 24),
  col('signal', 'text', (r, ctx) => `${r.signalCode} ${localName(r.signalNames, ctx.config.locale)}`, 28),
  col('category', 'text', (r, ctx) => tr(ctx, `warnings.category.${r.category}`), 10),
  col('warningLevel', 'text', (r, ctx) => tr(ctx, `warnings.level.${r.level}`), 8),
  col('source', 'text', (r, ctx) => tr(ctx, `warnings.source.${r.source}`), 10),
  col('warningStatus', 'text', (r, ctx) => tr(ctx, `warnings.status.${r.status}`), 10),
  col('detail', 'text', (r, ctx) => wordWarningDetail((k, p) => ctx.t(k, p), r.detail, (d) => ctx.day(d)), 48),
  col('owner', 'text', (r) => r.owner, 12),
  col('raisedAt', 'date', (r) => businessDateOf(r.raisedAt)),
  col('planDue', 'date', (r) => r.planDue),
  col('closedAt', 'date', (r) => (r.closedAt ? businessDateOf(r.closedAt) : null)),
];

export async function exportWarnings(ctx: AppContext, input: { loanId: number | null; status: 'open' | 'closed' | 'all' }): Promise<ExportedFile> {
  const name = await staffNames(ctx);
  const rows = (await listWarnings(ctx, input)).map((r) => ({ ...r, owner: name(r.owner)! }));
  const f: [string, string][] = [['listExport.col.warningStatus', tr(ctx, `listExport.warningFilter.${input.status}`)]];
  if (input.loanId) f.push(['listExport.col.contractNo', rows[0]?.contractNo ?? `#${input.loanId}`]);
  return exportList(ctx, 'warnings', input, warningColumns, { rows, filters: f });
}

// ——— Inspections ———

const inspectionColumns: Column<InspectionView>[] = [
  col('contractNo', 'text', (r) => r.contractNo, 20),
  col('borrower', 'text', (r) => r.borrowerName, 24),
  col('officer', 'text', (r) => r.officer, 12),
  col('inspectionKind', 'text', (r, ctx) => tr(ctx, `warnings.inspectionKind.${r.kind}`), 12),
  col('dueDate', 'date', (r) => r.dueDate),
  col('inspectionStatus', 'text', (r, ctx) => tr(ctx, `inspections.status.${r.status}`), 10),
  col('overdue', 'text', (r, ctx) => yesNo(ctx, r.overdue), 8),
  col('reason', 'text', (r, ctx) => wordInspectionReason((k, p) => ctx.t(k, p), r.reason, r.signal && localName(r.signal, ctx.config.locale)), 40),
  col('reportStatus', 'text', (r, ctx) => (r.report ? tr(ctx, `reportStatus.${r.report.status}`) : ''), 10),
];

export async function exportInspections(
  ctx: AppContext,
  input: { loanId: number | null; status: 'planned' | 'done' | 'cancelled' | null; dueFrom?: string | null; dueBefore: string | null; kind: InspectionView['kind'] | null; officer: string | null; overdueOnly: boolean },
): Promise<ExportedFile> {
  const { kind, officer, overdueOnly, ...list } = input;
  const name = await staffNames(ctx);
  const rows = (await listInspections(ctx, list))
    .filter((r) => (!kind || r.kind === kind) && (!officer || r.officer === officer) && (!overdueOnly || r.overdue))
    .map((r) => ({ ...r, officer: name(r.officer)! }));
  const f: [string, string][] = [];
  if (input.status) f.push(['listExport.col.inspectionStatus', tr(ctx, `inspections.status.${input.status}`)]);
  if (kind) f.push(['listExport.col.inspectionKind', tr(ctx, `warnings.inspectionKind.${kind}`)]);
  if (officer) f.push(['listExport.col.officer', await staffName(ctx, officer)]);
  if (overdueOnly) f.push(['listExport.col.overdue', yesNo(ctx, true)]);
  if (input.dueFrom) f.push(['listExport.dueFrom', input.dueFrom]);
  if (input.dueBefore) f.push(['listExport.dueBefore', input.dueBefore]);
  if (input.loanId) f.push(['listExport.col.contractNo', rows[0]?.contractNo ?? `#${input.loanId}`]);
  return exportList(ctx, 'inspections', input, inspectionColumns, { rows, filters: f });
}

// ——— Notices awaiting their receipts ———

const noticeColumns: Column<NoticeView>[] = [
  col('serial', 'text', (r) => r.serial, 18),
  col('contractNo', 'text', (r) => r.contractNo, 20),
  col('docType', 'text', (r, ctx) => tr(ctx, `noticesUi.docType.${r.docType}`), 18),
  col('addressee', 'text', (r) => r.addressee, 20),
  col('noticeStatus', 'text', (r, ctx) => tr(ctx, `collectionsUi.noticeStatus.${r.status}`), 10),
  col('receiptStatus', 'text', (r, ctx) => tr(ctx, `collectionsUi.receiptStatus.${r.receiptStatus}`), 10),
  col('printedAt', 'date', (r) => (r.printedAt ? businessDateOf(r.printedAt) : null)),
  col('signedOn', 'date', (r) => r.signedOn),
];

export async function exportNotices(ctx: AppContext, input: { olderThanDays: number }): Promise<ExportedFile> {
  const rows = await chaseList(ctx, input);
  return exportList(ctx, 'notices', input, noticeColumns, { rows, filters: [['listExport.olderThanDays', String(input.olderThanDays)]] });
}

// ——— A loan's promises to pay ———

const promiseColumns: Column<PromiseView & { contractNo: string }>[] = [
  col('contractNo', 'text', (r) => r.contractNo, 20),
  col('madeOn', 'date', (r) => r.madeOn),
  col('promiseDate', 'date', (r) => r.promiseDate),
  col('promised', 'money', (r) => r.amountFen),
  col('paid', 'money', (r) => r.paidFen),
  col('promiseStatus', 'text', (r, ctx) => tr(ctx, `collectionsUi.promiseStatus.${r.status}`), 10),
  col('note', 'text', (r) => r.note, 40),
];

export async function exportPromises(ctx: AppContext, input: { loanId: number }): Promise<ExportedFile> {
  const promises = await loanPromises(ctx, input);
  const loan = await requireStore(ctx).db.selectFrom('loans').select('contract_no').where('id', '=', input.loanId).executeTakeFirstOrThrow();
  const rows = promises.map((p) => ({ ...p, contractNo: loan.contract_no }));
  return exportList(ctx, 'promises', input, promiseColumns, { rows, filters: [['listExport.col.contractNo', loan.contract_no]] });
}

// ——— Write-offs and what has been recovered since ———

const writeOffColumns: Column<WrittenOffView>[] = [
  col('contractNo', 'text', (r) => r.contractNo, 20),
  col('borrower', 'text', (r) => r.borrowerName, 24),
  col('writtenOffOn', 'date', (r) => r.writtenOffOn),
  col('writtenOff', 'money', (r) => r.balanceFen),
  col('recovered', 'money', (r) => r.recoveredFen),
];

export async function exportWriteOffs(ctx: AppContext, input: Record<string, never>): Promise<ExportedFile> {
  const rows = await writtenOff(ctx);
  return exportList(ctx, 'writeoffs', input, writeOffColumns, { rows, filters: [] });
}

// ——— The work log ———

const worklogColumns: Column<WorklogView>[] = [
  col('entryDate', 'date', (r) => r.entryDate),
  col('borrower', 'text', (r) => r.borrowerName, 24),
  col('contractNo', 'text', (r) => r.contractNo, 20),
  col('worklogKind', 'text', (r, ctx) => tr(ctx, `worklog.kind.${r.kind}`), 10),
  col('content', 'text', (r, ctx) => wordWorklogEntry((k, p) => ctx.t(k, p), r), 48),
  col('author', 'text', (r) => r.author, 12),
  col('commentDue', 'date', (r) => r.commentDue),
  col('supervisorComment', 'text', (r) => r.supervisorComment, 36),
  col('commentedBy', 'text', (r) => r.commentedBy, 12),
];

export async function exportWorklog(ctx: AppContext, input: WorklogFilters & { borrowerId: number | null; loanId: number | null }): Promise<ExportedFile> {
  const name = await staffNames(ctx);
  const rows = (await listWorklog(ctx, input)).map((r) => ({ ...r, author: name(r.author)!, commentedBy: name(r.commentedBy) }));
  const f: [string, string][] = [];
  if (input.borrowerId) f.push(['listExport.col.borrower', rows[0]?.borrowerName ?? `#${input.borrowerId}`]);
  if (input.loanId) f.push(['listExport.col.contractNo', rows[0]?.contractNo ?? `#${input.loanId}`]);
  if (input.query) f.push(['worklogUi.query', input.query]);
  if (input.officer) f.push(['listExport.col.author', await staffName(ctx, input.officer)]);
  if (input.from) f.push(['listExport.fromDate', input.from]);
  if (input.to) f.push(['listExport.toDate', input.to]);
  if (input.kind) f.push(['listExport.col.worklogKind', tr(ctx, `worklog.kind.${input.kind}`)]);
  return exportList(ctx, 'worklog', input, worklogColumns, { rows, filters: f });
}

// ——— The audit log ———

const auditColumns: Column<AuditEntry>[] = [
  col('auditId', 'int', (r) => r.id, 8),
  col('at', 'text', (r) => r.at, 24),
  col('actor', 'text', (r) => r.actor, 12),
  col('action', 'text', (r, ctx) => worded(ctx, 'auditActions', r.action), 24),
  col('entity', 'text', (r, ctx) => worded(ctx, 'auditEntities', r.entity), 12),
  col('entityId', 'text', (r) => r.entityId, 14),
  col('subject', 'text', (r) => r.subject, 20),
  col('reason', 'text', (r) => r.reason, 24),
  col('detail', 'text', (r) => r.detail, 60),
];

/** An action or entity as the audit page words it; as recorded where the catalogue has no word for it. */
const worded = (ctx: AppContext, section: string, v: string) => {
  const key = `${section}.${v}`;
  const w = tr(ctx, key);
  return w === key ? v : w;
};

/** The log as the page filters it, newest first. */
export async function exportAudit(ctx: AppContext, input: AuditFilters): Promise<ExportedFile> {
  const name = await staffNames(ctx);
  const rows = (
    await allPages(async (limit, offset) => {
      const p = await listAudit(ctx, { ...input, limit, offset });
      return { total: p.total, rows: p.entries };
    }, 500)
  ).map((r) => ({ ...r, actor: r.actor === 'system' ? ctx.t('app.system') : name(r.actor)! }));
  const f: [string, string][] = [];
  if (input.actor) f.push(['listExport.col.actor', await staffName(ctx, input.actor)]);
  if (input.from) f.push(['listExport.fromDate', input.from]);
  if (input.to) f.push(['listExport.toDate', input.to]);
  if (input.contractNo) f.push(['listExport.col.contractNo', input.contractNo]);
  if (input.action) f.push(['listExport.col.action', worded(ctx, 'auditActions', input.action)]);
  return exportList(ctx, 'audit', input, auditColumns, { rows, filters: f });
}
