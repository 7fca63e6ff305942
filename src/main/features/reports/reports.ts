import type { Transaction } from 'kysely';
import { reportDue, reviewDue, todayIn } from '../../../shared/domain';
import { AppError, type FieldIssue } from '../../../shared/ipc/errors';
import { type ReportQueueItem, type ReportView, firstReportData, postReportData, postReportFor, reportLoanFacts, type ReportData, type ReportLoanFacts } from '../../../shared/ipc/reports';
import { type Permission, seesAllLoans } from '../../../shared/permissions';
import type { Database, InspectionReportsTable } from '../../db/schema';
import { loanSecurity } from '../loans/security';
import { fieldIssues } from '../../kernel/validate';
import { recordAudit } from '../../kernel/audit';
import { provisionalDeadline, workingCalendar } from '../inspections/calendar';
import { readInspectionRules } from '../../kernel/settings';
import { type AppContext, type Session, today } from '../../kernel/context';
import { documentBytes, storeDocument } from '../documents/documents';
import { latestReportId } from '../inspections/inspections';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore, type Store } from '../../kernel/store';

type Row = Omit<InspectionReportsTable, 'id'> & { id: number };

const EDITABLE = new Set(['draft', 'returned']);

async function reportRow(ctx: AppContext, store: Store, s: Session, reportId: number): Promise<Row> {
  const r = (await store.db.selectFrom('inspection_reports').selectAll().where('id', '=', reportId).executeTakeFirst()) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchReport'));
  await visibleLoan(ctx, store, s, r.loan_id);
  return r;
}

function ratio(data: ReportData): string | null {
  const d = data as { totalAssetsFen?: number; liabilitiesFen?: number };
  if (!d.totalAssetsFen || d.liabilitiesFen === undefined) return null;
  const permille = Math.floor((d.liabilitiesFen * 2000 + d.totalAssetsFen) / (2 * d.totalAssetsFen));
  return `${Math.floor(permille / 10)}.${permille % 10}`;
}

