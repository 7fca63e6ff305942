import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { MessageKey } from '../../../shared/i18n';
import { AppError } from '../../../shared/ipc/errors';
import { addDays, todayIn } from '../../../shared/domain';
import { OPEN_WARNING_STATUSES, PLAN_DUE_DAYS } from '../../../shared/domain/warnings';
import type { AutoRule, SignalCategory, SignalView, WarningLevel, WarningDetail, WarningDetailKind, WarningStatus, WarningView } from '../../../shared/ipc/warnings';
import { seesAllLoans } from '../../../shared/permissions';
import { lastWarningId, raiseAutoWarnings, seriousWarningsAfter } from '../../db/bulk';
import type { Database, WarningSignalsTable, WarningsTable } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, type Session, today } from '../../kernel/context';
import { emit, type KernelEvents } from '../../kernel/events';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import type { Store } from '../../kernel/store';
import { requireStore } from '../../kernel/storeAccess';

type Db = Kysely<Database> | Transaction<Database>;
type SignalRow = Omit<WarningSignalsTable, 'id'> & { id: number };
type WarningRow = Omit<WarningsTable, 'id'> & { id: number };

// 资产负债率过高 (above `debtRatioLimitPercent`, one decimal as the report shows it) and 资产负债率较上期大幅上升 (a rise
// of at least `debtRatioJumpPoints` between two signed reports) read their thresholds from the settings.

interface SeedSignal {
  code: string;
  category: SignalCategory;
  nameZh: string;
  nameEn: string;
  level: WarningLevel;
  autoRule: AutoRule | null;
}

/** The common post-loan warning signals; seeded once by code, then the risk department's to edit. */
export const SEED_SIGNALS: readonly SeedSignal[] = [
  { code: 'overdue-30', category: 'borrower', nameZh: '逾期超过30天', nameEn: 'Overdue more than 30 days', level: 'medium', autoRule: 'dpd30' },
  { code: 'overdue-90', category: 'borrower', nameZh: '逾期超过90天', nameEn: 'Overdue more than 90 days', level: 'serious', autoRule: 'dpd90' },
  { code: 'interest-arrears', category: 'borrower', nameZh: '拖欠利息', nameEn: 'Interest in arrears', level: 'medium', autoRule: null },
  { code: 'lawsuit', category: 'borrower', nameZh: '涉诉或被执行', nameEn: 'Lawsuit or enforcement against the borrower', level: 'serious', autoRule: null },
  { code: 'lost-contact', category: 'borrower', nameZh: '失联', nameEn: 'Loss of contact', level: 'serious', autoRule: null },
  { code: 'management-change', category: 'borrower', nameZh: '实际控制人或高管变动', nameEn: 'Change of controller or senior management', level: 'medium', autoRule: null },
  { code: 'revenue-collapse', category: 'borrower', nameZh: '营业收入大幅下降', nameEn: 'Sharp fall in revenue', level: 'serious', autoRule: null },
  { code: 'debt-ratio-high', category: 'borrower', nameZh: '资产负债率过高', nameEn: 'Debt-to-asset ratio too high', level: 'medium', autoRule: 'debtRatio' },
  { code: 'debt-ratio-jump', category: 'borrower', nameZh: '资产负债率较上期大幅上升', nameEn: 'Debt-to-asset ratio up sharply since the last report', level: 'medium', autoRule: 'debtRatioJump' },
  { code: 'funds-diverted', category: 'borrower', nameZh: '挪用贷款资金', nameEn: 'Loan funds diverted', level: 'serious', autoRule: null },
  { code: 'business-stopped', category: 'borrower', nameZh: '停产停业', nameEn: 'Business stopped', level: 'serious', autoRule: null },
  { code: 'missed-inspection', category: 'borrower', nameZh: '未按期贷后检查', nameEn: 'Post-loan inspection missed', level: 'light', autoRule: 'missedInspection' },
  { code: 'guarantor-deterioration', category: 'guarantor', nameZh: '保证人经营或财务恶化', nameEn: 'Guarantor’s business or finances deteriorating', level: 'medium', autoRule: null },
  { code: 'collateral-ltv', category: 'collateral', nameZh: '抵押率超过上限', nameEn: 'Loan-to-value above the limit', level: 'medium', autoRule: 'ltv' },
  { code: 'collateral-seized', category: 'collateral', nameZh: '抵质押物被查封', nameEn: 'Collateral seized by a court', level: 'serious', autoRule: null },
  { code: 'collateral-damaged', category: 'collateral', nameZh: '抵质押物毁损', nameEn: 'Collateral damaged', level: 'medium', autoRule: null },
  { code: 'debtor-dispute', category: 'factoring', nameZh: '买方商务纠纷', nameEn: 'Account debtor disputes the receivable', level: 'serious', autoRule: null },
  { code: 'receivable-dilution', category: 'factoring', nameZh: '应收账款稀释', nameEn: 'Receivable dilution', level: 'medium', autoRule: null },
  { code: 'misdirected-payment', category: 'factoring', nameZh: '回款未进入指定账户', nameEn: 'Debtor paid the seller instead of the collection account', level: 'medium', autoRule: null },
];

