import type { Transaction } from 'kysely';
import { compareDates } from '../../../shared/domain';
import { AppError } from '../../../shared/ipc/errors';
import type { LegalCostKind, LegalOutcome, LegalRecoverySource, LegalView, NplMethod } from '../../../shared/ipc/legal';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { requirePermission, visibleLoan } from '../../kernel/authz';
import { type AppContext, today } from '../../kernel/context';
import { outcomeOf, staleDecision } from '../../kernel/stale';
import { requireStore } from '../../kernel/store';
import { isNpl, legalTransfer, legalViewOf } from './queries';

/**
 * Writes to a loan's legal case: the caller's loan (officers their own), the permission to record collections,
 * one transaction with its audit entry, then the case as it now stands.
 */
async function write(
  ctx: AppContext,
  loanId: number,
  action: string,
  run: (trx: Transaction<Database>, at: { now: string; day: string; user: string }) => Promise<Record<string, unknown>>,
): Promise<LegalView> {
  const s = requirePermission(ctx, 'collections.write');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, loanId);
  const now = ctx.nowIso();
  const day = today(ctx);
  await store.db.transaction().execute(async (trx) => {
    const detail = await run(trx, { now, day, user: s.username });
    await recordAudit(trx, now, { actor: s.username, action: `legal.${action}`, entity: 'loan', entityId: String(loanId), detail });
  });
  return legalViewOf(store.db, loanId, day);
}

async function openCase(ctx: AppContext, trx: Transaction<Database>, loanId: number) {
  const c = await trx.selectFrom('legal_cases').selectAll().where('loan_id', '=', loanId).where('status', '=', 'open').executeTakeFirst();
  if (!c) throw new AppError('RULE_VIOLATION', ctx.t('errors.legalNoOpenCase'));
  return c;
}

/** A date that has happened: not after today. */
function notFuture(ctx: AppContext, field: string, value: string | null, day: string): void {
  if (value !== null && compareDates(value, day) > 0) {
    const message = ctx.t('errors.legalFutureDate');
    throw new AppError('VALIDATION', message, [{ path: field, message }]);
  }
}

