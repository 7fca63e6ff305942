import { formatFen } from '../../../shared/domain';
import { AppError } from '../../../shared/ipc/errors';
import type { AdjustmentKind, DebtorView, FactoringView } from '../../../shared/ipc/factoring';
import { OPEN_WARNING_STATUSES } from '../../../shared/ipc/warnings';
import { seesAllLoans } from '../../../shared/permissions';
import { recordAudit } from '../../kernel/audit';
import { requirePermission, visibleLoan } from '../../kernel/authz';
import { type AppContext, type Session, today } from '../../kernel/context';
import { emit } from '../../kernel/events';
import { requireStore, type Store } from '../../kernel/store';
import { checkReceivables, factoringView, insertReceivables, onField, type ReceivableInput } from './factoring';
import { assertDebtorLimits, figuresFor, openOf, receivableFigures } from './figures';

/**
 * The account debtors' register: each debtor's exposure is its open receivables (after effective payments,
 * buy-backs and dilution) on every active financing, whoever the seller. An officer sees the debtors of the
 * financings they hold, with the company's exposure to them; other business roles see every debtor.
 */
export async function listDebtors(ctx: AppContext): Promise<DebtorView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const debtors = await store.db.selectFrom('debtors').select(['id', 'name', 'credit_code', 'related_party', 'limit_fen']).orderBy('name').execute();
  const rows = await store.db
    .selectFrom('receivables as r')
    .innerJoin('loans as l', 'l.id', 'r.loan_id')
    .select(['r.id', 'r.debtor_id', 'r.seller_id', 'r.invoice_amount_fen', 'r.confirmation', 'l.status', 'l.officer'])
    .execute();
  const mine = seesAllLoans(s.roles) ? null : new Set(rows.filter((r) => r.officer === s.username).map((r) => r.debtor_id));
  const active = rows.filter((r) => r.status === 'active');
  const figures = await receivableFigures(store.db, null);
  const out: DebtorView[] = [];
  for (const d of debtors) {
    if (mine && !mine.has(d.id)) continue;
    let exposureFen = 0;
    let unconfirmedFen = 0;
    let disputedFen = 0;
    const sellers = new Set<number>();
    let receivables = 0;
    for (const r of active) {
      if (r.debtor_id !== d.id) continue;
      const f = figuresFor(figures, r.id);
      const open = openOf(r.invoice_amount_fen, f);
      disputedFen += f.disputedFen;
      if (open === 0) continue;
      exposureFen += open;
      receivables += 1;
      sellers.add(r.seller_id);
      if (r.confirmation === 'none') unconfirmedFen += open;
    }
    const headroomFen = d.limit_fen === null ? null : d.limit_fen - exposureFen;
    out.push({
      id: d.id,
      name: d.name,
      creditCode: d.credit_code,
      relatedParty: d.related_party === 1,
      limitFen: d.limit_fen,
      exposureFen,
      headroomFen,
      breach: headroomFen !== null && headroomFen < 0,
      sellers: sellers.size,
      receivables,
      unconfirmedFen,
      disputedFen,
    });
  }
  return out.sort((a, b) => Number(b.breach) - Number(a.breach) || b.exposureFen - a.exposureFen || a.name.localeCompare(b.name, 'zh-CN'));
}

/** Sets (or, with null, removes) the limit on one account debtor; audited before → after. */
export async function setDebtorLimit(ctx: AppContext, input: { debtorId: number; limitFen: number | null }): Promise<DebtorView[]> {
  const s = requirePermission(ctx, 'portfolio.reports');
  const store = requireStore(ctx);
  const d = await store.db.selectFrom('debtors').select(['id', 'credit_code', 'limit_fen']).where('id', '=', input.debtorId).executeTakeFirst();
  if (!d) throw new AppError('NOT_FOUND', ctx.t('errors.debtorUnknown'));
  if (d.limit_fen !== input.limitFen) {
    const now = ctx.nowIso();
    await store.db.transaction().execute(async (trx) => {
      await trx.updateTable('debtors').set({ limit_fen: input.limitFen }).where('id', '=', d.id).execute();
      await recordAudit(trx, now, { actor: s.username, action: 'factoring.debtorLimit', entity: 'debtor', entityId: String(d.id), detail: { creditCode: d.credit_code, before: d.limit_fen, after: input.limitFen } });
    });
  }
  return listDebtors(ctx);
}

