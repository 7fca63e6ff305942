/**
 * Safe money posting: the preview of a payment, the early-settlement quote, the per-product prepayment fee, and
 * reversals that wait for a second person's approval. Preview and post replay the loan with the same function.
 */
import type { Kysely, Transaction } from 'kysely';
import { formatFen } from '../../../shared/domain/money';
import type { LoanTerms } from '../../../shared/domain/loanState';
import type { AllocationComponent } from '../../../shared/domain/overdue';
import { NO_FEE, previewPayment, settlementQuoteOf, type PaymentPreview, type PrepaymentFeeRule, type SettlementQuote } from '../../../shared/domain/settlement';
import { AppError } from '../../../shared/ipc/errors';
import type { LoanDetail } from '../../../shared/ipc/loans';
import type { PendingReversal } from '../../../shared/ipc/repayments';
import { can, seesAllLoans } from '../../../shared/permissions';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { requirePermission, requireSession, visibleLoan, type LoanRow } from '../../kernel/authz';
import { type AppContext, today } from '../../kernel/context';
import { outcomeOf, staleDecision } from '../../kernel/stale';
import { requireStore } from '../../kernel/store';
import { loanDetail } from '../loans/loanDetail';
import { dueRows, effectiveRepayments } from '../../domain/loanStatus';
import { refreshStatus } from '../loans/loans';

export type Db = Kysely<Database> | Transaction<Database>;

const FEE_KEY = 'prepaymentFees';

export async function readFeeRules(db: Db): Promise<Record<string, PrepaymentFeeRule>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', FEE_KEY).executeTakeFirst();
  return row ? (JSON.parse(row.value) as Record<string, PrepaymentFeeRule>) : {};
}

export async function feeRuleOf(db: Db, product: string): Promise<PrepaymentFeeRule> {
  return (await readFeeRules(db))[product] ?? NO_FEE;
}

export function loanTerms(loan: LoanRow): LoanTerms {
  return { annualRate: loan.annual_rate, penaltyUplift: loan.penalty_uplift, order: JSON.parse(loan.allocation_order) as AllocationComponent[], startDate: loan.start_date };
}

/** The preview for a loan already checked as visible. */
export async function previewFor(db: Db, loan: LoanRow, input: { paidOn: string; amountFen: number; excess: 'credit' | 'settle' }): Promise<PaymentPreview> {
  const rows = await dueRows(db, loan.id, loan.schedule_version);
  const reps = await effectiveRepayments(db, loan.id);
  return previewPayment(rows, reps, loanTerms(loan), { date: input.paidOn, amountFen: input.amountFen, excess: input.excess }, await feeRuleOf(db, loan.product));
}

/** Why a post needs an explicit confirmation, in the user's language; empty when it does not. */
export function confirmationReasons(ctx: AppContext, p: PaymentPreview): string[] {
  const out: string[] = [];
  if (p.exceedsDue) out.push(ctx.t('servicing.exceedsDue', { amount: formatFen(p.amountFen), due: formatFen(p.dueFen) }));
  if (p.paysOff) out.push(ctx.t('servicing.paysOff'));
  if (p.creditFen > 0) out.push(ctx.t('servicing.leavesCredit', { credit: formatFen(p.creditFen) }));
  return out;
}

export async function previewRepayment(ctx: AppContext, input: { loanId: number; paidOn: string; amountFen: number; excess: 'credit' | 'settle' }): Promise<PaymentPreview> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  return previewFor(store.db, loan, input);
}

/** 提前结清测算: principal, interest to the date (actual/360 since the last due date), overdue amounts and penalty, the product's fee. */
export async function settlementQuote(ctx: AppContext, input: { loanId: number; date: string }): Promise<SettlementQuote & { contractNo: string }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (input.date < loan.start_date) throw new AppError('RULE_VIOLATION', ctx.t('errors.paidBeforeDisbursement', { date: ctx.day(loan.start_date) }), [{ path: 'date', message: ctx.t('errors.paidBeforeDisbursement', { date: ctx.day(loan.start_date) }) }]);
  const rows = await dueRows(store.db, loan.id, loan.schedule_version);
  const reps = await effectiveRepayments(store.db, loan.id);
  return { contractNo: loan.contract_no, ...settlementQuoteOf(rows, reps, input.date, loanTerms(loan), await feeRuleOf(store.db, loan.product)) };
}

