import type { Kysely, Transaction } from 'kysely';
import { formatFen } from '../../../shared/domain';
import { AppError } from '../../../shared/ipc/errors';
import type { FactoringView } from '../../../shared/ipc/factoring';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, today } from '../../kernel/context';
import { planLoan } from '../inspections/inspections';
import { loanDetail } from '../loans/loanDetail';
import { checkLoanCreate, insertLoan, refreshStatus, type LoanCreate } from '../loans/loans';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import { requireStore } from '../../kernel/store';
import type { Database } from '../../db/schema';
import { assertDebtorLimits, dilutionOf, figuresFor, isEligible, openOf, receivableFigures } from './figures';

export interface ReceivableInput {
  debtorName: string;
  debtorCode: string;
  debtorAddress?: string;
  debtorRelatedParty?: boolean;
  invoiceNo: string;
  invoiceAmountFen: number;
  invoiceDate: string;
  dueDate: string;
}

export const onField = (path: string, message: string, code: 'CONFLICT' | 'RULE_VIOLATION' = 'RULE_VIOLATION') => new AppError(code, message, [{ path, message }]);

/** A factoring financing: the seller is the borrower; receivables are transferred with their invoices. */
export async function createFactoring(
  ctx: AppContext,
  input: { financing: LoanCreate; recourse: boolean; financingRatio: string; feeFen: number; receivables: ReceivableInput[] },
): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const schedule = await checkLoanCreate(ctx, store, s, input.financing);
  const sellerId = input.financing.borrowerId;
  // 保理: the seller assigns receivables from its business (商业保理), so it is an enterprise, never a person.
  const seller = await store.db.selectFrom('borrowers').select('kind').where('id', '=', sellerId).executeTakeFirst();
  if (seller?.kind !== 'enterprise') throw onField('financing.borrowerId', ctx.t('factoring.sellerNotEnterprise'));
  await checkReceivables(ctx, store.db, sellerId, input.receivables);
  const total = input.receivables.reduce((sum, r) => sum + r.invoiceAmountFen, 0);
  // Financing may not exceed ratio × receivables (ratio in per cent, up to 2 decimals: compare in integers).
  const ratioBp = Math.round(Number(input.financingRatio) * 100);
  if (input.financing.principalFen * 10_000 > total * ratioBp) {
    throw onField('financing.principalFen', ctx.t('errors.financingOverRatio', { ratio: input.financingRatio }));
  }
  const now = ctx.nowIso();
  const loanId = await store.db.transaction().execute(async (trx) => {
    const id = await insertLoan(ctx, trx, s.username, input.financing, schedule, 'factoring');
    await trx.insertInto('factoring_terms').values({ loan_id: id, recourse: input.recourse ? 1 : 0, financing_ratio: input.financingRatio, fee_fen: input.feeFen }).execute();
    await insertReceivables(trx, s.username, now, id, sellerId, input.receivables);
    await assertDebtorLimits(ctx, trx, input.receivables.map((r) => r.debtorCode));
    await recordAudit(trx, now, { actor: s.username, action: 'factoring.create', entity: 'loan', entityId: String(id), detail: { recourse: input.recourse, ratio: input.financingRatio, receivables: input.receivables.length } });
    await refreshStatus(ctx, trx, id, s.username);
    await planLoan(ctx, trx, id);
    return id;
  });
  return loanDetail(ctx, store, s, loanId, null);
}

/** New receivables of a seller: each invoice once per seller (in the batch and on file), due no earlier than issued. */
export async function checkReceivables(ctx: AppContext, db: Kysely<Database>, sellerId: number, receivables: ReceivableInput[]): Promise<void> {
  const seen = new Set<string>();
  for (const [i, r] of receivables.entries()) {
    if (seen.has(r.invoiceNo)) throw onField(`receivables.${i}.invoiceNo`, ctx.t('errors.duplicateInvoice', { no: r.invoiceNo }), 'CONFLICT');
    seen.add(r.invoiceNo);
    if (r.dueDate < r.invoiceDate) throw onField(`receivables.${i}.dueDate`, ctx.t('errors.invoiceDueBeforeDate'));
    const dup = await db.selectFrom('receivables').select('id').where('seller_id', '=', sellerId).where('invoice_no', '=', r.invoiceNo).executeTakeFirst();
    if (dup) throw onField(`receivables.${i}.invoiceNo`, ctx.t('errors.duplicateInvoice', { no: r.invoiceNo }), 'CONFLICT');
  }
}