/** A receivable and its financing, refused like the financing when the caller may not see it. */
async function receivableOf(ctx: AppContext, store: Store, s: Session, receivableId: number) {
  const r = await store.db
    .selectFrom('receivables as r')
    .innerJoin('debtors as d', 'd.id', 'r.debtor_id')
    .select(['r.id', 'r.loan_id', 'r.invoice_no', 'r.invoice_amount_fen', 'r.invoice_date', 'r.due_date', 'r.confirmation', 'd.name as debtor_name'])
    .where('r.id', '=', receivableId)
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchReceivable'));
  const loan = await visibleLoan(ctx, store, s, r.loan_id);
  return { r, loan };
}

/** A business date on a receivable: not before its invoice, not in the future. */
function checkDate(ctx: AppContext, date: string, invoiceDate: string): void {
  if (date < invoiceDate || date > today(ctx)) throw onField('date', ctx.t('errors.receivableDateInvalid', { invoiceDate }));
}

/**
 * 确权: the debtor confirmed the receivable, by its receipt of the assignment notice or by a signed confirmation.
 * A signed confirmation is not replaced by a receipt; the same kind again replaces the date and evidence.
 */
export async function confirmReceivable(ctx: AppContext, input: { receivableId: number; confirmation: 'receipt' | 'signed'; date: string; note: string }): Promise<FactoringView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const { r, loan } = await receivableOf(ctx, store, s, input.receivableId);
  if (r.confirmation === 'signed' && input.confirmation === 'receipt') throw onField('confirmation', ctx.t('errors.confirmationDowngrade'), 'CONFLICT');
  checkDate(ctx, input.date, r.invoice_date);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('receivables').set({ confirmation: input.confirmation, confirmed_on: input.date, confirmation_note: input.note }).where('id', '=', r.id).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'factoring.confirm', entity: 'receivable', entityId: String(r.id), detail: { loanId: loan.id, invoiceNo: r.invoice_no, before: r.confirmation, ...input } });
  });
  return factoringView(ctx, store.db, loan.id);
}

/**
 * Dilution: a credit note, a return or a dispute reduces the receivable by its amount (never below zero); a
 * dispute's resolution gives back at most what is still disputed. Append-only, each entry audited.
 */
export async function adjustReceivable(ctx: AppContext, input: { receivableId: number; kind: Exclude<AdjustmentKind, 'misdirected'>; amountFen: number; date: string; reason: string }): Promise<FactoringView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const { r, loan } = await receivableOf(ctx, store, s, input.receivableId);
  checkDate(ctx, input.date, r.invoice_date);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const f = figuresFor(await receivableFigures(trx, [r.id]), r.id);
    if (input.kind === 'dispute-resolved') {
      if (input.amountFen > f.disputedFen) throw onField('amountFen', ctx.t('errors.resolveOverDisputed', { left: formatFen(f.disputedFen) }));
    } else {
      const open = openOf(r.invoice_amount_fen, f);
      if (input.amountFen > open) throw onField('amountFen', ctx.t('errors.overReceivable', { left: formatFen(open) }));
    }
    await trx
      .insertInto('receivable_adjustments')
      .values({ receivable_id: r.id, kind: input.kind, amount_fen: input.amountFen, adjusted_on: input.date, reason: input.reason, created_by: s.username, created_at: now })
      .execute();
    await recordAudit(trx, now, { actor: s.username, action: 'factoring.adjust', entity: 'receivable', entityId: String(r.id), detail: { loanId: loan.id, invoiceNo: r.invoice_no, ...input } });
    if (input.kind !== 'dispute-resolved') {
      await emit('factoring.diluted', { ctx, db: trx, loanId: loan.id, owner: loan.officer, actor: s.username, kind: input.kind, invoiceNo: r.invoice_no, debtor: r.debtor_name, amountFen: input.amountFen, on: input.date });
    }
  });
  return factoringView(ctx, store.db, loan.id);
}

/**
 * More receivables into an active financing (a pool, a revolving facility). Each must be eligible when added (not
 * past due); afterwards the financing's principal balance must be within ratio × eligible base, or nothing is added.
 */