export async function feeRules(ctx: AppContext): Promise<Record<string, PrepaymentFeeRule>> {
  const s = requireSession(ctx);
  if (!can(s.roles, 'settings.manage')) requirePermission(ctx, 'portfolio.read');
  return readFeeRules(requireStore(ctx).db);
}

/** The distinct product names of the loans on file (names only: the administrator sets fee rules by them). */
export async function productNames(ctx: AppContext): Promise<string[]> {
  const s = requireSession(ctx);
  if (!can(s.roles, 'settings.manage')) requirePermission(ctx, 'portfolio.read');
  const rows = await requireStore(ctx).db.selectFrom('loans').select('product').distinct().orderBy('product').execute();
  return rows.map((r) => r.product);
}

export async function setFeeRule(ctx: AppContext, input: { product: string; rule: PrepaymentFeeRule }): Promise<Record<string, PrepaymentFeeRule>> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const now = ctx.nowIso();
  return store.db.transaction().execute(async (trx) => {
    const before = await readFeeRules(trx);
    const after = { ...before, [input.product]: input.rule };
    if (input.rule.kind === 'none') delete after[input.product];
    const value = JSON.stringify(after);
    await trx.insertInto('settings').values({ key: FEE_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'settings.prepaymentFee', entity: 'settings', entityId: FEE_KEY, detail: { product: input.product, before: before[input.product] ?? NO_FEE, after: input.rule } });
    return after;
  });
}