/** Records receivables on a financing, registering each account debtor once by its credit code. */
export async function insertReceivables(trx: Transaction<Database>, actor: string, now: string, loanId: number, sellerId: number, receivables: ReceivableInput[]): Promise<void> {
  for (const r of receivables) {
    const known = await trx.selectFrom('debtors').select(['id', 'address', 'related_party']).where('credit_code', '=', r.debtorCode).executeTakeFirst();
    const related = r.debtorRelatedParty === undefined ? null : r.debtorRelatedParty ? 1 : 0;
    const debtor =
      known ??
      (await trx
        .insertInto('debtors')
        .values({ name: r.debtorName, credit_code: r.debtorCode, address: r.debtorAddress ?? '', created_at: now, related_party: related ?? 0 })
        .returning('id')
        .executeTakeFirstOrThrow());
    if (known && !known.address && r.debtorAddress) await trx.updateTable('debtors').set({ address: r.debtorAddress }).where('id', '=', known.id).execute();
    if (known ? related !== null && related !== known.related_party : related === 1) {
      if (known) await trx.updateTable('debtors').set({ related_party: related! }).where('id', '=', known.id).execute();
      await recordAudit(trx, now, { actor, action: 'factoring.debtorRelatedParty', entity: 'debtor', entityId: String(debtor.id), detail: { creditCode: r.debtorCode, relatedParty: related === 1 } });
    }
    await trx
      .insertInto('receivables')
      .values({ loan_id: loanId, seller_id: sellerId, debtor_id: debtor.id, invoice_no: r.invoiceNo, invoice_amount_fen: r.invoiceAmountFen, invoice_date: r.invoiceDate, due_date: r.dueDate, added_at: now })
      .execute();
  }
}

export async function getFactoring(ctx: AppContext, input: { loanId: number }): Promise<FactoringView> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  return factoringView(ctx, store.db, input.loanId);
}

/** The financing's terms, collection account, eligible base and receivables, as they stand today. */
export async function factoringView(ctx: AppContext, db: Kysely<Database> | Transaction<Database>, loanId: number): Promise<FactoringView> {
  const terms = await db.selectFrom('factoring_terms').selectAll().where('loan_id', '=', loanId).executeTakeFirst();
  if (!terms) throw new AppError('NOT_FOUND', ctx.t('errors.notFactoring'));
  const rows = await db
    .selectFrom('receivables as r')
    .innerJoin('debtors as d', 'd.id', 'r.debtor_id')
    .select(['r.id', 'r.debtor_id', 'd.name', 'd.credit_code', 'd.related_party', 'r.invoice_no', 'r.invoice_amount_fen', 'r.invoice_date', 'r.due_date', 'r.confirmation', 'r.confirmed_on', 'r.confirmation_note'])
    .where('r.loan_id', '=', loanId)
    .orderBy('r.id')
    .execute();
  const ids = rows.map((r) => r.id);
  const figures = await receivableFigures(db, ids);
  const adjustments = ids.length ? await db.selectFrom('receivable_adjustments').selectAll().where('receivable_id', 'in', ids).orderBy('id').execute() : [];
  const now = today(ctx);
  let eligibleBaseFen = 0;
  const receivables = rows.map((r) => {
    const f = figuresFor(figures, r.id);
    const outstandingFen = openOf(r.invoice_amount_fen, f);
    const eligible = isEligible(r, f, now);
    if (eligible) eligibleBaseFen += outstandingFen;
    return {
      id: r.id,
      debtorId: r.debtor_id,
      debtorName: r.name,
      debtorCode: r.credit_code,
      debtorRelatedParty: r.related_party === 1,
      invoiceNo: r.invoice_no,
      invoiceAmountFen: r.invoice_amount_fen,
      invoiceDate: r.invoice_date,
      dueDate: r.due_date,
      paidByDebtorFen: f.debtorFen,
      boughtBackFen: f.buybackFen,
      dilutionFen: dilutionOf(f),
      disputedFen: f.disputedFen,
      misdirectedFen: f.misdirectedFen,
      outstandingFen,
      confirmation: r.confirmation,
      confirmedOn: r.confirmed_on,
      confirmationNote: r.confirmation_note,
      eligible,
      adjustments: adjustments
        .filter((a) => a.receivable_id === r.id)
        .map((a) => ({ id: a.id, kind: a.kind, amountFen: a.amount_fen, date: a.adjusted_on, reason: a.reason, by: a.created_by, at: a.created_at })),
    };
  });
  const status = await db.selectFrom('loan_status').select('balance_fen').where('loan_id', '=', loanId).executeTakeFirst();
  return {
    recourse: !!terms.recourse,
    financingRatio: terms.financing_ratio,
    feeFen: terms.fee_fen,
    collectionAccount: { bank: terms.collection_bank, accountName: terms.collection_account_name, accountNo: terms.collection_account_no },
    eligibleBaseFen,
    financeableFen: financeable(eligibleBaseFen, terms.financing_ratio),
    balanceFen: status?.balance_fen ?? 0,
    receivables,
  };
}