/** 立案: only after the transfer to legal; one open case per loan. */
export function openLegalCase(ctx: AppContext, input: { loanId: number; court: string; caseNo: string }): Promise<LegalView> {
  return write(ctx, input.loanId, 'open', async (trx, { now, user }) => {
    const transfer = await legalTransfer(trx, input.loanId);
    if (!transfer) throw new AppError('RULE_VIOLATION', ctx.t('errors.legalNotTransferred'));
    const open = await trx.selectFrom('legal_cases').select('id').where('loan_id', '=', input.loanId).where('status', '=', 'open').executeTakeFirst();
    if (open) throw new AppError('CONFLICT', ctx.t('errors.legalCaseOpen'));
    const r = await trx
      .insertInto('legal_cases')
      .values({ loan_id: input.loanId, transfer_event_id: transfer.id, court: input.court, case_no: input.caseNo, created_by: user, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { caseId: r.id, court: input.court, caseNo: input.caseNo };
  });
}

export interface LegalCaseInput {
  loanId: number;
  court: string;
  caseNo: string;
  filedOn: string | null;
  hearingOn: string | null;
  outcome: LegalOutcome | null;
  outcomeOn: string | null;
  judgmentFen: number | null;
  performanceDue: string | null;
  enforcementAppliedOn: string | null;
  enforcementCaseNo: string;
}

/** The case's court, numbers and dates (the contract checks their order); dates that record what happened are not in the future. */
export function updateLegalCase(ctx: AppContext, input: LegalCaseInput): Promise<LegalView> {
  return write(ctx, input.loanId, 'update', async (trx, { now, day }) => {
    const c = await openCase(ctx, trx, input.loanId);
    notFuture(ctx, 'filedOn', input.filedOn, day);
    notFuture(ctx, 'outcomeOn', input.outcomeOn, day);
    notFuture(ctx, 'enforcementAppliedOn', input.enforcementAppliedOn, day);
    await trx
      .updateTable('legal_cases')
      .set({
        court: input.court,
        case_no: input.caseNo,
        filed_on: input.filedOn,
        hearing_on: input.hearingOn,
        outcome: input.outcome,
        outcome_on: input.outcomeOn,
        judgment_fen: input.judgmentFen,
        performance_due: input.performanceDue,
        enforcement_applied_on: input.enforcementAppliedOn,
        enforcement_case_no: input.enforcementCaseNo,
        updated_at: now,
      })
      .where('id', '=', c.id)
      .execute();
    const { loanId: _l, ...fields } = input;
    // What changed, field by field.
    const before: Record<string, unknown> = {
      court: c.court,
      caseNo: c.case_no,
      filedOn: c.filed_on,
      hearingOn: c.hearing_on,
      outcome: c.outcome,
      outcomeOn: c.outcome_on,
      judgmentFen: c.judgment_fen,
      performanceDue: c.performance_due,
      enforcementAppliedOn: c.enforcement_applied_on,
      enforcementCaseNo: c.enforcement_case_no,
    };
    const changed = Object.fromEntries(Object.entries(fields).filter(([k, v]) => before[k] !== v).map(([k, v]) => [k, { from: before[k], to: v }]));
    return { caseId: c.id, changed };
  });
}

/** 财产保全: what is frozen, under which ruling, from when until when. */
export function addPreservation(ctx: AppContext, input: { loanId: number; what: string; rulingNo: string; fromDate: string; untilDate: string }): Promise<LegalView> {
  return write(ctx, input.loanId, 'addPreservation', async (trx, { now, user }) => {
    const c = await openCase(ctx, trx, input.loanId);
    const r = await trx
      .insertInto('legal_preservations')
      .values({ case_id: c.id, what: input.what, ruling_no: input.rulingNo, from_date: input.fromDate, until_date: input.untilDate, created_by: user, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { caseId: c.id, preservationId: r.id, what: input.what, rulingNo: input.rulingNo, fromDate: input.fromDate, untilDate: input.untilDate };
  });
}

/** 解除保全: on or after it began, not in the future, once. */
export function releasePreservation(ctx: AppContext, input: { loanId: number; preservationId: number; releasedOn: string }): Promise<LegalView> {
  return write(ctx, input.loanId, 'releasePreservation', async (trx, { day }) => {
    const c = await openCase(ctx, trx, input.loanId);
    const p = await trx.selectFrom('legal_preservations').selectAll().where('id', '=', input.preservationId).where('case_id', '=', c.id).executeTakeFirst();
    if (!p) throw new AppError('NOT_FOUND', ctx.t('errors.legalNoPreservation'));
    if (p.released_on) throw new AppError('CONFLICT', ctx.t('errors.legalAlreadyReleased'));
    notFuture(ctx, 'releasedOn', input.releasedOn, day);
    if (input.releasedOn < p.from_date) {
      const message = ctx.t('validation.dateRange');
      throw new AppError('VALIDATION', message, [{ path: 'releasedOn', message }]);
    }
    await trx.updateTable('legal_preservations').set({ released_on: input.releasedOn }).where('id', '=', p.id).execute();
    return { caseId: c.id, preservationId: p.id, releasedOn: input.releasedOn };
  });
}

/** A cost advanced for the case (诉讼费, 律师费, 保全担保费 …). */
export function addLegalCost(ctx: AppContext, input: { loanId: number; kind: LegalCostKind; amountFen: number; paidOn: string; note: string }): Promise<LegalView> {
  return write(ctx, input.loanId, 'addCost', async (trx, { now, day, user }) => {
    const c = await openCase(ctx, trx, input.loanId);
    notFuture(ctx, 'paidOn', input.paidOn, day);
    await trx.insertInto('legal_costs').values({ case_id: c.id, kind: input.kind, amount_fen: input.amountFen, paid_on: input.paidOn, note: input.note, created_by: user, created_at: now }).execute();
    return { caseId: c.id, kind: input.kind, amountFen: input.amountFen, paidOn: input.paidOn };
  });
}

/** Money recovered through the case, by source. A record of the case; the money itself is booked as a repayment or a recovery. */
export function addLegalRecovery(ctx: AppContext, input: { loanId: number; source: LegalRecoverySource; amountFen: number; receivedOn: string; note: string }): Promise<LegalView> {
  return write(ctx, input.loanId, 'addRecovery', async (trx, { now, day, user }) => {
    const c = await openCase(ctx, trx, input.loanId);
    notFuture(ctx, 'receivedOn', input.receivedOn, day);
    await trx
      .insertInto('legal_recoveries')
      .values({ case_id: c.id, source: input.source, amount_fen: input.amountFen, received_on: input.receivedOn, note: input.note, created_by: user, created_at: now })
      .execute();
    return { caseId: c.id, source: input.source, amountFen: input.amountFen, receivedOn: input.receivedOn };
  });
}

/** 结案: not before the filing, not in the future; a new case may then be opened for the same transfer. */
export function closeLegalCase(ctx: AppContext, input: { loanId: number; closedOn: string; note: string }): Promise<LegalView> {
  return write(ctx, input.loanId, 'close', async (trx, { now, day }) => {
    const c = await openCase(ctx, trx, input.loanId);
    notFuture(ctx, 'closedOn', input.closedOn, day);
    const latest = [c.filed_on, c.outcome_on, c.enforcement_applied_on].filter((d): d is string => d !== null).sort().at(-1);
    if (latest && input.closedOn < latest) {
      const message = ctx.t('validation.legalDateOrder');
      throw new AppError('VALIDATION', message, [{ path: 'closedOn', message }]);
    }
    await trx.updateTable('legal_cases').set({ status: 'closed', closed_on: input.closedOn, close_note: input.note, updated_at: now }).where('id', '=', c.id).execute();
    return { caseId: c.id, closedOn: input.closedOn, note: input.note };
  });
}

/** 责任认定与处置方案 of a non-performing loan, for a supervisor to decide; one pending at a time. */
export function proposeNplPlan(ctx: AppContext, input: { loanId: number; accountability: string; method: NplMethod; plan: string }): Promise<LegalView> {
  return write(ctx, input.loanId, 'proposePlan', async (trx, { now, user }) => {
    if (!(await isNpl(trx, input.loanId))) throw new AppError('RULE_VIOLATION', ctx.t('errors.planNotNpl'));
    const pending = await trx.selectFrom('npl_plans').select('id').where('loan_id', '=', input.loanId).where('status', '=', 'pending').executeTakeFirst();
    if (pending) throw new AppError('CONFLICT', ctx.t('errors.planPending'));
    const r = await trx
      .insertInto('npl_plans')
      .values({ loan_id: input.loanId, accountability: input.accountability, method: input.method, plan: input.plan, proposed_by: user, proposed_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { planId: r.id, method: input.method, accountability: input.accountability, plan: input.plan };
  });
}

/** A supervisor other than the proposer approves or rejects the plan (with the reason when rejecting). */
export async function decideNplPlan(ctx: AppContext, input: { planId: number; approve: boolean; comment: string }): Promise<LegalView> {
  const s = requirePermission(ctx, 'classification.approve');
  const store = requireStore(ctx);
  const p = await store.db.selectFrom('npl_plans').selectAll().where('id', '=', input.planId).executeTakeFirst();
  if (!p) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchPlan'));
  await visibleLoan(ctx, store, s, p.loan_id);
  if (p.status !== 'pending') throw await staleDecision(ctx, store.db, p.decided_by, p.decided_at, outcomeOf(p.status));
  if (p.proposed_by === s.username) throw new AppError('RULE_VIOLATION', ctx.t('errors.ownPlan'));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('npl_plans')
      .set({ status: input.approve ? 'approved' : 'rejected', decided_by: s.username, decided_at: now, decision_comment: input.comment })
      .where('id', '=', p.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      const by = await trx.selectFrom('npl_plans').select(['decided_by', 'decided_at', 'status']).where('id', '=', p.id).executeTakeFirstOrThrow();
      throw await staleDecision(ctx, trx, by.decided_by, by.decided_at, outcomeOf(by.status));
    }
    await recordAudit(trx, now, {
      actor: s.username,
      action: input.approve ? 'legal.approvePlan' : 'legal.rejectPlan',
      entity: 'loan',
      entityId: String(p.loan_id),
      reason: input.comment,
      detail: { planId: p.id, method: p.method, proposedBy: p.proposed_by },
    });
  });
  return legalViewOf(store.db, p.loan_id, today(ctx));
}