const OPEN: readonly WarningStatus[] = OPEN_WARNING_STATUSES;
const isOpen = (s: WarningStatus) => OPEN.includes(s);

/** Inserts the seed signals that are missing (by code) and returns their codes; nothing else is touched, so edits survive. */
export async function seedCatalogue(db: Db, at: string): Promise<string[]> {
  const have = new Set((await db.selectFrom('warning_signals').select('code').where('code', 'in', SEED_SIGNALS.map((s) => s.code)).execute()).map((r) => r.code));
  const missing = SEED_SIGNALS.filter((s) => !have.has(s.code));
  if (missing.length === 0) return [];
  await db
    .insertInto('warning_signals')
    .values(missing.map((s) => ({ code: s.code, category: s.category, name_zh: s.nameZh, name_en: s.nameEn, level: s.level, auto_rule: s.autoRule, active: 1, updated_by: 'system', updated_at: at })))
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  return missing.map((s) => s.code);
}

/**
 * Setup seeds the catalogue in its own transaction (`setup.create` names the codes); a store from before that
 * gets it at sign-in, or on the first write that needs a signal, with an entry of its own. Reads never seed.
 */
export async function ensureCatalogue(db: Db, at: string): Promise<void> {
  const have = await db.selectFrom('warning_signals').select((e) => e.fn.countAll<number>().as('n')).where('code', 'in', SEED_SIGNALS.map((s) => s.code)).executeTakeFirstOrThrow();
  if (Number(have.n) === SEED_SIGNALS.length) return;
  // Inside a caller's transaction (a reaction), seed in it; otherwise in a transaction of its own.
  const inTransaction = (f: (trx: Transaction<Database>) => Promise<void>) => (db.isTransaction ? f(db as Transaction<Database>) : (db as Kysely<Database>).transaction().execute(f));
  await inTransaction(async (trx) => {
    const codes = await seedCatalogue(trx, at);
    if (codes.length > 0) await recordAudit(trx, at, { actor: 'system', action: 'warnings.seedCatalogue', entity: 'warningSignal', entityId: 'catalogue', detail: { codes } });
  });
}

function signalView(ctx: AppContext, g: SignalRow): SignalView {
  return {
    id: g.id,
    code: g.code,
    category: g.category,
    nameZh: g.name_zh,
    nameEn: g.name_en,
    name: ctx.config.locale === 'en' ? g.name_en : g.name_zh,
    level: g.level,
    autoRule: g.auto_rule as AutoRule | null,
    active: !!g.active,
    updatedBy: g.updated_by,
    updatedAt: g.updated_at,
  };
}

export async function listSignals(ctx: AppContext): Promise<SignalView[]> {
  requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const rows = (await store.db.selectFrom('warning_signals').selectAll().orderBy('id').execute()) as SignalRow[];
  const order: SignalCategory[] = ['borrower', 'guarantor', 'collateral', 'factoring'];
  return rows.sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category) || a.id - b.id).map((g) => signalView(ctx, g));
}