/** A reversal is proposed with its reason; nothing changes until another user approves it. */
export async function proposeReversal(ctx: AppContext, input: { repaymentId: number; reason: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const rep = await store.db.selectFrom('repayments').selectAll().where('id', '=', input.repaymentId).executeTakeFirst();
  if (!rep || rep.reversal_of !== null) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchRepayment'));
  const loan = await visibleLoan(ctx, store, s, rep.loan_id);
  const already = await store.db.selectFrom('repayments').select('id').where('reversal_of', '=', rep.id).executeTakeFirst();
  if (already) throw new AppError('CONFLICT', ctx.t('errors.alreadyReversed'));
  const pending = await store.db.selectFrom('repayment_reversals').select('id').where('repayment_id', '=', rep.id).where('status', '=', 'pending').executeTakeFirst();
  if (pending) throw new AppError('CONFLICT', ctx.t('servicing.reversalPending'));
  await prepaymentUndo(ctx, store.db, loan, rep.id);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('repayment_reversals')
      .values({ repayment_id: rep.id, loan_id: loan.id, reason: input.reason, status: 'pending', proposed_by: s.username, proposed_at: now, decided_by: null, decided_at: null, decision_comment: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor: s.username, action: 'repayments.reverseProposed', entity: 'repayment', entityId: String(rep.id), reason: input.reason, detail: { reversalId: id, loanId: loan.id, amountFen: rep.amount_fen, paidOn: rep.paid_on } });
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

/** Another user with `repayments.approve` decides; an approved reversal is a new row pointing at the original. */
export async function decideReversal(ctx: AppContext, input: { reversalId: number; approve: boolean; comment: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'repayments.approve');
  const store = requireStore(ctx);
  const p = await store.db.selectFrom('repayment_reversals').selectAll().where('id', '=', input.reversalId).executeTakeFirst();
  if (!p) throw new AppError('NOT_FOUND', ctx.t('servicing.noSuchReversal'));
  const loan = await visibleLoan(ctx, store, s, p.loan_id);
  if (p.status !== 'pending') throw await staleDecision(ctx, store.db, p.decided_by, p.decided_at, outcomeOf(p.status));
  if (p.proposed_by === s.username) throw new AppError('RULE_VIOLATION', ctx.t('servicing.ownReversal'));
  const rep = await store.db.selectFrom('repayments').selectAll().where('id', '=', p.repayment_id).executeTakeFirstOrThrow();
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('repayment_reversals')
      .set({ status: input.approve ? 'approved' : 'rejected', decided_by: s.username, decided_at: now, decision_comment: input.comment })
      .where('id', '=', p.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      const by = await trx.selectFrom('repayment_reversals').select(['decided_by', 'decided_at', 'status']).where('id', '=', p.id).executeTakeFirstOrThrow();
      throw await staleDecision(ctx, trx, by.decided_by, by.decided_at, outcomeOf(by.status));
    }
    if (input.approve) {
      const undo = await prepaymentUndo(ctx, trx, loan, rep.id);
      if (undo) {
        // The schedule the prepayment replaced comes back, as a new version (versions only ever grow).
        const version = undo.current + 1;
        const rows = await dueRows(trx, loan.id, undo.versionBefore);
        await trx.insertInto('schedule_rows').values(rows.map((r) => ({ loan_id: loan.id, version, period: r.period, due_date: r.dueDate, principal_fen: r.principalFen, interest_fen: r.interestFen }))).execute();
        await trx.updateTable('loans').set({ schedule_version: version, maturity_date: undo.maturityBefore, updated_at: now }).where('id', '=', loan.id).execute();
        await trx.insertInto('loan_events').values({ loan_id: loan.id, event_date: today(ctx), kind: 'prepayment-reversed', detail: JSON.stringify({ repaymentId: rep.id, from: loan.maturity_date, to: undo.maturityBefore, version, restored: undo.versionBefore }), created_by: s.username, created_at: now }).execute();
      }
      await trx
        .insertInto('repayments')
        .values({ loan_id: loan.id, paid_on: today(ctx), amount_fen: rep.amount_fen, source: rep.source, receivable_id: rep.receivable_id, note: p.reason, reversal_of: rep.id, created_by: p.proposed_by, created_at: now })
        .execute();
    }
    await recordAudit(trx, now, {
      actor: s.username,
      action: input.approve ? 'repayments.reverse' : 'repayments.reverseRejected',
      entity: 'repayment',
      entityId: String(rep.id),
      reason: input.comment,
      detail: { reversalId: p.id, proposedBy: p.proposed_by, proposalReason: p.reason, amountFen: rep.amount_fen, paidOn: rep.paid_on },
    });
    if (input.approve) await refreshStatus(ctx, trx, loan.id, s.username);
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

/**
 * A partial prepayment's payment can be reversed only while its schedule is still the loan's current one (nothing
 * rescheduled since); then the schedule it replaced is what the reversal brings back. Null for other payments.
 */
async function prepaymentUndo(ctx: AppContext, db: Db, loan: LoanRow, repaymentId: number): Promise<{ versionBefore: number; maturityBefore: string; current: number } | null> {
  const events = await db.selectFrom('loan_events').select('detail').where('loan_id', '=', loan.id).where('kind', '=', 'prepayment').execute();
  const d = events.map((e) => JSON.parse(e.detail) as { repaymentId: number; versionBefore: number; version: number; from: string }).find((x) => x.repaymentId === repaymentId);
  if (!d) return null;
  const current = (await db.selectFrom('loans').select('schedule_version').where('id', '=', loan.id).executeTakeFirstOrThrow()).schedule_version;
  if (current !== d.version) throw new AppError('RULE_VIOLATION', ctx.t('servicing.prepayReversalBlocked'));
  return { versionBefore: d.versionBefore, maturityBefore: d.from, current };
}

export async function pendingReversals(ctx: AppContext): Promise<PendingReversal[]> {
  const s = requireSession(ctx);
  if (!can(s.roles, 'repayments.write')) requirePermission(ctx, 'repayments.approve');
  let q = requireStore(ctx)
    .db.selectFrom('repayment_reversals as v')
    .innerJoin('repayments as r', 'r.id', 'v.repayment_id')
    .innerJoin('loans as l', 'l.id', 'v.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select(['v.id', 'v.repayment_id', 'v.loan_id', 'v.reason', 'v.proposed_by', 'v.proposed_at', 'r.paid_on', 'r.amount_fen', 'l.contract_no', 'b.name'])
    .where('v.status', '=', 'pending');
  if (!seesAllLoans(s.roles)) q = q.where('l.officer', '=', s.username);
  return (await q.orderBy('v.id').execute()).map((v) => ({
    id: v.id,
    repaymentId: v.repayment_id,
    loanId: v.loan_id,
    contractNo: v.contract_no,
    borrowerName: v.name,
    paidOn: v.paid_on,
    amountFen: v.amount_fen,
    reason: v.reason,
    proposedBy: v.proposed_by,
    proposedAt: v.proposed_at,
  }));
}
