import { isWorseOrEqual, LEVEL_LABELS, type ClassificationLevel } from '../../../shared/domain/classification';
import { AppError } from '../../../shared/ipc/errors';
import type { LoanDetail } from '../../../shared/ipc/loans';
import type { PendingClassification } from '../../../shared/ipc/repayments';
import { seesAllLoans } from '../../../shared/permissions';
import { recordAudit } from '../../kernel/audit';
import { readFloorReasons } from '../../domain/floorReasons';
import { type AppContext, today } from '../../kernel/context';
import { emit } from '../../kernel/events';
import { loanDetail } from '../loans/loanDetail';
import { statusOf } from '../../domain/loanStatus';
import { refreshStatus } from '../loans/loans';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import { outcomeOf, staleDecision } from '../../kernel/stale';
import { requireStore } from '../../kernel/store';

function label(ctx: AppContext, level: ClassificationLevel): string {
  return ctx.config.locale === 'en' ? LEVEL_LABELS[level].en : LEVEL_LABELS[level].zh;
}

/** Staff may classify worse than the rule floor, never better; a supervisor other than the proposer decides. */
export async function proposeClassification(ctx: AppContext, input: { loanId: number; level: ClassificationLevel; reason: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'classification.propose');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const c = await statusOf(store.db, loan, today(ctx));
  if (!isWorseOrEqual(input.level, c.floorLevel)) {
    const message = ctx.t('errors.betterThanFloor', { floor: label(ctx, c.floorLevel) });
    throw new AppError('RULE_VIOLATION', message, [{ path: 'level', message }]);
  }
  const pending = await store.db.selectFrom('classifications').select('id').where('loan_id', '=', loan.id).where('status', '=', 'pending').executeTakeFirst();
  if (pending) throw new AppError('CONFLICT', ctx.t('errors.proposalPending'));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('classifications')
      .values({
        loan_id: loan.id,
        level: input.level,
        floor_level: c.floorLevel,
        floor_reasons: JSON.stringify(c.floorReasons),
        reason: input.reason,
        status: 'pending',
        proposed_by: s.username,
        proposed_at: now,
        decided_by: null,
        decided_at: null,
        decision_comment: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor: s.username, action: 'classification.propose', entity: 'classification', entityId: String(id), reason: input.reason, detail: { loanId: loan.id, level: input.level } });
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

export async function decideClassification(ctx: AppContext, input: { proposalId: number; approve: boolean; comment: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'classification.approve');
  const store = requireStore(ctx);
  const p = await store.db.selectFrom('classifications').selectAll().where('id', '=', input.proposalId).executeTakeFirst();
  if (!p || p.status === 'system') throw new AppError('NOT_FOUND', ctx.t('errors.noSuchProposal'));
  const loan = await visibleLoan(ctx, store, s, p.loan_id);
  if (p.status !== 'pending') throw await staleDecision(ctx, store.db, p.decided_by, p.decided_at, outcomeOf(p.status));
  if (p.proposed_by === s.username) throw new AppError('RULE_VIOLATION', ctx.t('errors.ownProposal'));
  if (input.approve) {
    const c = await statusOf(store.db, loan, today(ctx));
    if (!isWorseOrEqual(p.level, c.floorLevel)) {
      throw new AppError('RULE_VIOLATION', ctx.t('errors.betterThanFloor', { floor: label(ctx, c.floorLevel) }));
    }
  }
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('classifications')
      .set({ status: input.approve ? 'approved' : 'rejected', decided_by: s.username, decided_at: now, decision_comment: input.comment })
      .where('id', '=', p.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      const by = await trx.selectFrom('classifications').select(['decided_by', 'decided_at', 'status']).where('id', '=', p.id).executeTakeFirstOrThrow();
      throw await staleDecision(ctx, trx, by.decided_by, by.decided_at, outcomeOf(by.status));
    }
    await recordAudit(trx, now, {
      actor: s.username,
      action: input.approve ? 'classification.approve' : 'classification.reject',
      entity: 'classification',
      entityId: String(p.id),
      reason: input.comment,
      detail: { loanId: loan.id, level: p.level, proposedBy: p.proposed_by },
    });
    // The approved row itself records the change in the history.
    await refreshStatus(ctx, trx, loan.id, s.username, false);
    if (input.approve) await emit('loans.classChanged', { ctx, db: trx, loanIds: [loan.id] });
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

export async function pendingClassifications(ctx: AppContext): Promise<PendingClassification[]> {
  const s = requirePermission(ctx, 'classification.propose');
  let q = requireStore(ctx)
    .db.selectFrom('classifications as c')
    .innerJoin('loans as l', 'l.id', 'c.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .selectAll('c')
    .select(['l.contract_no', 'b.name'])
    .where('c.status', '=', 'pending');
  if (!seesAllLoans(s.roles)) q = q.where('l.officer', '=', s.username);
  const rows = await q.orderBy('c.id').execute();
  return rows.map((c) => ({
    id: c.id,
    loanId: c.loan_id,
    contractNo: c.contract_no,
    borrowerName: c.name,
    level: c.level,
    floorLevel: c.floor_level,
    floorReasons: readFloorReasons(c.floor_reasons),
    reason: c.reason,
    status: c.status,
    proposedBy: c.proposed_by,
    proposedAt: c.proposed_at,
    decidedBy: c.decided_by,
    decidedAt: c.decided_at,
    decisionComment: c.decision_comment,
  }));
}