export async function addReceivables(ctx: AppContext, input: { loanId: number; receivables: ReceivableInput[] }): Promise<FactoringView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const terms = await store.db.selectFrom('factoring_terms').select('financing_ratio').where('loan_id', '=', loan.id).executeTakeFirst();
  if (!terms) throw new AppError('NOT_FOUND', ctx.t('errors.notFactoring'));
  if (loan.status !== 'active') throw new AppError('RULE_VIOLATION', ctx.t('errors.financingNotActive'));
  await checkReceivables(ctx, store.db, loan.borrower_id, input.receivables);
  const now = today(ctx);
  for (const [i, r] of input.receivables.entries()) {
    if (r.dueDate < now) throw onField(`receivables.${i}.dueDate`, ctx.t('errors.receivablePastDue', { no: r.invoiceNo }));
  }
  const at = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await insertReceivables(trx, s.username, at, loan.id, loan.borrower_id, input.receivables);
    await assertDebtorLimits(ctx, trx, input.receivables.map((r) => r.debtorCode));
    const v = await factoringView(ctx, trx, loan.id);
    if (v.balanceFen > v.financeableFen) {
      throw new AppError('RULE_VIOLATION', ctx.t('errors.poolShortfall', { balance: formatFen(v.balanceFen), base: formatFen(v.eligibleBaseFen), ratio: terms.financing_ratio, max: formatFen(v.financeableFen) }));
    }
    await recordAudit(trx, at, {
      actor: s.username,
      action: 'factoring.addReceivables',
      entity: 'loan',
      entityId: String(loan.id),
      detail: { invoices: input.receivables.map((r) => r.invoiceNo), totalFen: input.receivables.reduce((n, r) => n + r.invoiceAmountFen, 0), eligibleBaseFen: v.eligibleBaseFen },
    });
  });
  return factoringView(ctx, store.db, loan.id);
}

/** 回款账户: where the debtors are told to pay; printed on the assignment notice and the collection letter. */
export async function setCollectionAccount(ctx: AppContext, input: { loanId: number; bank: string; accountName: string; accountNo: string }): Promise<FactoringView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const terms = await store.db.selectFrom('factoring_terms').selectAll().where('loan_id', '=', loan.id).executeTakeFirst();
  if (!terms) throw new AppError('NOT_FOUND', ctx.t('errors.notFactoring'));
  const accountNo = input.accountNo.replace(/\s/g, '');
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('factoring_terms').set({ collection_bank: input.bank, collection_account_name: input.accountName, collection_account_no: accountNo }).where('loan_id', '=', loan.id).execute();
    await recordAudit(trx, now, {
      actor: s.username,
      action: 'factoring.collectionAccount',
      entity: 'loan',
      entityId: String(loan.id),
      detail: { before: { bank: terms.collection_bank, accountName: terms.collection_account_name, accountNo: terms.collection_account_no }, after: { bank: input.bank, accountName: input.accountName, accountNo } },
    });
  });
  return factoringView(ctx, store.db, loan.id);
}

/**
 * A debtor's payment that reached the seller instead of the collection account: recorded on the receivable (it
 * does not reduce it: the seller owes the money on) and the 回款未进入指定账户 warning is raised on the financing.
 */
export async function recordMisdirected(ctx: AppContext, input: { receivableId: number; amountFen: number; date: string; note: string }): Promise<{ factoring: FactoringView; warningId: number | null }> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const { r, loan } = await receivableOf(ctx, store, s, input.receivableId);
  checkDate(ctx, input.date, r.invoice_date);
  const now = ctx.nowIso();
  const warningId = await store.db.transaction().execute(async (trx) => {
    const f = figuresFor(await receivableFigures(trx, [r.id]), r.id);
    const open = openOf(r.invoice_amount_fen, f) - f.misdirectedFen;
    if (input.amountFen > open) throw onField('amountFen', ctx.t('errors.overReceivable', { left: formatFen(Math.max(0, open)) }));
    await trx
      .insertInto('receivable_adjustments')
      .values({ receivable_id: r.id, kind: 'misdirected', amount_fen: input.amountFen, adjusted_on: input.date, reason: input.note, created_by: s.username, created_at: now })
      .execute();
    await recordAudit(trx, now, { actor: s.username, action: 'factoring.misdirected', entity: 'receivable', entityId: String(r.id), detail: { loanId: loan.id, invoiceNo: r.invoice_no, ...input } });
    await emit('factoring.misdirectedPayment', { ctx, db: trx, loanId: loan.id, owner: loan.officer, actor: s.username, invoiceNo: r.invoice_no, debtor: r.debtor_name, amountFen: input.amountFen, paidOn: input.date });
    const w = await trx
      .selectFrom('warnings as w')
      .innerJoin('warning_signals as g', 'g.id', 'w.signal_id')
      .select('w.id')
      .where('w.loan_id', '=', loan.id)
      .where('g.code', '=', 'misdirected-payment')
      .where('w.status', 'in', OPEN_WARNING_STATUSES)
      .orderBy('w.id', 'desc')
      .executeTakeFirst();
    return w?.id ?? null;
  });
  return { factoring: await factoringView(ctx, store.db, loan.id), warningId };
}