export async function reportView(ctx: AppContext, store: Store, r: Row): Promise<ReportView> {
  const { db } = store;
  const meta = await db
    .selectFrom('inspections as i')
    .innerJoin('loans as l', 'l.id', 'i.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select(['i.kind', 'l.contract_no', 'b.name'])
    .where('i.id', '=', r.inspection_id)
    .executeTakeFirstOrThrow();
  const attachments = await db
    .selectFrom('report_attachments as a')
    .innerJoin('documents as d', 'd.id', 'a.document_id')
    .select(['d.id', 'd.file_name', 'd.mime', 'd.size', 'd.sha256', 'a.caption'])
    .where('a.report_id', '=', r.id)
    .orderBy('d.id')
    .execute();
  const events = await db.selectFrom('report_events').selectAll().where('report_id', '=', r.id).orderBy('id').execute();
  const data = JSON.parse(r.data) as ReportData;
  const prev = await db
    .selectFrom('inspection_reports')
    .select('data')
    .where('loan_id', '=', r.loan_id)
    .where('form', '=', 'post')
    .where('status', 'in', ['signed', 'accepted', 'superseded'])
    .where('id', '!=', r.id)
    .where('visit_date', '<', r.visit_date)
    .orderBy('visit_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  const now = today(ctx);
  const provisional = await provisionalDeadline(store.db);
  return {
    id: r.id,
    inspectionId: r.inspection_id,
    inspectionKind: meta.kind,
    loanId: r.loan_id,
    contractNo: meta.contract_no,
    borrowerName: meta.name,
    form: r.form,
    version: r.version,
    previousId: r.previous_id,
    status: r.status,
    visitDate: r.visit_date,
    data,
    officer: r.officer,
    reportDue: r.report_due,
    reviewDue: r.review_due,
    reportDueProvisional: provisional(r.report_due),
    reviewDueProvisional: provisional(r.review_due),
    reportOverdue: EDITABLE.has(r.status) && r.report_due < now,
    reviewOverdue: r.status === 'submitted' && !!r.review_due && r.review_due < now,
    reviewer: r.reviewer,
    reviewComment: r.review_comment,
    acceptedBy: r.accepted_by,
    debtRatio: ratio(data),
    previousDebtRatio: prev ? ratio(JSON.parse(prev.data) as ReportData) : null,
    attachments: attachments.map((a) => ({ documentId: a.id, fileName: a.file_name, mime: a.mime, size: a.size, sha256: a.sha256, caption: a.caption })),
    events: events.map((e) => ({ step: e.step, by: e.by_user, at: e.at, comment: e.comment })),
  };
}

async function step(trx: Transaction<Database>, ctx: AppContext, reportId: number, stepName: string, by: string, comment = '', detail: unknown = {}): Promise<void> {
  const at = ctx.nowIso();
  await trx.insertInto('report_events').values({ report_id: reportId, step: stepName, by_user: by, at, comment }).execute();
  await recordAudit(trx, at, { actor: by, action: `reports.${stepName}`, entity: 'report', entityId: String(reportId), reason: comment || null, detail });
}

async function checkVisitDate(ctx: AppContext, store: Store, loanId: number, visitDate: string): Promise<void> {
  const loan = await store.db.selectFrom('loans').select('start_date').where('id', '=', loanId).executeTakeFirstOrThrow();
  const onField = (message: string) => new AppError('RULE_VIOLATION', message, [{ path: 'visitDate', message }]);
  if (visitDate < loan.start_date) throw onField(ctx.t('errors.visitBeforeLoan', { date: ctx.day(loan.start_date) }));
  if (visitDate > today(ctx)) throw onField(ctx.t('errors.visitInFuture'));
}

function checkFormMatches(ctx: AppContext, form: 'first' | 'post', data: ReportData): void {
  const firstKeys = new Set(Object.keys(firstReportData.shape));
  const postKeys = new Set(Object.keys(postReportData.shape));
  const keys = Object.keys(data);
  const wrong = keys.filter((k) => !(form === 'first' ? firstKeys : postKeys).has(k));
  if (wrong.length > 0) throw new AppError('VALIDATION', ctx.t('validation.unknownField', { keys: wrong.join(', ') }), wrong.map((k) => ({ path: `data.${k}`, message: ctx.t('validation.unknownField', { keys: k }) })));
}

export async function createReport(ctx: AppContext, input: { inspectionId: number; visitDate: string; data: ReportData }): Promise<ReportView> {
  const s = requirePermission(ctx, 'inspections.write');
  const store = requireStore(ctx);
  const insp = await store.db.selectFrom('inspections').selectAll().where('id', '=', input.inspectionId).executeTakeFirst();
  if (!insp || insp.status === 'cancelled') throw new AppError('NOT_FOUND', ctx.t('errors.noSuchInspection'));
  await visibleLoan(ctx, store, s, insp.loan_id);
  const open = await store.db.selectFrom('inspection_reports').select('id').where('inspection_id', '=', insp.id).where('status', '!=', 'superseded').executeTakeFirst();
  if (open) throw new AppError('CONFLICT', ctx.t('errors.reportExists'));
  const form = insp.kind === 'first' ? 'first' : 'post';
  checkFormMatches(ctx, form, input.data);
  await checkVisitDate(ctx, store, insp.loan_id, input.visitDate);
  const cal = await workingCalendar(store.db);
  const rules = await readInspectionRules(store.db);
  const now = ctx.nowIso();
  const id = await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('inspection_reports')
      .values({
        inspection_id: insp.id,
        loan_id: insp.loan_id,
        form,
        version: 1,
        previous_id: null,
        status: 'draft',
        visit_date: input.visitDate,
        data: JSON.stringify(input.data),
        officer: s.username,
        report_due: reportDue(input.visitDate, cal, rules, insp.kind),
        submitted_at: null,
        review_due: null,
        reviewer: null,
        reviewed_at: null,
        review_comment: null,
        accepted_by: null,
        accepted_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await step(trx, ctx, r.id, 'create', s.username);
    return r.id;
  });
  return getReport(ctx, { reportId: id });
}

async function editable(ctx: AppContext, store: Store, s: Session, reportId: number): Promise<Row> {
  const r = await reportRow(ctx, store, s, reportId);
  if (r.status === 'accepted' || r.status === 'superseded') throw new AppError('RULE_VIOLATION', ctx.t('errors.reportReadOnly'));
  if (!EDITABLE.has(r.status)) throw new AppError('RULE_VIOLATION', ctx.t('errors.reportNotEditable'));
  if (r.officer !== s.username) throw new AppError('FORBIDDEN', ctx.t('errors.notYourReport'));
  return r;
}

export async function updateReport(ctx: AppContext, input: { reportId: number; visitDate: string; data: ReportData }): Promise<ReportView> {
  const s = requirePermission(ctx, 'inspections.write');
  const store = requireStore(ctx);
  const r = await editable(ctx, store, s, input.reportId);
  checkFormMatches(ctx, r.form, input.data);
  await checkVisitDate(ctx, store, r.loan_id, input.visitDate);
  const cal = await workingCalendar(store.db);
  const rules = await readInspectionRules(store.db);
  const { kind } = await store.db.selectFrom('inspections').select('kind').where('id', '=', r.inspection_id).executeTakeFirstOrThrow();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('inspection_reports')
      .set({ visit_date: input.visitDate, data: JSON.stringify(input.data), report_due: reportDue(input.visitDate, cal, rules, kind), updated_at: ctx.nowIso() })
      .where('id', '=', r.id)
      .execute();
    await step(trx, ctx, r.id, 'update', s.username);
  });
  return getReport(ctx, { reportId: r.id });
}