/** Ratio (per cent, up to two decimals) × base, rounded down to the fen, in integers. */
export function financeable(baseFen: number, ratio: string): number {
  const ratioBp = BigInt(Math.round(Number(ratio) * 100));
  return Number((BigInt(baseFen) * ratioBp) / 10_000n);
}

/**
 * Marks an account debtor a related party (关联方) of the company, or not, from a financing whose receivables it
 * owes: the flag belongs to the debtor, so every financing on it counts towards the 205号 related-party limit.
 */
export async function setDebtorRelatedParty(ctx: AppContext, input: { loanId: number; debtorId: number; relatedParty: boolean }): Promise<FactoringView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  const d = await store.db
    .selectFrom('debtors as d')
    .select(['d.id', 'd.credit_code', 'd.related_party'])
    .where('d.id', '=', input.debtorId)
    .where((eb) => eb.exists(eb.selectFrom('receivables as r').select('r.id').whereRef('r.debtor_id', '=', 'd.id').where('r.loan_id', '=', input.loanId)))
    .executeTakeFirst();
  if (!d) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDebtor'));
  const value = input.relatedParty ? 1 : 0;
  if (d.related_party !== value) {
    const now = ctx.nowIso();
    await store.db.transaction().execute(async (trx) => {
      await trx.updateTable('debtors').set({ related_party: value }).where('id', '=', d.id).execute();
      await recordAudit(trx, now, { actor: s.username, action: 'factoring.debtorRelatedParty', entity: 'debtor', entityId: String(d.id), detail: { creditCode: d.credit_code, loanId: input.loanId, relatedParty: input.relatedParty } });
    });
  }
  return factoringView(ctx, store.db, input.loanId);
}

/**
 * The account debtor pays a receivable, or the seller buys it back (recourse): either way the payment is
 * applied to the receivable and, as a repayment, to the financing.
 */
export async function receivablePayment(ctx: AppContext, input: { receivableId: number; kind: 'debtor' | 'buyback'; paidOn: string; amountFen: number }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const r = await store.db.selectFrom('receivables').selectAll().where('id', '=', input.receivableId).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchReceivable'));
  const loan = await visibleLoan(ctx, store, s, r.loan_id);
  const terms = await store.db.selectFrom('factoring_terms').selectAll().where('loan_id', '=', loan.id).executeTakeFirstOrThrow();
  if (input.kind === 'buyback' && !terms.recourse) throw new AppError('RULE_VIOLATION', ctx.t('errors.buybackNonRecourse'));
  if (input.paidOn < loan.start_date) throw onField('paidOn', ctx.t('errors.paidBeforeDisbursement', { date: ctx.day(loan.start_date) }));
  if (input.paidOn > today(ctx)) throw onField('paidOn', ctx.t('errors.paidInFuture'));
  const outstanding = openOf(r.invoice_amount_fen, figuresFor(await receivableFigures(store.db, [r.id]), r.id));
  if (input.amountFen > outstanding) throw onField('amountFen', ctx.t('errors.overReceivable', { left: formatFen(outstanding) }));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const { id: repaymentId } = await trx
      .insertInto('repayments')
      .values({ loan_id: loan.id, paid_on: input.paidOn, amount_fen: input.amountFen, source: input.kind, receivable_id: r.id, note: r.invoice_no, reversal_of: null, created_by: s.username, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('receivable_payments')
      .values({ receivable_id: r.id, kind: input.kind, paid_on: input.paidOn, amount_fen: input.amountFen, repayment_id: repaymentId, created_by: s.username, created_at: now })
      .execute();
    await recordAudit(trx, now, { actor: s.username, action: `factoring.${input.kind}`, entity: 'receivable', entityId: String(r.id), detail: input });
    await refreshStatus(ctx, trx, loan.id, s.username);
  });
  return loanDetail(ctx, store, s, loan.id, null);
}