/** The risk department edits the catalogue; an automatic signal keeps its rule, a new signal is raised by staff. */
export async function saveSignal(
  ctx: AppContext,
  input: { id: number | null; nameZh: string; nameEn: string; level: WarningLevel; category: SignalCategory; active: boolean },
): Promise<SignalView> {
  const s = requirePermission(ctx, 'warnings.catalogue');
  const store = requireStore(ctx);
  const now = ctx.nowIso();
  await ensureCatalogue(store.db, now);
  const before = input.id ? ((await store.db.selectFrom('warning_signals').selectAll().where('id', '=', input.id).executeTakeFirst()) as SignalRow | undefined) : undefined;
  if (input.id && !before) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchSignal'));
  let dupQ = store.db.selectFrom('warning_signals').select('id').where('name_zh', '=', input.nameZh);
  if (input.id) dupQ = dupQ.where('id', '!=', input.id);
  const dup = await dupQ.executeTakeFirst();
  if (dup) {
    const message = ctx.t('errors.duplicateSignalName', { name: input.nameZh });
    throw new AppError('CONFLICT', message, [{ path: 'nameZh', message }], { entity: 'warningSignal', id: dup.id });
  }
  const values = { name_zh: input.nameZh, name_en: input.nameEn, level: input.level, category: input.category, active: input.active ? 1 : 0, updated_by: s.username, updated_at: now };
  const id = await store.db.transaction().execute(async (trx) => {
    let signalId: number;
    if (before) {
      await trx.updateTable('warning_signals').set(values).where('id', '=', before.id).execute();
      signalId = before.id;
    } else {
      const next = (await trx.selectFrom('warning_signals').select((e) => e.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0;
      signalId = (
        await trx
          .insertInto('warning_signals')
          .values({ ...values, code: `custom-${Number(next) + 1}`, auto_rule: null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    await recordAudit(trx, now, {
      actor: s.username,
      action: before ? 'warnings.updateSignal' : 'warnings.createSignal',
      entity: 'warningSignal',
      entityId: String(signalId),
      detail: { before: before ?? null, after: input },
    });
    return signalId;
  });
  return signalView(ctx, (await store.db.selectFrom('warning_signals').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as SignalRow);
}

// ---------------------------------------------------------------------------------------------------------
// Details. Stored as JSON: `{text}` as staff wrote it, or `{key, params, ref}` worded in the reader's language.
// `ref` names the fact an automatic warning is about (an unpaid due date, a report, an inspection, a valuation),
// so the batch never raises the same fact twice, even after the warning was closed.

interface StoredDetail {
  text?: string;
  key?: WarningDetailKind;
  params?: Record<string, string | number>;
  ref?: string;
}

const DETAIL_KINDS: readonly WarningDetailKind[] = ['dpd', 'debtRatio', 'debtRatioJump', 'missedInspection', 'ltv', 'escalated', 'lostContact', 'misdirectedPayment', 'dilution'];

/** The stored detail as the contract carries it, and the warning it was escalated from. */
function readDetail(raw: string): { detail: WarningDetail; from: number | null } {
  let d: StoredDetail;
  try {
    d = JSON.parse(raw) as StoredDetail;
  } catch {
    return { detail: { kind: 'text', text: raw }, from: null };
  }
  if (typeof d.text === 'string') return { detail: { kind: 'text', text: d.text }, from: null };
  if (d.key && DETAIL_KINDS.includes(d.key)) {
    const params = d.params ?? {};
    return { detail: { kind: d.key, params }, from: d.key === 'escalated' ? Number(params.from ?? 0) || null : null };
  }
  return { detail: { kind: 'text', text: raw }, from: null };
}

// ---------------------------------------------------------------------------------------------------------
// Views.

/**
 * A serious open warning suggests reviewing the loan's class until someone proposes one after it was raised;
 * not for a loan already at its floor by the very rule that raised the warning (the days past due: the floor
 * has taken them in), nor for a loan classed 损失 (no class is worse). Needs `w` and its signal `g`.
 */
export function reviewSuggestedExpr() {
  return sql<SqlBool>`(w.level = 'serious' AND w.status IN ('raised','planned','feedback') AND NOT EXISTS (
    SELECT 1 FROM classifications c WHERE c.loan_id = w.loan_id AND c.status != 'system' AND c.proposed_at >= w.raised_at)
    AND NOT EXISTS (SELECT 1 FROM loan_status ls WHERE ls.loan_id = w.loan_id
      AND (ls.level = 'loss' OR (ls.level = ls.floor_level AND g.auto_rule IN ('dpd30','dpd90')))))`;
}

export function warningJoin(db: Db) {
  return db
    .selectFrom('warnings as w')
    .innerJoin('loans as l', 'l.id', 'w.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .innerJoin('warning_signals as g', 'g.id', 'w.signal_id');
}

export type WarningJoin = ReturnType<typeof warningJoin>;

/** Warnings with what a view needs; `filter` narrows the joined rows (the same filter can count them). */
export function warningBase(db: Db, filter: (q: WarningJoin) => WarningJoin = (q) => q) {
  return filter(warningJoin(db))
    .selectAll('w')
    .select(['l.contract_no', 'l.officer', 'b.name as borrower_name', 'g.code', 'g.name_zh', 'g.name_en', 'g.category'])
    .select(sql<number | null>`(SELECT max(x.id) FROM inspections x WHERE x.loan_id = w.loan_id AND x.warning_id = w.id)`.as('inspection_id'))
    .select(reviewSuggestedExpr().as('review_suggested'));
}

export type WarningListRow = Awaited<ReturnType<ReturnType<typeof warningBase>['execute']>>[number];

export function warningView(ctx: AppContext, r: WarningListRow, now = today(ctx)): WarningView {
  const d = readDetail(r.detail);
  const open = isOpen(r.status);
  // Until its plan sets one, the disposal is due PLAN_DUE_DAYS after the (Beijing) day the warning was raised.
  const planDue = r.plan_due ?? addDays(todayIn(new Date(r.raised_at)), PLAN_DUE_DAYS);
  return {
    id: r.id,
    loanId: r.loan_id,
    contractNo: r.contract_no,
    borrowerName: r.borrower_name,
    signalId: r.signal_id,
    signalCode: r.code,
    signalNames: { zh: r.name_zh, en: r.name_en },
    category: r.category,
    level: r.level,
    source: r.source,
    status: r.status,
    open,
    detail: d.detail,
    escalatedFrom: d.from,
    owner: r.owner,
    raisedBy: r.raised_by,
    raisedAt: r.raised_at,
    plan: r.plan,
    planBy: r.plan_by,
    planAt: r.plan_at,
    planDue,
    planOverdue: open && planDue < now,
    feedback: r.feedback,
    feedbackBy: r.feedback_by,
    feedbackAt: r.feedback_at,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
    closedNote: r.closed_note,
    closedBy: r.closed_by,
    closedAt: r.closed_at,
    inspectionId: r.inspection_id,
    reviewSuggested: !!r.review_suggested,
  };
}

async function getWarning(ctx: AppContext, db: Db, id: number): Promise<WarningView> {
  return warningView(ctx, await warningBase(db).where('w.id', '=', id).executeTakeFirstOrThrow());
}

export async function listWarnings(ctx: AppContext, input: { loanId: number | null; status: 'open' | 'closed' | 'all' }): Promise<WarningView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  if (input.loanId) await visibleLoan(ctx, store, s, input.loanId);
  let q = warningBase(store.db);
  if (!seesAllLoans(s.roles)) q = q.where('l.officer', '=', s.username);
  if (input.loanId) q = q.where('w.loan_id', '=', input.loanId);
  if (input.status === 'open') q = q.where('w.status', 'in', OPEN);
  if (input.status === 'closed') q = q.where('w.status', 'not in', OPEN);
  const rows = await q.orderBy('w.raised_at', 'desc').orderBy('w.id', 'desc').limit(2000).execute();
  const now = today(ctx);
  return rows.map((r) => warningView(ctx, r, now));
}

// ---------------------------------------------------------------------------------------------------------
// The loop: raised → plan → feedback → a supervisor confirms (clear or escalate).

async function insertWarning(
  ctx: AppContext,
  trx: Transaction<Database>,
  w: { loanId: number; signal: SignalRow; level: WarningLevel; detail: StoredDetail; owner: string; raisedBy: string; source?: 'auto' | 'manual' },
): Promise<number> {
  const now = ctx.nowIso();
  const { id } = await trx
    .insertInto('warnings')
    .values({
      loan_id: w.loanId,
      signal_id: w.signal.id,
      source: w.source ?? 'manual',
      level: w.level,
      detail: JSON.stringify(w.detail),
      status: 'raised',
      owner: w.owner,
      raised_by: w.raisedBy,
      raised_at: now,
      plan: null,
      plan_by: null,
      plan_at: null,
      plan_due: null,
      feedback: null,
      feedback_by: null,
      feedback_at: null,
      confirmed_by: null,
      confirmed_at: null,
      closed_note: null,
      closed_by: null,
      closed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let inspectionId: number | null = null;
  // A serious warning is checked on site within the set working days (inspections plans it).
  if (w.level === 'serious') {
    await emit('warnings.seriousRaised', { ctx, db: trx, warnings: [{ id, loanId: w.loanId }] });
    inspectionId = (await trx.selectFrom('inspections').select('id').where('warning_id', '=', id).orderBy('id', 'desc').executeTakeFirst())?.id ?? null;
  }
  await recordAudit(trx, now, {
    actor: w.raisedBy,
    action: 'warnings.raise',
    entity: 'warning',
    entityId: String(id),
    detail: { loanId: w.loanId, signal: w.signal.code, level: w.level, detail: w.detail, owner: w.owner, specialInspectionId: inspectionId },
  });
  return id;
}

async function openWarningOf(db: Db, loanId: number, signalId: number) {
  return db.selectFrom('warnings').select('id').where('loan_id', '=', loanId).where('signal_id', '=', signalId).where('status', 'in', OPEN).executeTakeFirst();
}

export async function raiseWarning(ctx: AppContext, input: { loanId: number; signalId: number; detail: string }): Promise<WarningView> {
  const s = requirePermission(ctx, 'warnings.raise');
  const store = requireStore(ctx);
  await ensureCatalogue(store.db, ctx.nowIso());
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (loan.status !== 'active') throw new AppError('RULE_VIOLATION', ctx.t('errors.warningLoanNotActive'));
  const signal = (await store.db.selectFrom('warning_signals').selectAll().where('id', '=', input.signalId).executeTakeFirst()) as SignalRow | undefined;
  const onSignal = (code: 'NOT_FOUND' | 'RULE_VIOLATION', message: string) => new AppError(code, message, [{ path: 'signalId', message }]);
  if (!signal) throw onSignal('NOT_FOUND', ctx.t('errors.noSuchSignal'));
  const name = ctx.config.locale === 'en' ? signal.name_en : signal.name_zh;
  if (!signal.active) throw onSignal('RULE_VIOLATION', ctx.t('errors.signalInactive', { name }));
  const id = await store.db.transaction().execute(async (trx) => {
    // Checked inside the transaction, so two people raising the same signal at once get one warning.
    const open = await openWarningOf(trx, loan.id, signal.id);
    if (open) throw new AppError('CONFLICT', ctx.t('errors.warningAlreadyOpen', { name, id: open.id }), undefined, { entity: 'warning', id: open.id });
    return insertWarning(ctx, trx, { loanId: loan.id, signal, level: signal.level, detail: { text: input.detail }, owner: loan.officer, raisedBy: s.username });
  });
  return getWarning(ctx, store.db, id);
}

/**
 * 3-3-3 met (three numbers, three times of day, three unanswered calls in a row): the 失联 signal is raised on
 * its own, owned by the loan's officer, unless the signal is switched off or one is already open. Runs in the
 * contact's transaction (a reaction to `contacts.lostContact`).
 */
export async function raiseLostContact(p: KernelEvents['contacts.lostContact']): Promise<void> {
  const { ctx, db } = p;
  await ensureCatalogue(db, ctx.nowIso());
  const signal = (await db.selectFrom('warning_signals').selectAll().where('code', '=', 'lost-contact').executeTakeFirst()) as SignalRow | undefined;
  if (!signal || !signal.active) return;
  if (await openWarningOf(db, p.loanId, signal.id)) return;
  await insertWarning(ctx, db as Transaction<Database>, {
    loanId: p.loanId,
    signal,
    level: signal.level,
    detail: { key: 'lostContact', params: { ...p.progress, lastOn: p.lastOn } },
    owner: p.owner,
    raisedBy: p.actor,
    source: 'auto',
  });
}

/**
 * A factoring debtor paid the seller instead of the collection account: the 回款未进入指定账户 signal is raised,
 * owned by the financing's officer, unless it is switched off or one is already open on the financing (the
 * payment is then recorded on the receivable only). Runs in the recording's transaction.
 */
export async function raiseMisdirectedPayment(p: KernelEvents['factoring.misdirectedPayment']): Promise<void> {
  const { ctx, db } = p;
  await ensureCatalogue(db, ctx.nowIso());
  const signal = (await db.selectFrom('warning_signals').selectAll().where('code', '=', 'misdirected-payment').executeTakeFirst()) as SignalRow | undefined;
  if (!signal || !signal.active) return;
  if (await openWarningOf(db, p.loanId, signal.id)) return;
  await insertWarning(ctx, db as Transaction<Database>, {
    loanId: p.loanId,
    signal,
    level: signal.level,
    detail: { key: 'misdirectedPayment', params: { invoiceNo: p.invoiceNo, debtor: p.debtor, amountFen: p.amountFen, paidOn: p.paidOn } },
    owner: p.owner,
    raisedBy: p.actor,
    source: 'auto',
  });
}

/**
 * A receivable disputed by its debtor raises 买方商务纠纷 (serious: its special inspection is planned), a credit note
 * or a return 应收账款稀释; owned by the financing's officer, one open of each per financing, as above.
 */
export async function raiseDilution(p: KernelEvents['factoring.diluted']): Promise<void> {
  const { ctx, db } = p;
  await ensureCatalogue(db, ctx.nowIso());
  const code = p.kind === 'dispute' ? 'debtor-dispute' : 'receivable-dilution';
  const signal = (await db.selectFrom('warning_signals').selectAll().where('code', '=', code).executeTakeFirst()) as SignalRow | undefined;
  if (!signal || !signal.active) return;
  if (await openWarningOf(db, p.loanId, signal.id)) return;
  await insertWarning(ctx, db as Transaction<Database>, {
    loanId: p.loanId,
    signal,
    level: signal.level,
    detail: { key: 'dilution', params: { kind: p.kind, invoiceNo: p.invoiceNo, debtor: p.debtor, amountFen: p.amountFen, on: p.on } },
    owner: p.owner,
    raisedBy: p.actor,
    source: 'auto',
  });
}

async function warningRow(ctx: AppContext, store: Store, s: Session, warningId: number): Promise<WarningRow> {
  const w = (await store.db.selectFrom('warnings').selectAll().where('id', '=', warningId).executeTakeFirst()) as WarningRow | undefined;
  if (!w) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchWarning'));
  await visibleLoan(ctx, store, s, w.loan_id);
  return w;
}

function wrongStep(ctx: AppContext, status: WarningStatus): AppError {
  return new AppError('RULE_VIOLATION', ctx.t('errors.warningWrongStep', { status: ctx.t(`warnings.status.${status}` as MessageKey) }));
}

/** Only the owner (the loan's officer when it was raised) plans and reports back. */
async function ownedOpen(ctx: AppContext, warningId: number, allowed: readonly WarningStatus[]): Promise<{ s: Session; store: Store; w: WarningRow }> {
  const s = requirePermission(ctx, 'warnings.handle');
  const store = requireStore(ctx);
  const w = await warningRow(ctx, store, s, warningId);
  if (w.owner !== s.username) throw new AppError('FORBIDDEN', ctx.t('errors.notWarningOwner', { owner: w.owner }));
  if (!allowed.includes(w.status)) throw wrongStep(ctx, w.status);
  return { s, store, w };
}

export async function planWarning(ctx: AppContext, input: { warningId: number; plan: string; dueDate: string }): Promise<WarningView> {
  const { s, store, w } = await ownedOpen(ctx, input.warningId, ['raised', 'planned']);
  if (input.dueDate < today(ctx)) {
    const message = ctx.t('errors.planDueInPast');
    throw new AppError('RULE_VIOLATION', message, [{ path: 'dueDate', message }]);
  }
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('warnings').set({ status: 'planned', plan: input.plan, plan_by: s.username, plan_at: now, plan_due: input.dueDate }).where('id', '=', w.id).execute();
    await recordAudit(trx, now, {
      actor: s.username,
      action: 'warnings.plan',
      entity: 'warning',
      entityId: String(w.id),
      detail: { plan: input.plan, dueDate: input.dueDate, previous: w.plan ? { plan: w.plan, dueDate: w.plan_due, at: w.plan_at } : null },
    });
  });
  return getWarning(ctx, store.db, w.id);
}

export async function feedbackWarning(ctx: AppContext, input: { warningId: number; feedback: string }): Promise<WarningView> {
  const { s, store, w } = await ownedOpen(ctx, input.warningId, ['planned']);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('warnings').set({ status: 'feedback', feedback: input.feedback, feedback_by: s.username, feedback_at: now }).where('id', '=', w.id).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'warnings.feedback', entity: 'warning', entityId: String(w.id), detail: { feedback: input.feedback } });
  });
  return getWarning(ctx, store.db, w.id);
}

/**
 * A supervisor other than the owner closes the loop with a written note: cleared after the owner's feedback,
 * or escalated at any open step — the warning closes as escalated and a serious one of the same signal opens.
 */
export async function confirmWarning(
  ctx: AppContext,
  input: { warningId: number; outcome: 'clear' | 'escalate'; note: string },
): Promise<{ warning: WarningView; escalation: WarningView | null }> {
  const s = requirePermission(ctx, 'warnings.confirm');
  const store = requireStore(ctx);
  const w = await warningRow(ctx, store, s, input.warningId);
  if (w.owner === s.username) throw new AppError('RULE_VIOLATION', ctx.t('errors.ownWarning'));
  if (!isOpen(w.status)) throw wrongStep(ctx, w.status);
  const note = input.note.trim();
  if (!note) {
    const message = ctx.t('errors.warningNoteRequired');
    throw new AppError('VALIDATION', message, [{ path: 'note', message }]);
  }
  if (input.outcome === 'clear' && w.status !== 'feedback') throw new AppError('RULE_VIOLATION', ctx.t('errors.clearNeedsFeedback'));
  const now = ctx.nowIso();
  const escalationId = await store.db.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable('warnings')
      .set({ status: input.outcome === 'clear' ? 'cleared' : 'escalated', confirmed_by: s.username, confirmed_at: now, closed_note: note, closed_by: s.username, closed_at: now })
      .where('id', '=', w.id)
      .where('status', '=', w.status)
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) !== 1) throw new AppError('CONFLICT', ctx.t('errors.warningChanged'));
    await recordAudit(trx, now, {
      actor: s.username,
      action: input.outcome === 'clear' ? 'warnings.clear' : 'warnings.escalate',
      entity: 'warning',
      entityId: String(w.id),
      reason: note,
      detail: { owner: w.owner, statusBefore: w.status },
    });
    if (input.outcome === 'clear') return null;
    const signal = (await trx.selectFrom('warning_signals').selectAll().where('id', '=', w.signal_id).executeTakeFirstOrThrow()) as SignalRow;
    const loan = await trx.selectFrom('loans').select('officer').where('id', '=', w.loan_id).executeTakeFirstOrThrow();
    return insertWarning(ctx, trx, {
      loanId: w.loan_id,
      signal,
      level: 'serious',
      detail: { key: 'escalated', params: { from: w.id, note } },
      owner: loan.officer,
      raisedBy: s.username,
    });
  });
  return { warning: await getWarning(ctx, store.db, w.id), escalation: escalationId ? await getWarning(ctx, store.db, escalationId) : null };
}