export async function attachToReport(ctx: AppContext, input: { reportId: number; fileName: string; base64: string; caption: string }): Promise<ReportView> {
  const s = requirePermission(ctx, 'inspections.write');
  const store = requireStore(ctx);
  const r = await editable(ctx, store, s, input.reportId);
  const settings = await readSettings(store.db);
  const loan = await store.db.selectFrom('loans').select('borrower_id').where('id', '=', r.loan_id).executeTakeFirstOrThrow();
  await store.db.transaction().execute(async (trx) => {
    const docId = await storeDocument(
      ctx,
      trx,
      { loanId: r.loan_id, borrowerId: loan.borrower_id, docType: 'inspection-photo', fileName: input.fileName, base64: input.base64 },
      { allowed: ['jpeg', 'png', 'tiff', 'pdf'], maxBytes: settings.attachmentMaxMb * 1024 * 1024, actor: s.username },
    );
    await trx.insertInto('report_attachments').values({ report_id: r.id, document_id: docId, caption: input.caption }).execute();
    await step(trx, ctx, r.id, 'attach', s.username, input.fileName, { documentId: docId });
  });
  return getReport(ctx, { reportId: r.id });
}

/** Takes the file off the report; the stored document itself stays in the archive. */
export async function detachFromReport(ctx: AppContext, input: { reportId: number; documentId: number }): Promise<ReportView> {
  const s = requirePermission(ctx, 'inspections.write');
  const store = requireStore(ctx);
  const r = await editable(ctx, store, s, input.reportId);
  await store.db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('report_attachments').where('report_id', '=', r.id).where('document_id', '=', input.documentId).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDocument'));
    await step(trx, ctx, r.id, 'detach', s.username, '', { documentId: input.documentId });
  });
  return getReport(ctx, { reportId: r.id });
}

/**
 * What the loan is, as far as the report's form goes (see postReportFor): whether it has a guarantor, whether it
 * has collateral (each registered or in the contract, as the loan page shows its security), a personal borrower.
 */
export async function loanFacts(store: Store, loanId: number): Promise<ReportLoanFacts> {
  const { db } = store;
  const loan = await db
    .selectFrom('loans as l')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select(['l.id', 'l.guarantee_modes', 'b.kind'])
    .where('l.id', '=', loanId)
    .executeTakeFirstOrThrow();
  return reportLoanFacts({ security: await loanSecurity(db, loan), borrowerKind: loan.kind });
}

/** Submission checks the whole form and names every missing or wrong field at once. */
export async function submitReport(ctx: AppContext, input: { reportId: number }): Promise<ReportView> {
  const s = requirePermission(ctx, 'inspections.write');
  const store = requireStore(ctx);
  const r = await editable(ctx, store, s, input.reportId);
  const schema = r.form === 'first' ? firstReportData : postReportFor(await loanFacts(store, r.loan_id));
  const parsed = schema.safeParse(JSON.parse(r.data), { reportInput: true });
  if (!parsed.success) {
    const issues: FieldIssue[] = fieldIssues(ctx, parsed.error).map((i) => ({ path: `data.${i.path}`, message: i.message }));
    throw new AppError('VALIDATION', ctx.t('errors.reportIncomplete', { count: issues.length }), issues);
  }
  const cal = await workingCalendar(store.db);
  const rules = await readInspectionRules(store.db);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('inspection_reports')
      .set({ status: 'submitted', submitted_at: now, review_due: reviewDue(todayIn(ctx.clock.now()), cal, rules), updated_at: now })
      .where('id', '=', r.id)
      .execute();
    await step(trx, ctx, r.id, 'submit', s.username);
  });
  return getReport(ctx, { reportId: r.id });
}

