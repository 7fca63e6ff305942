/**
 * 部分提前还款: principal repaid before it is due, the customer choosing a shorter term or a lower instalment.
 * The quote and the post work it out with the same functions (shared/domain/prepayment.ts and the replay), and the
 * post checks by replaying that the payment meets exactly what is then due.
 */
import { prepaymentPlan, replayLoan, type PrepayMode, type PrepayPlan } from '../../../shared/domain';
import { prepaymentFee } from '../../../shared/domain/settlement';
import { AppError } from '../../../shared/ipc/errors';
import type { LoanDetail } from '../../../shared/ipc/loans';
import type { PrepayQuote } from '../../../shared/ipc/repayments';
import { recordAudit } from '../../kernel/audit';
import { requirePermission, visibleLoan, type LoanRow } from '../../kernel/authz';
import { type AppContext, today } from '../../kernel/context';
import { requireStore } from '../../kernel/store';
import { dueRows, effectiveRepayments } from '../../domain/loanStatus';
import { replanLoan } from '../inspections/inspections';
import { loanDetail } from '../loans/loanDetail';
import { refreshStatus } from '../loans/loans';
import { feeRuleOf, loanTerms, type Db } from './servicing';

interface Input {
  loanId: number;
  paidOn: string;
  principalFen: number;
  mode: PrepayMode;
}

const onField = (path: string, message: string) => new AppError('RULE_VIOLATION', message, [{ path, message }]);

async function work(ctx: AppContext, db: Db, loan: LoanRow, input: Input): Promise<{ quote: PrepayQuote; plan: PrepayPlan }> {
  if (loan.status !== 'active') throw new AppError('RULE_VIOLATION', ctx.t('errors.loanNotActive'));
  if (input.paidOn < loan.start_date) throw onField('paidOn', ctx.t('errors.paidBeforeDisbursement', { date: ctx.day(loan.start_date) }));
  if (input.paidOn > today(ctx)) throw onField('paidOn', ctx.t('errors.paidInFuture'));
  const rows = await dueRows(db, loan.id, loan.schedule_version);
  const plan = prepaymentPlan(rows, input.paidOn, input.principalFen, input.mode, { annualRate: loan.annual_rate, method: loan.method, startDate: loan.start_date });
  if ('refused' in plan) {
    if (plan.refused === 'no-shorten') throw onField('mode', ctx.t('servicing.prepayNoShorten'));
    throw onField('principalFen', ctx.t(plan.refused === 'all-of-it' ? 'servicing.prepayAllOfIt' : 'servicing.prepayNothingLeft'));
  }
  const reps = (await effectiveRepayments(db, loan.id)).filter((r) => r.date <= input.paidOn);
  if (reps.some((r) => r.excess === 'settle')) throw new AppError('RULE_VIOLATION', ctx.t('servicing.prepayNothingLeft'));
  const terms = loanTerms(loan);
  // What the new schedule has fallen due by the date (the prepaid period included), with penalty, less the credit held.
  const st = replayLoan(plan.rows, reps, input.paidOn, terms);
  const owed = Math.max(0, st.dueFen - st.creditFen);
  const feeFen = prepaymentFee(await feeRuleOf(db, loan.product), input.principalFen, loan.annual_rate);
  const dueBefore = owed - plan.prepaid.principalFen - plan.prepaid.interestFen;
  const quote: PrepayQuote = {
    loanId: loan.id,
    contractNo: loan.contract_no,
    paidOn: input.paidOn,
    mode: input.mode,
    dueFen: Math.max(0, dueBefore),
    principalFen: plan.prepaid.principalFen,
    interestFen: plan.prepaid.interestFen,
    feeFen,
    totalFen: owed + feeFen,
    maturityBefore: loan.maturity_date,
    maturityAfter: plan.maturity,
    periodsBefore: plan.periodsBefore,
    periodsAfter: plan.periodsAfter,
    instalmentBeforeFen: plan.instalmentBeforeFen,
    instalmentAfterFen: plan.instalmentAfterFen,
    remainingAfterFen: plan.remainingAfterFen,
    schedule: plan.rows.filter((r) => r.dueDate > input.paidOn),
  };
  return { quote, plan };
}

export async function prepayQuote(ctx: AppContext, input: Input): Promise<PrepayQuote> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  return (await work(ctx, store.db, loan, input)).quote;
}

/**
 * Posts the payment the quote asked for and the new schedule version together. The event keeps the version it
 * replaced, so an approved reversal of the payment brings that schedule back (servicing.ts).
 */
export async function prepay(ctx: AppContext, input: Input & { note: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const { quote, plan } = await work(ctx, trx, loan, input);
    const version = loan.schedule_version + 1;
    await trx.insertInto('schedule_rows').values(plan.rows.map((r) => ({ loan_id: loan.id, version, period: r.period, due_date: r.dueDate, principal_fen: r.principalFen, interest_fen: r.interestFen }))).execute();
    await trx.updateTable('loans').set({ schedule_version: version, maturity_date: plan.maturity, updated_at: now }).where('id', '=', loan.id).execute();
    const { id } = await trx
      .insertInto('repayments')
      .values({ loan_id: loan.id, paid_on: input.paidOn, amount_fen: quote.totalFen, source: 'borrower', receivable_id: null, note: input.note, reversal_of: null, created_by: s.username, created_at: now, excess: 'credit', fee_fen: quote.feeFen })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The payment must meet exactly what is due on the new schedule: nothing left unpaid, nothing left over.
    const after = replayLoan(plan.rows, (await effectiveRepayments(trx, loan.id)).filter((r) => r.date <= input.paidOn), input.paidOn, loanTerms(loan));
    const mine = after.allocations.find((a) => a.id === id);
    if (after.dueFen !== 0 || !mine || mine.unallocatedFen !== 0) throw new Error(`prepayment ${id} does not balance: due ${after.dueFen}, left ${mine?.unallocatedFen}`);
    const detail = { repaymentId: id, mode: input.mode, principalFen: quote.principalFen, interestFen: quote.interestFen, feeFen: quote.feeFen, totalFen: quote.totalFen, from: loan.maturity_date, to: plan.maturity, versionBefore: loan.schedule_version, version };
    await trx.insertInto('loan_events').values({ loan_id: loan.id, event_date: input.paidOn, kind: 'prepayment', detail: JSON.stringify(detail), created_by: s.username, created_at: now }).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'repayments.prepay', entity: 'repayment', entityId: String(id), detail: { loanId: loan.id, ...detail } });
    await refreshStatus(ctx, trx, loan.id, s.username);
    await replanLoan(ctx, trx, loan.id);
  });
  return loanDetail(ctx, store, s, loan.id, null);
}