/**
 * Raises the automatic warnings for the batch's as-of date. A loan gets a signal again only when none of that
 * signal is open on it and the fact behind it is new; serious ones get their special inspection in the same pass.
 */
export async function detectWarnings(ctx: AppContext, store: Store, asOf: string, actor: string): Promise<{ raised: number; byCode: Record<string, number> }> {
  const at = ctx.nowIso();
  await ensureCatalogue(store.db, at);
  const signals = (await store.db.selectFrom('warning_signals').selectAll().where('active', '=', 1).where('auto_rule', 'is not', null).orderBy('id').execute()) as SignalRow[];
  if (signals.length === 0) return { raised: 0, byCode: {} };
  const { ltvLimitPercent: ltvLimit, debtRatioLimitPercent, debtRatioJumpPoints } = await readSettings(store.db);
  const byCode: Record<string, number> = {};
  let raised = 0;
  // The bulk statements (db/bulk.ts: SQLite's on the store's one connection, PostgreSQL's on the transaction's) run
  // inside Kysely's transaction, so a signal's warnings, their special inspections and its audit entry are written
  // together or not at all. One transaction per signal: the write lock (on the branch server the writer lock) is
  // held for one rule at a time, not for all of them, so what users save meanwhile waits less.
  for (const g of signals) {
    await store.db.transaction().execute(async (trx) => {
      const before = await lastWarningId(trx);
      const n = await raiseAutoWarnings(store, trx, { id: g.id, rule: g.auto_rule as AutoRule, level: g.level }, { asOf, actor, at, ltvLimitPercent: ltvLimit, debtRatioPercent: debtRatioLimitPercent, debtRatioJumpPoints });
      if (n === 0) return;
      byCode[g.code] = n;
      raised += n;
      const after = await lastWarningId(trx);
      const serious = await seriousWarningsAfter(trx, before);
      await emit('warnings.seriousRaised', { ctx, db: trx, warnings: serious });
      await recordAudit(trx, at, { actor, action: 'warnings.detect', entity: 'portfolio', entityId: asOf, detail: { code: g.code, raised: n, ids: [before + 1, after], specialInspections: serious.length } });
      if (g.auto_rule === 'dpd90') await supersedeDpd30(ctx, trx, before, at, actor);
    });
  }
  return { raised, byCode };
}

