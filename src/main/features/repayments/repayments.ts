import { AppError } from '../../../shared/ipc/errors';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, today } from '../../kernel/context';
import { loanDetail } from '../loans/loanDetail';
import { refreshStatus } from '../loans/loans';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import { requireStore } from '../../kernel/store';
import { formatFen } from '../../../shared/domain/money';
import { confirmationReasons, previewFor, proposeReversal } from './servicing';

const onField = (path: string, message: string) => new AppError('RULE_VIOLATION', message, [{ path, message }]);

/**
 * Posts a payment. What it does is what `repayments.preview` showed: money beyond what is due on the date is held
 * as 溢收款 or, when asked and enough, settles the loan. A payment that exceeds what is due, pays the loan off or
 * leaves money held needs `confirm: true`; without it the post is refused, saying why.
 */
export async function createRepayment(
  ctx: AppContext,
  input: { loanId: number; paidOn: string; amountFen: number; note: string; excess?: 'credit' | 'settle'; confirm?: boolean },
): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (loan.status === 'written-off') throw new AppError('RULE_VIOLATION', ctx.t('errors.loanWrittenOff'));
  if (input.paidOn < loan.start_date) throw onField('paidOn', ctx.t('errors.paidBeforeDisbursement', { date: ctx.day(loan.start_date) }));
  if (input.paidOn > today(ctx)) throw onField('paidOn', ctx.t('errors.paidInFuture'));
  const excess = input.excess ?? 'credit';
  const preview = await previewFor(store.db, loan, { paidOn: input.paidOn, amountFen: input.amountFen, excess });
  if (excess === 'settle' && !preview.settles) {
    throw onField('amountFen', ctx.t('servicing.settleShort', { total: formatFen(preview.quote?.payableFen ?? 0), amount: formatFen(input.amountFen) }));
  }
  const reasons = confirmationReasons(ctx, preview);
  if (reasons.length > 0 && !input.confirm) throw onField('confirm', ctx.t('servicing.confirmNeeded', { reasons: reasons.join(ctx.t('servicing.separator')) }));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('repayments')
      .values({
        loan_id: loan.id,
        paid_on: input.paidOn,
        amount_fen: input.amountFen,
        source: 'borrower',
        receivable_id: null,
        note: input.note,
        reversal_of: null,
        created_by: s.username,
        created_at: now,
        excess,
        fee_fen: preview.feeFen,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const split = { penaltyFen: preview.penaltyFen, interestFen: preview.interestFen, principalFen: preview.principalFen, feeFen: preview.feeFen, creditFen: preview.creditFen };
    await recordAudit(trx, now, { actor: s.username, action: 'repayments.create', entity: 'repayment', entityId: String(id), detail: { ...input, excess, split, confirmed: reasons } });
    await refreshStatus(ctx, trx, loan.id, s.username);
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

/**
 * A reversal is proposed with its reason and waits for another user's approval (`repayments.decideReversal`);
 * until then nothing changes. The approved reversal is a new record pointing at the original.
 */
export async function reverseRepayment(ctx: AppContext, input: { repaymentId: number; reason: string }): Promise<LoanDetail> {
  return proposeReversal(ctx, input);
}
