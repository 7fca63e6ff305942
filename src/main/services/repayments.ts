import { AppError } from '../../shared/ipc/errors';
import type { LoanDetail } from '../../shared/ipc/loans';
import { recordAudit } from '../kernel/audit';
import { type AppContext, today } from '../kernel/context';
import { loanDetail } from './loanDetail';
import { refreshStatus } from './loans';
import { visibleLoan, requirePermission } from '../kernel/authz';
import { requireStore } from '../kernel/store';

const onField = (path: string, message: string) => new AppError('RULE_VIOLATION', message, [{ path, message }]);

export async function createRepayment(ctx: AppContext, input: { loanId: number; paidOn: string; amountFen: number; note: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (loan.status === 'written-off') throw new AppError('RULE_VIOLATION', ctx.t('errors.loanWrittenOff'));
  if (input.paidOn < loan.start_date) throw onField('paidOn', ctx.t('errors.paidBeforeDisbursement', { date: loan.start_date }));
  if (input.paidOn > today(ctx)) throw onField('paidOn', ctx.t('errors.paidInFuture'));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('repayments')
      .values({ loan_id: loan.id, paid_on: input.paidOn, amount_fen: input.amountFen, source: 'borrower', receivable_id: null, note: input.note, reversal_of: null, created_by: s.username, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor: s.username, action: 'repayments.create', entity: 'repayment', entityId: String(id), detail: input });
    await refreshStatus(ctx, trx, loan.id, s.username);
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

/** A reversal is a new record pointing at the original; nothing is edited or deleted. */
export async function reverseRepayment(ctx: AppContext, input: { repaymentId: number; reason: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const rep = await store.db.selectFrom('repayments').selectAll().where('id', '=', input.repaymentId).executeTakeFirst();
  if (!rep || rep.reversal_of !== null) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchRepayment'));
  const loan = await visibleLoan(ctx, store, s, rep.loan_id);
  const already = await store.db.selectFrom('repayments').select('id').where('reversal_of', '=', rep.id).executeTakeFirst();
  if (already) throw new AppError('CONFLICT', ctx.t('errors.alreadyReversed'));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('repayments')
      .values({ loan_id: loan.id, paid_on: today(ctx), amount_fen: rep.amount_fen, source: rep.source, receivable_id: rep.receivable_id, note: input.reason, reversal_of: rep.id, created_by: s.username, created_at: now })
      .execute();
    await recordAudit(trx, now, { actor: s.username, action: 'repayments.reverse', entity: 'repayment', entityId: String(rep.id), reason: input.reason, detail: { amountFen: rep.amount_fen, paidOn: rep.paid_on } });
    await refreshStatus(ctx, trx, loan.id, s.username);
  });
  return loanDetail(ctx, store, s, loan.id, null);
}