/**
 * Past 90 days the serious overdue warning takes over: a loan's over-30-days warning still open is closed as
 * escalated (已升级), naming the warning raised in its place, so the loan has one open overdue warning and the
 * owner works one loop. `before`: the last warning id before this run's over-90 warnings.
 */
async function supersedeDpd30(ctx: AppContext, trx: Transaction<Database>, before: number, at: string, actor: string): Promise<void> {
  const stale = await trx
    .selectFrom('warnings as w')
    .innerJoin('warning_signals as g', 'g.id', 'w.signal_id')
    .innerJoin('warnings as n', 'n.loan_id', 'w.loan_id')
    .innerJoin('warning_signals as ng', 'ng.id', 'n.signal_id')
    .select(['w.id', 'w.status', 'n.id as by'])
    .where('g.auto_rule', '=', 'dpd30')
    .where('w.status', 'in', OPEN)
    .where('ng.auto_rule', '=', 'dpd90')
    .where('n.id', '>', before)
    .orderBy('w.id')
    .execute();
  if (stale.length === 0) return;
  for (const w of stale) {
    await trx
      .updateTable('warnings')
      .set({ status: 'escalated', confirmed_by: actor, confirmed_at: at, closed_note: ctx.t('warnings.supersededBy', { id: w.by }), closed_by: actor, closed_at: at })
      .where('id', '=', w.id)
      .where('status', '=', w.status)
      .execute();
  }
  await recordAudit(trx, at, { actor, action: 'warnings.supersede', entity: 'portfolio', entityId: 'overdue-30', detail: { closed: stale.map((w) => [w.id, w.by]) } });
}
