import type { Kysely } from 'kysely';
import { addYearsClamped, businessDateOf } from '../../../shared/domain';
import type { ArchiveGap, ChecklistView, DestructionListView, DocTypeView, FileLocationView, LendingView, Product, Stage } from '../../../shared/ipc/archive';
import { DOC_TYPES, destroyedUnder } from '../../../shared/ipc/documents';
import { AppError } from '../../../shared/ipc/errors';
import type { GuaranteeMode } from '../../../shared/ipc/loans';
import { can, seesAllLoans } from '../../../shared/permissions';
import type { Database } from '../../db/schema';
import { labelsDoc, type FileCover } from '../../pdf/archiveLabels';
import { destructionDoc, type DestructionCertificate } from '../../pdf/destruction';
import { handoverDoc, type HandoverLoan } from '../../pdf/handover';
import { renderPdf } from '../../pdf/render';
import { letterhead } from '../loans/printing';
import { loanSecurity } from '../loans/security';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, today } from '../../kernel/context';
import { type LoanRow, visibleLoan, requirePermission, requireSession } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore } from '../../kernel/store';
import { dropDocumentFiles } from '../documents/documents';

const BASE = ['application', 'credit-report', 'approval', 'contract', 'iou', 'disbursement'];
const DEFAULT_RULES: Record<Product, Record<Stage, string[]>> = {
  credit: { disbursement: BASE, inspection: ['inspection-report'], payoff: ['payoff'] },
  guarantee: { disbursement: [...BASE, 'guarantee-contract'], inspection: ['inspection-report'], payoff: ['payoff'] },
  mortgage: { disbursement: [...BASE, 'security-contract'], inspection: ['inspection-report'], payoff: ['payoff'] },
  pledge: { disbursement: [...BASE, 'security-contract'], inspection: ['inspection-report'], payoff: ['payoff'] },
  factoring: { disbursement: ['application', 'credit-report', 'approval', 'contract', 'disbursement'], inspection: ['inspection-report'], payoff: ['payoff'] },
};

/** Seeds the catalogue and the checklist the first time the archive is used; later edits stay. */
export async function ensureArchiveDefaults(db: Kysely<Database>, at: string): Promise<void> {
  const n = await db.selectFrom('doc_types').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (n.n > 0) return;
  await db.transaction().execute(async (trx) => {
    for (const [i, d] of DOC_TYPES.entries()) {
      await trx.insertInto('doc_types').values({ code: d.code, name_zh: d.zh, name_en: d.en, sort: i * 10, active: 1, updated_by: 'system', updated_at: at }).execute();
    }
    for (const [product, stages] of Object.entries(DEFAULT_RULES)) {
      for (const [stage, types] of Object.entries(stages)) {
        for (const doc_type of types) await trx.insertInto('checklist_rules').values({ product: product as Product, stage: stage as Stage, doc_type }).execute();
      }
    }
  });
}

/** The catalogue as stored; its defaults are put in at setup and sign-in (`ensureArchiveDefaults`), never by a read. */
async function docTypes(ctx: AppContext): Promise<DocTypeView[]> {
  const { db } = requireStore(ctx);
  const rows = await db.selectFrom('doc_types').selectAll().orderBy('sort').orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, sort: r.sort, active: !!r.active }));
}

export async function listDocTypes(ctx: AppContext): Promise<DocTypeView[]> {
  requireSession(ctx);
  return docTypes(ctx);
}

/** Only the archivist edits the catalogue; a type in use can be deactivated, never deleted. */
export async function saveDocType(ctx: AppContext, input: DocTypeView): Promise<DocTypeView[]> {
  const s = requirePermission(ctx, 'archive.manage');
  const { db } = requireStore(ctx);
  await ensureArchiveDefaults(db, ctx.nowIso());
  const row = { code: input.code, name_zh: input.nameZh, name_en: input.nameEn, sort: input.sort, active: input.active ? 1 : 0, updated_by: s.username, updated_at: ctx.nowIso() };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('doc_types').values(row).onConflict((oc) => oc.column('code').doUpdateSet(row)).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'archive.saveDocType', entity: 'doc_type', entityId: input.code, detail: input });
  });
  return docTypes(ctx);
}