/** Reviewers never review their own report. */
async function reviewable(ctx: AppContext, perm: Permission, reportId: number, expected: Row['status']): Promise<{ s: Session; store: Store; r: Row }> {
  const s = requirePermission(ctx, perm);
  const store = requireStore(ctx);
  const r = await reportRow(ctx, store, s, reportId);
  if (r.officer === s.username) throw new AppError('RULE_VIOLATION', ctx.t('errors.ownReport'));
  if (r.status !== expected) throw new AppError('RULE_VIOLATION', ctx.t('errors.reportWrongStep', { status: ctx.t(`reportStatus.${r.status}` as never) }));
  return { s, store, r };
}

export async function returnReport(ctx: AppContext, input: { reportId: number; comment: string }): Promise<ReportView> {
  const { s, store, r } = await reviewable(ctx, 'reports.review', input.reportId, 'submitted');
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('inspection_reports').set({ status: 'returned', reviewer: s.username, reviewed_at: now, review_comment: input.comment, updated_at: now }).where('id', '=', r.id).execute();
    await step(trx, ctx, r.id, 'return', s.username, input.comment);
  });
  return getReport(ctx, { reportId: r.id });
}

export async function signReport(ctx: AppContext, input: { reportId: number; comment: string }): Promise<ReportView> {
  const { s, store, r } = await reviewable(ctx, 'reports.review', input.reportId, 'submitted');
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('inspection_reports').set({ status: 'signed', reviewer: s.username, reviewed_at: now, review_comment: input.comment || null, updated_at: now }).where('id', '=', r.id).execute();
    await trx.updateTable('inspections').set({ status: 'done', updated_at: now }).where('id', '=', r.inspection_id).execute();
    await step(trx, ctx, r.id, 'sign', s.username, input.comment);
  });
  return getReport(ctx, { reportId: r.id });
}

/** The risk officer files a signed report; from then on it is read-only, and an earlier version is superseded. */
export async function acceptReport(ctx: AppContext, input: { reportId: number }): Promise<ReportView> {
  const { s, store, r } = await reviewable(ctx, 'reports.accept', input.reportId, 'signed');
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('inspection_reports').set({ status: 'accepted', accepted_by: s.username, accepted_at: now, updated_at: now }).where('id', '=', r.id).execute();
    if (r.previous_id) await trx.updateTable('inspection_reports').set({ status: 'superseded', updated_at: now }).where('id', '=', r.previous_id).execute();
    await step(trx, ctx, r.id, 'accept', s.username);
  });
  return getReport(ctx, { reportId: r.id });
}

/**
 * The risk officer returns a signed report with the reason: back to 'returned' for its author to correct and submit
 * again (to be reviewed and signed anew); the inspection is open again until then.
 */
export async function returnSignedReport(ctx: AppContext, input: { reportId: number; comment: string }): Promise<ReportView> {
  const { s, store, r } = await reviewable(ctx, 'reports.accept', input.reportId, 'signed');
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('inspection_reports').set({ status: 'returned', reviewer: s.username, reviewed_at: now, review_comment: input.comment, review_due: null, updated_at: now }).where('id', '=', r.id).execute();
    await trx.updateTable('inspections').set({ status: 'planned', updated_at: now }).where('id', '=', r.inspection_id).execute();
    await step(trx, ctx, r.id, 'returnSigned', s.username, input.comment, { signedBy: r.reviewer });
  });
  return getReport(ctx, { reportId: r.id });
}

/** A correction of an accepted report is a new version that links to it; the accepted one is never edited. */
export async function correctReport(ctx: AppContext, input: { reportId: number }): Promise<ReportView> {
  const s = requirePermission(ctx, 'inspections.write');
  const store = requireStore(ctx);
  const r = await reportRow(ctx, store, s, input.reportId);
  if (r.status !== 'accepted') throw new AppError('RULE_VIOLATION', ctx.t('errors.correctOnlyAccepted'));
  const pending = await store.db.selectFrom('inspection_reports').select('id').where('previous_id', '=', r.id).executeTakeFirst();
  if (pending) throw new AppError('CONFLICT', ctx.t('errors.correctionExists'));
  const now = ctx.nowIso();
  const id = await store.db.transaction().execute(async (trx) => {
    const { id: newId } = await trx
      .insertInto('inspection_reports')
      .values({
        ...r,
        id: undefined,
        version: r.version + 1,
        previous_id: r.id,
        status: 'draft',
        officer: s.username,
        submitted_at: null,
        review_due: null,
        reviewer: null,
        reviewed_at: null,
        review_comment: null,
        accepted_by: null,
        accepted_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const atts = await trx.selectFrom('report_attachments').selectAll().where('report_id', '=', r.id).execute();
    for (const a of atts) await trx.insertInto('report_attachments').values({ ...a, report_id: newId }).execute();
    await step(trx, ctx, newId, 'correct', s.username, '', { previousId: r.id });
    return newId;
  });
  return getReport(ctx, { reportId: id });
}

export async function getReport(ctx: AppContext, input: { reportId: number }): Promise<ReportView> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  return reportView(ctx, store, await reportRow(ctx, store, s, input.reportId));
}

export async function getDocument(ctx: AppContext, input: { documentId: number }): Promise<{ fileName: string; mime: string; base64: string }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const d = await store.db.selectFrom('documents').select(['loan_id', 'file_name', 'mime', 'content', 'file_ref', 'sha256']).where('id', '=', input.documentId).executeTakeFirst();
  if (!d) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDocument'));
  if (d.loan_id) await visibleLoan(ctx, store, s, d.loan_id);
  return { fileName: d.file_name, mime: d.mime, base64: documentBytes(ctx, store, d).toString('base64') };
}

/** What each person has to do with reports: write (officers), review (supervisors), accept (risk). */
export async function reportQueue(ctx: AppContext): Promise<{ toWrite: ReportQueueItem[]; toReview: ReportQueueItem[]; toAccept: ReportQueueItem[] }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const now = today(ctx);
  const soon = new Date(ctx.clock.now().getTime() + 14 * 86_400_000);
  const horizon = todayIn(soon);
  const base = store.db
    .selectFrom('inspections as i')
    .innerJoin('loans as l', 'l.id', 'i.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .leftJoin('inspection_reports as r', (j) => j.on('r.id', '=', latestReportId()))
    .select(['i.id as inspection_id', 'i.loan_id', 'l.contract_no', 'b.name', 'i.kind', 'i.due_date', 'l.officer', 'r.id as report_id', 'r.status', 'r.officer as author', 'r.report_due', 'r.review_due'])
    .where('l.status', '=', 'active');
  const provisional = await provisionalDeadline(store.db);
  const item = (x: Awaited<ReturnType<typeof base.execute>>[number], due: string): ReportQueueItem => ({
    reportId: x.report_id,
    inspectionId: x.inspection_id,
    loanId: x.loan_id,
    contractNo: x.contract_no,
    borrowerName: x.name,
    kind: x.kind,
    status: x.status ?? 'planned',
    officer: x.author ?? x.officer,
    due,
    overdue: due < now,
    provisional: provisional(due),
  });
  const write = s.roles.some((r) => r === 'officer' || r === 'supervisor')
    ? await base
        .where((eb) =>
          eb.or([
            eb.and([eb('l.officer', '=', s.username), eb('i.status', '=', 'planned'), eb('r.id', 'is', null), eb('i.due_date', '<=', horizon)]),
            eb.and([eb('r.officer', '=', s.username), eb('r.status', 'in', ['draft', 'returned'])]),
          ]),
        )
        .orderBy('i.due_date')
        .limit(500)
        .execute()
    : [];
  const review = s.roles.includes('supervisor')
    ? await base.where('r.status', '=', 'submitted').where('r.officer', '!=', s.username).orderBy('r.review_due').limit(500).execute()
    : [];
  const accept = s.roles.includes('risk') ? await base.where('r.status', '=', 'signed').where('r.officer', '!=', s.username).orderBy('r.id').limit(500).execute() : [];
  const visible = (x: { officer: string }) => seesAllLoans(s.roles) || x.officer === s.username;
  return {
    toWrite: write.map((x) => item(x, x.report_due ?? x.due_date)),
    toReview: review.filter(visible).map((x) => item(x, x.review_due ?? now)),
    toAccept: accept.filter(visible).map((x) => item(x, x.review_due ?? now)),
  };
}