/** The document type must be in the catalogue and active. */
export async function assertDocType(ctx: AppContext, code: string): Promise<void> {
  const t = (await docTypes(ctx)).find((d) => d.code === code);
  if (!t || !t.active) throw new AppError('VALIDATION', ctx.t('errors.unknownDocType'), [{ path: 'docType', message: ctx.t('errors.unknownDocType') }]);
}

function productsOf(kind: string, modes: GuaranteeMode[]): Product[] {
  if (kind === 'factoring') return ['factoring'];
  const out = modes.filter((m) => m !== 'credit') as Product[];
  return out.length ? out : ['credit'];
}

/** What the loan's file must hold at each stage it has reached, and how much of it is there. */
export async function checklist(ctx: AppContext, input: { loanId: number }): Promise<ChecklistView> {
  const s = requireSession(ctx);
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const types = new Map((await docTypes(ctx)).map((d) => [d.code, d]));
  // What the loan has, not only what its contract named: collateral registered later needs its contract on file too.
  const products = productsOf(loan.kind, await loanSecurity(store.db, loan));
  const rules = await store.db.selectFrom('checklist_rules').selectAll().where('product', 'in', products).execute();
  const docs = await store.db.selectFrom('documents').select(['doc_type']).where('loan_id', '=', loan.id).where('removed_at', 'is', null).execute();
  const have = new Map<string, number>();
  for (const d of docs) have.set(d.doc_type, (have.get(d.doc_type) ?? 0) + 1);
  const filedReports = await store.db
    .selectFrom('inspection_reports')
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('loan_id', '=', loan.id)
    .where('status', 'in', ['signed', 'accepted'])
    .executeTakeFirstOrThrow();
  const seen = new Set<string>();
  const items: ChecklistView['items'] = [];
  for (const r of rules) {
    const key = `${r.stage}:${r.doc_type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Inspection papers are due once per signed report; payoff papers once the loan is closed.
    const required = r.stage === 'inspection' ? filedReports.n : r.stage === 'payoff' ? (loan.status === 'closed' ? 1 : 0) : 1;
    if (required === 0) continue;
    const t = types.get(r.doc_type);
    items.push({ stage: r.stage, docType: r.doc_type, nameZh: t?.nameZh ?? r.doc_type, nameEn: t?.nameEn ?? r.doc_type, required, present: Math.min(required, have.get(r.doc_type) ?? 0) });
  }
  const order: Stage[] = ['disbursement', 'inspection', 'payoff'];
  const sortOf = (code: string) => types.get(code)?.sort ?? 1e9;
  items.sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage) || sortOf(a.docType) - sortOf(b.docType));
  return { loanId: loan.id, products, items, missing: items.reduce((n, i) => n + (i.required - i.present), 0) };
}

/**
 * Loans whose file is incomplete: the archivist's and the officer's to-do in today's work. `docType` keeps the
 * loans that miss that item. The loans come from SQL, scoped to the officer; what each file misses is its
 * checklist, the same one the loan's documents tab shows.
 */
export async function archiveGaps(ctx: AppContext, input: { docType?: string | null } = {}, newest = 5000): Promise<ArchiveGap[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const { db } = requireStore(ctx);
  let q = db.selectFrom('loans as l').innerJoin('borrowers as b', 'b.id', 'l.borrower_id').select(['l.id', 'l.contract_no', 'b.name', 'l.officer']).where('l.status', '!=', 'written-off');
  if (!seesAllLoans(s.roles)) q = q.where('l.officer', '=', s.username);
  if (input.docType) {
    // An item no checklist asks for is missing from no file.
    const docType = input.docType;
    q = q.where((eb) => eb.exists(eb.selectFrom('checklist_rules as r').select('r.doc_type').where('r.doc_type', '=', docType)));
  }
  const loans = await q.orderBy('l.id', 'desc').limit(newest).execute();
  const out: ArchiveGap[] = [];
  for (const l of loans) {
    const c = await checklist(ctx, { loanId: l.id });
    const missingTypes = c.items.filter((i) => i.present < i.required).map((i) => i.docType);
    if (c.missing > 0 && (!input.docType || missingTypes.includes(input.docType))) {
      out.push({ loanId: l.id, contractNo: l.contract_no, borrowerName: l.name, officer: l.officer, missing: c.missing, missingTypes });
    }
    if (out.length >= 500) break;
  }
  return out;
}

function locationView(r: Database['file_locations']): FileLocationView {
  return { room: r.room, cabinet: r.cabinet, shelf: r.shelf, box: r.box, updatedBy: r.updated_by, updatedAt: r.updated_at };
}

export async function getLocation(ctx: AppContext, input: { loanId: number }): Promise<FileLocationView | null> {
  const s = requireSession(ctx);
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  const r = await store.db.selectFrom('file_locations').selectAll().where('loan_id', '=', input.loanId).executeTakeFirst();
  return r ? locationView(r) : null;
}

export async function setLocation(ctx: AppContext, input: { loanId: number; room: string; cabinet: string; shelf: string; box: string }): Promise<FileLocationView> {
  const s = requirePermission(ctx, 'archive.manage');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  const before = await store.db.selectFrom('file_locations').selectAll().where('loan_id', '=', input.loanId).executeTakeFirst();
  const row = { loan_id: input.loanId, room: input.room, cabinet: input.cabinet, shelf: input.shelf, box: input.box, updated_by: s.username, updated_at: ctx.nowIso() };
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('file_locations').values(row).onConflict((oc) => oc.column('loan_id').doUpdateSet(row)).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'archive.setLocation', entity: 'loan', entityId: String(input.loanId), detail: { before: before ?? null, after: input } });
  });
  return locationView(row);
}

async function lendingViews(ctx: AppContext, filter: { loanId?: number; status: 'out' | 'overdue' | 'all'; id?: number }): Promise<LendingView[]> {
  const s = requireSession(ctx);
  const { db } = requireStore(ctx);
  const now = today(ctx);
  let q = db.selectFrom('file_loans as f').innerJoin('loans as l', 'l.id', 'f.loan_id').innerJoin('borrowers as b', 'b.id', 'l.borrower_id').selectAll('f').select(['l.contract_no', 'b.name', 'l.officer']);
  if (filter.id) q = q.where('f.id', '=', filter.id);
  if (filter.loanId) q = q.where('f.loan_id', '=', filter.loanId);
  if (filter.status !== 'all') q = q.where('f.returned_on', 'is', null);
  if (filter.status === 'overdue') q = q.where('f.due_back', '<', now);
  if (!seesAllLoans(s.roles)) q = q.where((eb) => eb.or([eb('l.officer', '=', s.username), eb('f.borrower_user', '=', s.username)]));
  const rows = await q.orderBy('f.id', 'desc').limit(1000).execute();
  return rows.map((r) => ({
    id: r.id,
    loanId: r.loan_id,
    contractNo: r.contract_no,
    borrowerName: r.name,
    borrowerUser: r.borrower_user,
    purpose: r.purpose,
    lentOn: r.lent_on,
    dueBack: r.due_back,
    lentBy: r.lent_by,
    returnedOn: r.returned_on,
    receivedBy: r.received_by,
    overdue: !r.returned_on && r.due_back < now,
  }));
}

export async function listLendings(ctx: AppContext, input: { status: 'out' | 'overdue' | 'all' }): Promise<LendingView[]> {
  requirePermission(ctx, 'portfolio.read');
  return lendingViews(ctx, input);
}

/** The archivist lends a paper file; a file that is out cannot be lent again. */
export async function lendFile(ctx: AppContext, input: { loanId: number; borrowerUser: string; purpose: string; dueBack: string }): Promise<LendingView> {
  const s = requirePermission(ctx, 'archive.manage');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  const out = await store.db
    .selectFrom('file_loans as f')
    .leftJoin('users as u', 'u.username', 'f.borrower_user')
    .select(['f.borrower_user', 'u.display_name', 'f.due_back'])
    .where('f.loan_id', '=', input.loanId)
    .where('f.returned_on', 'is', null)
    .executeTakeFirst();
  if (out) throw new AppError('RULE_VIOLATION', ctx.t('errors.fileAlreadyOut', { user: out.display_name || out.borrower_user, due: ctx.day(out.due_back) }));
  const user = await store.db.selectFrom('users').select(['disabled']).where('username', '=', input.borrowerUser).executeTakeFirst();
  if (!user || user.disabled) throw new AppError('VALIDATION', ctx.t('errors.noSuchUser'), [{ path: 'borrowerUser', message: ctx.t('errors.noSuchUser') }]);
  const now = today(ctx);
  if (input.dueBack < now) throw new AppError('RULE_VIOLATION', ctx.t('errors.dueBackPast'), [{ path: 'dueBack', message: ctx.t('errors.dueBackPast') }]);
  const id = await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('file_loans')
      .values({ loan_id: input.loanId, borrower_user: input.borrowerUser, purpose: input.purpose, lent_on: now, due_back: input.dueBack, lent_by: s.username, returned_on: null, received_by: null, created_at: ctx.nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'archive.lend', entity: 'loan', entityId: String(input.loanId), reason: input.purpose, detail: input });
    return r.id;
  });
  return (await lendingViews(ctx, { id, status: 'all' }))[0];
}

/** Return is registered by the archivist; a file that is not out cannot be returned. */
export async function returnFile(ctx: AppContext, input: { loanId: number }): Promise<LendingView> {
  const s = requirePermission(ctx, 'archive.manage');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  const out = await store.db.selectFrom('file_loans').select('id').where('loan_id', '=', input.loanId).where('returned_on', 'is', null).executeTakeFirst();
  if (!out) throw new AppError('RULE_VIOLATION', ctx.t('errors.fileNotOut'));
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('file_loans').set({ returned_on: today(ctx), received_by: s.username }).where('id', '=', out.id).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'archive.return', entity: 'loan', entityId: String(input.loanId) });
  });
  return (await lendingViews(ctx, { id: out.id, status: 'all' }))[0];
}

/** Kept the set number of years after payoff (30 by default). */
export function retentionUntil(closedOn: string | null, years: number): string | null {
  return closedOn ? addYearsClamped(closedOn, years) : null;
}

async function destructionView(ctx: AppContext, id: number): Promise<DestructionListView> {
  const { db } = requireStore(ctx);
  const l = await db.selectFrom('destruction_lists').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const items = await db.selectFrom('destruction_items as i').innerJoin('loans as l', 'l.id', 'i.loan_id').select(['l.id', 'l.contract_no', 'l.closed_on']).where('i.list_id', '=', id).execute();
  const years = (await readSettings(db)).retentionYears;
  return {
    id: l.id,
    reason: l.reason,
    status: l.status,
    createdBy: l.created_by,
    createdAt: l.created_at,
    approvals: [
      ...(l.first_approver ? [{ by: l.first_approver, at: l.first_at! }] : []),
      ...(l.second_approver ? [{ by: l.second_approver, at: l.second_at! }] : []),
    ],
    destroyed: l.destroyed_by ? { by: l.destroyed_by, at: l.destroyed_at!, files: (await destroyedFiles(db, l.id)).length } : null,
    loans: items.map((i) => ({ loanId: i.id, contractNo: i.contract_no, closedOn: i.closed_on, retentionUntil: retentionUntil(i.closed_on, years) })),
  };
}


async function destroyedFiles(db: Kysely<Database>, listId: number) {
  return db
    .selectFrom('documents as d')
    .innerJoin('loans as l', 'l.id', 'd.loan_id')
    .select(['d.id', 'l.contract_no', 'd.doc_type', 'd.file_name', 'd.size', 'd.sha256'])
    .where('d.removed_reason', '=', destroyedUnder(listId))
    .orderBy('l.contract_no')
    .orderBy('d.id')
    .execute();
}

/**
 * Carries out an approved destruction list (archivist): every electronic copy of its loans' documents is removed,
 * the document rows kept as the record marked destroyed (who, when, which list), and the list marked destroyed,
 * which marks its loans' paper files destroyed. Once only. Bytes held in the row (the branch server's sealed bytes,
 * an older single-PC row's) are cleared in the same transaction as the rows are marked; the single-PC store's
 * files are deleted after the commit: a failure in between leaves unreferenced files that the store check lists.
 */
export async function executeDestruction(ctx: AppContext, input: { listId: number }): Promise<DestructionListView> {
  const s = requirePermission(ctx, 'archive.manage');
  const store = requireStore(ctx);
  const { db } = store;
  const l = await db.selectFrom('destruction_lists').selectAll().where('id', '=', input.listId).executeTakeFirst();
  if (!l) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDestruction'));
  if (l.status === 'destroyed') throw new AppError('CONFLICT', ctx.t('errors.destructionDone', { by: l.destroyed_by ?? '', at: l.destroyed_at ? businessDateOf(l.destroyed_at) : '' }));
  if (l.status !== 'approved') throw new AppError('RULE_VIOLATION', ctx.t('errors.destructionNotApproved'));
  const loanIds = (await db.selectFrom('destruction_items').select('loan_id').where('list_id', '=', l.id).execute()).map((r) => r.loan_id);
  const docs = loanIds.length === 0 ? [] : await db.selectFrom('documents').select(['id', 'file_ref']).where('loan_id', 'in', loanIds).execute();
  const at = ctx.nowIso();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < docs.length; i += 500) {
      await trx
        .updateTable('documents')
        .set({ content: Buffer.alloc(0), file_ref: null, removed_at: at, removed_by: s.username, removed_reason: destroyedUnder(l.id) })
        .where('id', 'in', docs.slice(i, i + 500).map((d) => d.id))
        .execute();
    }
    await trx.updateTable('destruction_lists').set({ status: 'destroyed', destroyed_by: s.username, destroyed_at: at }).where('id', '=', l.id).execute();
    await recordAudit(trx, at, { actor: s.username, action: 'archive.executeDestruction', entity: 'destruction', entityId: String(l.id), detail: { loans: loanIds, documents: docs.map((d) => d.id) } });
  });
  dropDocumentFiles(store, docs.map((d) => d.file_ref));
  return destructionView(ctx, l.id);
}

/** The 销毁清单 of a list carried out, from the records kept (the document rows and the approvals). */
export async function destructionPdf(ctx: AppContext, input: { listId: number }): Promise<{ fileName: string; base64: string }> {
  const s = requireSession(ctx);
  if (!can(s.roles, 'archive.manage') && !can(s.roles, 'archive.approveDestruction')) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
  const store = requireStore(ctx);
  const l = await store.db.selectFrom('destruction_lists').selectAll().where('id', '=', input.listId).executeTakeFirst();
  if (!l) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDestruction'));
  if (l.status !== 'destroyed') throw new AppError('RULE_VIOLATION', ctx.t('errors.destructionNotDone'));
  const view = await destructionView(ctx, l.id);
  const names = new Map((await store.db.selectFrom('users').select(['username', 'display_name']).execute()).map((u) => [u.username, u.display_name]));
  const who = (u: string) => names.get(u) ?? u;
  const types = new Map((await docTypes(ctx)).map((d) => [d.code, d.nameZh]));
  const borrowers = await store.db
    .selectFrom('destruction_items as i')
    .innerJoin('loans as l', 'l.id', 'i.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select(['l.id', 'b.name'])
    .where('i.list_id', '=', l.id)
    .execute();
  const borrowerOf = new Map(borrowers.map((b) => [b.id, b.name]));
  const cert: DestructionCertificate = {
    listId: l.id,
    reason: l.reason,
    proposedBy: who(l.created_by),
    proposedAt: l.created_at,
    approvals: view.approvals.map((a) => ({ by: who(a.by), at: a.at })),
    executedBy: who(l.destroyed_by!),
    executedAt: l.destroyed_at!,
    loans: view.loans.map((x) => ({ contractNo: x.contractNo, borrower: borrowerOf.get(x.loanId) ?? '', closedOn: x.closedOn, retentionUntil: x.retentionUntil })),
    files: (await destroyedFiles(store.db, l.id)).map((f) => ({ contractNo: f.contract_no, docType: types.get(f.doc_type) ?? f.doc_type, fileName: f.file_name, size: f.size, sha256: f.sha256 })),
  };
  const pdf = await renderPdf(ctx.paths.resourcesDir, destructionDoc(cert, await letterhead(ctx, store)));
  return { fileName: `档案销毁清单_第${l.id}号.pdf`, base64: pdf.toString('base64') };
}

/** Nothing is destroyed automatically: the archivist proposes a list of files past retention. */
export async function proposeDestruction(ctx: AppContext, input: { loanIds: number[]; reason: string }): Promise<DestructionListView> {
  const s = requirePermission(ctx, 'archive.manage');
  const { db } = requireStore(ctx);
  const now = today(ctx);
  const loans = await db.selectFrom('loans').select(['id', 'contract_no', 'status', 'closed_on']).where('id', 'in', input.loanIds).execute();
  if (loans.length !== new Set(input.loanIds).size) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchLoan'));
  const years = (await readSettings(db)).retentionYears;
  for (const l of loans) {
    const until = retentionUntil(l.closed_on, years);
    if (l.status !== 'closed' || !until || until > now) {
      throw new AppError('RULE_VIOLATION', ctx.t('errors.retentionNotEnded', { no: l.contract_no, until: until ? ctx.day(until) : '—', years }));
    }
  }
  const id = await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('destruction_lists')
      .values({ created_by: s.username, created_at: ctx.nowIso(), reason: input.reason, status: 'proposed', first_approver: null, first_at: null, second_approver: null, second_at: null, destroyed_by: null, destroyed_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const l of loans) await trx.insertInto('destruction_items').values({ list_id: r.id, loan_id: l.id }).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'archive.proposeDestruction', entity: 'destruction', entityId: String(r.id), reason: input.reason, detail: { loans: loans.map((l) => l.contract_no) } });
    return r.id;
  });
  return destructionView(ctx, id);
}

/** Two approvals by two different people, neither of them the proposer. */
export async function approveDestruction(ctx: AppContext, input: { listId: number; approve: boolean }): Promise<DestructionListView> {
  const s = requirePermission(ctx, 'archive.approveDestruction');
  const { db } = requireStore(ctx);
  const l = await db.selectFrom('destruction_lists').selectAll().where('id', '=', input.listId).executeTakeFirst();
  if (!l || (l.status !== 'proposed' && l.status !== 'approved-once')) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDestruction'));
  if (l.created_by === s.username || l.first_approver === s.username) throw new AppError('RULE_VIOLATION', ctx.t('errors.destructionSamePerson'));
  const at = ctx.nowIso();
  await db.transaction().execute(async (trx) => {
    if (!input.approve) await trx.updateTable('destruction_lists').set({ status: 'rejected', first_approver: l.first_approver ?? s.username, first_at: l.first_at ?? at }).where('id', '=', l.id).execute();
    else if (l.status === 'proposed') await trx.updateTable('destruction_lists').set({ status: 'approved-once', first_approver: s.username, first_at: at }).where('id', '=', l.id).execute();
    else await trx.updateTable('destruction_lists').set({ status: 'approved', second_approver: s.username, second_at: at }).where('id', '=', l.id).execute();
    await recordAudit(trx, at, { actor: s.username, action: input.approve ? 'archive.approveDestruction' : 'archive.rejectDestruction', entity: 'destruction', entityId: String(l.id) });
  });
  return destructionView(ctx, l.id);
}

export async function destructionLists(ctx: AppContext): Promise<DestructionListView[]> {
  const s = requireSession(ctx);
  if (!can(s.roles, 'archive.manage') && !can(s.roles, 'archive.approveDestruction')) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
  const ids = await requireStore(ctx).db.selectFrom('destruction_lists').select('id').orderBy('id', 'desc').execute();
  return Promise.all(ids.map((r) => destructionView(ctx, r.id)));
}

/** Box labels and file covers with the catalogue of contents, for the loans given. */
export async function labelsPdf(ctx: AppContext, input: { loanIds: number[] }): Promise<{ fileName: string; base64: string }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const types = new Map((await docTypes(ctx)).map((d) => [d.code, d.nameZh]));
  const years = (await readSettings(store.db)).retentionYears;
  const files: FileCover[] = [];
  for (const id of input.loanIds) {
    const loan = await visibleLoan(ctx, store, s, id);
    const b = await store.db.selectFrom('borrowers').select('name').where('id', '=', loan.borrower_id).executeTakeFirstOrThrow();
    const officer = await store.db.selectFrom('users').select('display_name').where('username', '=', loan.officer).executeTakeFirst();
    const loc = await store.db.selectFrom('file_locations').selectAll().where('loan_id', '=', id).executeTakeFirst();
    const docs = await store.db.selectFrom('documents').select(['doc_type', 'file_name', 'created_at']).where('loan_id', '=', id).where('removed_at', 'is', null).orderBy('id').execute();
    files.push({
      contractNo: loan.contract_no,
      borrower: b.name,
      officer: officer?.display_name ?? loan.officer,
      product: loan.product,
      startDate: loan.start_date,
      maturityDate: loan.maturity_date,
      closedOn: loan.closed_on,
      retentionUntil: retentionUntil(loan.closed_on, years),
      retentionYears: years,
      location: loc ?? null,
      documents: docs.map((d) => ({ docType: types.get(d.doc_type) ?? d.doc_type, fileName: d.file_name, createdAt: d.created_at })),
    });
  }
  const pdf = await renderPdf(ctx.paths.resourcesDir, labelsDoc(files, await letterhead(ctx, store)));
  return { fileName: `档案封面_${files[0].contractNo}${files.length > 1 ? `等${files.length}份` : ''}.pdf`, base64: pdf.toString('base64') };
}

/**
 * Moves loans to another officer and prints the handover list (移交清单) for both to sign. Supervisors only;
 * the receiving user must be an active credit officer or supervisor.
 */
export async function reassignLoans(ctx: AppContext, input: { loanIds: number[]; toOfficer: string; reason: string }): Promise<{ fileName: string; base64: string }> {
  const s = requirePermission(ctx, 'loans.reassign');
  const store = requireStore(ctx);
  const to = await store.db.selectFrom('users').select(['display_name', 'roles', 'disabled']).where('username', '=', input.toOfficer).executeTakeFirst();
  if (!to || to.disabled || !(JSON.parse(to.roles) as string[]).some((r) => r === 'officer' || r === 'supervisor')) {
    throw new AppError('VALIDATION', ctx.t('errors.notAnOfficer'), [{ path: 'toOfficer', message: ctx.t('errors.notAnOfficer') }]);
  }
  const loans: LoanRow[] = [];
  for (const id of input.loanIds) loans.push(await visibleLoan(ctx, store, s, id));
  const from = [...new Set(loans.map((l) => l.officer))];
  const fromNames = await store.db.selectFrom('users').select('display_name').where('username', 'in', from).execute();
  const items: HandoverLoan[] = [];
  for (const l of loans) {
    const b = await store.db.selectFrom('borrowers').select('name').where('id', '=', l.borrower_id).executeTakeFirstOrThrow();
    const st = await store.db.selectFrom('loan_status').select('balance_fen').where('loan_id', '=', l.id).executeTakeFirst();
    const loc = await store.db.selectFrom('file_locations').selectAll().where('loan_id', '=', l.id).executeTakeFirst();
    const docs = await store.db.selectFrom('documents').select((e) => e.fn.countAll<number>().as('n')).where('loan_id', '=', l.id).where('removed_at', 'is', null).executeTakeFirstOrThrow();
    const certs = await store.db
      .selectFrom('certificates as c')
      .innerJoin('collateral as k', 'k.id', 'c.collateral_id')
      .select(['c.cert_no'])
      .where('k.loan_id', '=', l.id)
      .where('c.custody', '=', 'vault')
      .execute();
    const warnings = await store.db.selectFrom('warnings').select((e) => e.fn.countAll<number>().as('n')).where('loan_id', '=', l.id).where('status', 'in', ['raised', 'planned', 'feedback']).executeTakeFirstOrThrow();
    items.push({
      contractNo: l.contract_no,
      borrower: b.name,
      balanceFen: st?.balance_fen ?? l.principal_fen,
      location: loc ? `${loc.room} ${loc.cabinet}-${loc.shelf}-${loc.box}` : '未登记',
      documents: docs.n,
      certificates: certs.map((c) => c.cert_no),
      openWarnings: warnings.n,
    });
  }
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    for (const l of loans) {
      await trx.updateTable('loans').set({ officer: input.toOfficer, updated_at: now }).where('id', '=', l.id).execute();
      await trx.insertInto('loan_events').values({ loan_id: l.id, event_date: today(ctx), kind: 'handover', detail: JSON.stringify({ from: l.officer, to: input.toOfficer, reason: input.reason }), created_by: s.username, created_at: now }).execute();
    }
    await recordAudit(trx, now, { actor: s.username, action: 'loans.reassign', entity: 'loan', entityId: loans.map((l) => l.id).join(','), reason: input.reason, detail: { from, to: input.toOfficer } });
  });
  const pdf = await renderPdf(
    ctx.paths.resourcesDir,
    handoverDoc({ from: fromNames.map((f) => f.display_name).join('、'), to: to.display_name, reason: input.reason, date: today(ctx), loans: items }, await letterhead(ctx, store)),
  );
  return { fileName: `移交清单_${today(ctx)}.pdf`, base64: pdf.toString('base64') };
}
