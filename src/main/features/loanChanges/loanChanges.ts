import { acceleratedSchedule, addDays, addMonthsClamped, buildSchedule, isWorseOrEqual, shiftedGuaranteeEnd, type AccelerationGround, type ClassificationLevel, type RepaymentMethod } from '../../../shared/domain';
import { AppError } from '../../../shared/ipc/errors';
import type { LoanChangeView, WrittenOffView } from '../../../shared/ipc/loanChanges';
import { can, seesAllLoans } from '../../../shared/permissions';
import type { LoanChangesTable } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, today } from '../../kernel/context';
import { replanLoan } from '../inspections/inspections';
import { dueRows, statusOf } from '../../domain/loanStatus';
import { type LoanRow, visibleLoan, requirePermission, requireSession } from '../../kernel/authz';
import { refreshStatus } from '../loans/loans';
import { readSettings } from '../../kernel/settings';
import { outcomeOf, staleDecision } from '../../kernel/stale';
import { requireStore, type Store } from '../../kernel/store';

type Row = Omit<LoanChangesTable, 'id'> & { id: number };

function months(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

async function view(store: Store, r: Row): Promise<LoanChangeView> {
  const loan = await store.db.selectFrom('loans').select('contract_no').where('id', '=', r.loan_id).executeTakeFirstOrThrow();
  return {
    id: r.id,
    loanId: r.loan_id,
    contractNo: loan.contract_no,
    kind: r.kind,
    appliedOn: r.applied_on,
    newMaturity: r.new_maturity,
    reason: r.reason,
    evidence: r.evidence,
    grounds: r.grounds ? (JSON.parse(r.grounds) as AccelerationGround[]) : [],
    status: r.status,
    applicant: r.applicant,
    approvals: [
      ...(r.first_approver ? [{ by: r.first_approver, at: r.first_at!, comment: r.first_comment ?? '' }] : []),
      ...(r.final_approver ? [{ by: r.final_approver, at: r.final_at!, comment: r.final_comment ?? '' }] : []),
    ],
  };
}

const rule = (ctx: AppContext, key: Parameters<AppContext['t']>[0], params?: Record<string, string | number>, path?: string) =>
  new AppError('RULE_VIOLATION', ctx.t(key, params), path ? [{ path, message: ctx.t(key, params) }] : undefined);

/**
 * 展期: filed before maturity, at least the set days ahead; the extension may not exceed the original term
 * (up to one year), half of it (one to five years) or three years (longer), as 《贷款通则》 has it.
 */
export async function applyExtension(ctx: AppContext, input: { loanId: number; newMaturity: string; reason: string }): Promise<LoanChangeView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const now = today(ctx);
  if (loan.status !== 'active') throw rule(ctx, 'errors.loanNotActive');
  const lead = (await readSettings(store.db)).extensionLeadDays;
  if (now > addDays(loan.maturity_date, -lead)) throw rule(ctx, 'errors.extensionTooLate', { days: lead, maturity: loan.maturity_date });
  if (input.newMaturity <= loan.maturity_date) throw rule(ctx, 'errors.extensionNotLater', { maturity: ctx.day(loan.maturity_date) }, 'newMaturity');
  const term = loan.term_months;
  const maxMonths = term <= 12 ? term : term <= 60 ? Math.floor(term / 2) : 36;
  if (input.newMaturity > addMonthsClamped(loan.maturity_date, maxMonths)) throw rule(ctx, 'errors.extensionTooLong', { months: maxMonths }, 'newMaturity');
  return fileChange(ctx, store, s.username, { loan_id: loan.id, kind: 'extension', new_maturity: input.newMaturity, reason: input.reason, evidence: '', grounds: null });
}

/** 核销: only a non-performing loan (substandard or worse) may be proposed for write-off. */
export async function proposeWriteOff(ctx: AppContext, input: { loanId: number; reason: string; evidence: string }): Promise<LoanChangeView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (loan.status !== 'active') throw rule(ctx, 'errors.loanNotActive');
  const st = await statusOf(store.db, loan, today(ctx));
  if (!isWorseOrEqual(st.level, 'substandard' as ClassificationLevel)) throw rule(ctx, 'errors.writeOffPerforming');
  return fileChange(ctx, store, s.username, { loan_id: loan.id, kind: 'write-off', new_maturity: null, reason: input.reason, evidence: input.evidence, grounds: null });
}

/**
 * 宣布贷款提前到期: the officer states the events of default the contract names; a supervisor decides. Only an
 * active loan before its maturity (after it everything is due anyway); the ground `overdue` must be true today.
 */
export async function applyAcceleration(ctx: AppContext, input: { loanId: number; grounds: AccelerationGround[]; reason: string }): Promise<LoanChangeView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (loan.status !== 'active') throw rule(ctx, 'errors.loanNotActive');
  if (today(ctx) >= loan.maturity_date) throw rule(ctx, 'errors.accelerationMatured', { maturity: loan.maturity_date });
  const grounds = [...new Set(input.grounds)];
  if (grounds.includes('overdue') && (await statusOf(store.db, loan, today(ctx))).state.dpd === 0) throw rule(ctx, 'errors.accelerationNotOverdue', undefined, 'grounds');
  return fileChange(ctx, store, s.username, { loan_id: loan.id, kind: 'acceleration', new_maturity: null, reason: input.reason, evidence: '', grounds: JSON.stringify(grounds) });
}

async function fileChange(ctx: AppContext, store: Store, actor: string, c: Pick<Row, 'loan_id' | 'kind' | 'new_maturity' | 'reason' | 'evidence' | 'grounds'>): Promise<LoanChangeView> {
  const open = await store.db.selectFrom('loan_changes').select('id').where('loan_id', '=', c.loan_id).where('kind', '=', c.kind).where('status', 'in', ['pending', 'first-approved']).executeTakeFirst();
  if (open) throw new AppError('CONFLICT', ctx.t('errors.changePending'));
  const now = ctx.nowIso();
  const id = await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('loan_changes')
      .values({ ...c, applied_on: today(ctx), new_rate: null, new_method: null, status: 'pending', applicant: actor, first_approver: null, first_at: null, first_comment: null, final_approver: null, final_at: null, final_comment: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor, action: `changes.${c.kind}`, entity: 'loan', entityId: String(c.loan_id), reason: c.reason, detail: c });
    return r.id;
  });
  return view(store, (await store.db.selectFrom('loan_changes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Row);
}

/**
 * Decisions: a supervisor approves an extension; a write-off needs the supervisor and then the risk officer.
 * Nobody decides their own application, and the two write-off approvers are different people.
 */
export async function decideChange(ctx: AppContext, input: { changeId: number; approve: boolean; comment: string }): Promise<LoanChangeView> {
  const s = requireSession(ctx);
  const store = requireStore(ctx);
  const r = (await store.db.selectFrom('loan_changes').selectAll().where('id', '=', input.changeId).executeTakeFirst()) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchChange'));
  const loan = await visibleLoan(ctx, store, s, r.loan_id);
  if (r.status === 'approved' || r.status === 'rejected') throw await staleDecision(ctx, store.db, r.final_approver ?? r.first_approver, r.final_at ?? r.first_at, outcomeOf(r.status));
  if (r.applicant === s.username) throw rule(ctx, 'errors.ownChange');
  const final = r.kind === 'write-off' ? r.status === 'first-approved' : true;
  const needed = r.kind === 'write-off' && final ? 'writeoff.final' : 'loanchanges.approve';
  if (!can(s.roles, needed)) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
  if (r.first_approver === s.username) throw rule(ctx, 'errors.sameApprover');
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const status = !input.approve ? 'rejected' : final ? 'approved' : 'first-approved';
    const set = r.status === 'pending' ? { first_approver: s.username, first_at: now, first_comment: input.comment } : { final_approver: s.username, final_at: now, final_comment: input.comment };
    // Guarded by the state this decision was made on: two approvers at once cannot both take the same step.
    const done = await trx.updateTable('loan_changes').set({ ...set, status }).where('id', '=', r.id).where('status', '=', r.status).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      const by = await trx.selectFrom('loan_changes').select(['first_approver', 'first_at', 'final_approver', 'final_at', 'status']).where('id', '=', r.id).executeTakeFirstOrThrow();
      throw await staleDecision(ctx, trx, by.final_approver ?? by.first_approver, by.final_at ?? by.first_at, outcomeOf(by.status));
    }
    await recordAudit(trx, now, { actor: s.username, action: `changes.${input.approve ? 'approve' : 'reject'}`, entity: 'loan-change', entityId: String(r.id), reason: input.comment, detail: { kind: r.kind, loanId: r.loan_id } });
    if (status !== 'approved') return;
    if (r.kind === 'extension') await extend(ctx, trx, loan, r.new_maturity!, s.username);
    if (r.kind === 'restructuring') await restructure(ctx, trx, loan, r, s.username);
    if (r.kind === 'acceleration') await accelerate(ctx, trx, loan, r, s.username);
    if (r.kind === 'write-off') {
      await trx.updateTable('loans').set({ status: 'written-off', written_off_on: today(ctx), updated_at: now }).where('id', '=', loan.id).execute();
      await trx.insertInto('loan_events').values({ loan_id: loan.id, event_date: today(ctx), kind: 'write-off', detail: JSON.stringify({ changeId: r.id }), created_by: s.username, created_at: now }).execute();
    }
  });
  return view(store, (await store.db.selectFrom('loan_changes').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow()) as Row);
}

/**
 * A new schedule version: instalments already due stay as they were; what is not yet due is spread, with the
 * same method and rate, from the last kept due date to the new maturity.
 */
async function extend(ctx: AppContext, trx: Parameters<typeof recordAudit>[0], loan: LoanRow, newMaturity: string, actor: string): Promise<void> {
  const version = await reschedule(ctx, trx, loan, { newMaturity, rate: loan.annual_rate, method: loan.method });
  await trx.updateTable('loans').set({ schedule_version: version, maturity_date: newMaturity, extended: 1, updated_at: ctx.nowIso() }).where('id', '=', loan.id).execute();
  await trx.insertInto('loan_events').values({ loan_id: loan.id, event_date: today(ctx), kind: 'extension', detail: JSON.stringify({ from: loan.maturity_date, to: newMaturity, version }), created_by: actor, created_at: ctx.nowIso() }).execute();
  await refreshStatus(ctx, trx, loan.id, actor);
  await replanLoan(ctx, trx, loan.id);
}

/**
 * A new schedule version: instalments already due stay as they were; the principal not yet due is spread
 * from the last kept due date to the new maturity with the given rate and method.
 */
async function reschedule(
  ctx: AppContext,
  trx: Parameters<typeof recordAudit>[0],
  loan: LoanRow,
  terms: { newMaturity: string; rate: string; method: RepaymentMethod; settleOverdue?: boolean },
): Promise<number> {
  const now = today(ctx);
  const rows = await dueRows(trx, loan.id, loan.schedule_version);
  let kept = rows.filter((r) => r.dueDate <= now);
  let principal = rows.filter((r) => r.dueDate > now).reduce((n, r) => n + r.principalFen, 0);
  let carriedInterest = 0;
  if (terms.settleOverdue) {
    // Restructuring takes over what is overdue: past periods keep only what was paid; the unpaid principal
    // joins the new schedule and unpaid interest falls due with its first period. Accrued penalty lapses.
    const paid = new Map((await statusOf(trx, loan, now)).state.periods.map((p) => [p.period, p]));
    kept = kept.map((r) => {
      const p = paid.get(r.period)!;
      principal += r.principalFen - p.principalPaidFen;
      carriedInterest += r.interestFen - p.interestPaidFen;
      return { ...r, principalFen: p.principalPaidFen, interestFen: p.interestPaidFen };
    });
  }
  const from = kept.at(-1)?.dueDate ?? loan.start_date;
  const start = terms.settleOverdue ? now : from;
  const version = loan.schedule_version + 1;
  const span = Math.max(1, months(start, terms.newMaturity));
  const tail = buildSchedule({ principalFen: principal, annualRate: terms.rate, months: span, method: terms.method, startDate: start });
  const next = [
    ...kept,
    ...tail.map((t, i) => ({
      period: kept.length + i + 1,
      dueDate: i === tail.length - 1 ? terms.newMaturity : t.dueDate,
      principalFen: t.principalFen,
      interestFen: t.interestFen + (i === 0 ? carriedInterest : 0),
    })),
  ];
  await trx.insertInto('schedule_rows').values(next.map((r) => ({ loan_id: loan.id, version, period: r.period, due_date: r.dueDate, principal_fen: r.principalFen, interest_fen: r.interestFen }))).execute();
  return version;
}

/**
 * The acceleration takes effect on the day it is approved: that day becomes the loan's maturity, the principal not
 * yet due falls due on it (acceleratedSchedule), and so the DPD, penalty, limitation clock (which runs from the
 * maturity) and each guarantee period (moved with it) follow.
 */
async function accelerate(ctx: AppContext, trx: Parameters<typeof recordAudit>[0], loan: LoanRow, c: Row, actor: string): Promise<void> {
  const on = today(ctx);
  if (on >= loan.maturity_date) throw rule(ctx, 'errors.accelerationMatured', { maturity: loan.maturity_date });
  const rows = await dueRows(trx, loan.id, loan.schedule_version);
  const version = loan.schedule_version + 1;
  const next = acceleratedSchedule(rows, on, loan.annual_rate, loan.start_date);
  await trx.insertInto('schedule_rows').values(next.map((r) => ({ loan_id: loan.id, version, period: r.period, due_date: r.dueDate, principal_fen: r.principalFen, interest_fen: r.interestFen }))).execute();
  await trx.updateTable('loans').set({ schedule_version: version, maturity_date: on, updated_at: ctx.nowIso() }).where('id', '=', loan.id).execute();
  await trx.updateTable('loan_changes').set({ new_maturity: on }).where('id', '=', c.id).execute();
  const guarantees: { id: number; from: string; to: string }[] = [];
  for (const g of await trx.selectFrom('loan_guarantees').select(['id', 'period_end']).where('loan_id', '=', loan.id).execute()) {
    const to = shiftedGuaranteeEnd(loan.maturity_date, g.period_end, on);
    if (to === g.period_end) continue;
    await trx.updateTable('loan_guarantees').set({ period_end: to }).where('id', '=', g.id).execute();
    guarantees.push({ id: g.id, from: g.period_end, to });
  }
  const detail = { from: loan.maturity_date, to: on, version, grounds: c.grounds ? (JSON.parse(c.grounds) as AccelerationGround[]) : [], changeId: c.id, guarantees };
  await trx.insertInto('loan_events').values({ loan_id: loan.id, event_date: on, kind: 'acceleration', detail: JSON.stringify(detail), created_by: actor, created_at: ctx.nowIso() }).execute();
  await recordAudit(trx, ctx.nowIso(), { actor, action: 'changes.accelerated', entity: 'loan', entityId: String(loan.id), detail });
  await refreshStatus(ctx, trx, loan.id, actor);
  await replanLoan(ctx, trx, loan.id);
}

/**
 * 重组: new terms for what is not yet due; the loan is flagged restructured for an observation period of at
 * least 12 months and two repayment periods, and keeps whether it was non-performing before.
 */
async function restructure(ctx: AppContext, trx: Parameters<typeof recordAudit>[0], loan: LoanRow, c: Row, actor: string): Promise<void> {
  const before = await statusOf(trx, loan, today(ctx));
  const method = c.new_method ?? loan.method;
  const rate = c.new_rate ?? loan.annual_rate;
  const version = await reschedule(ctx, trx, loan, { newMaturity: c.new_maturity!, rate, method, settleOverdue: true });
  const newRows = await dueRows(trx, loan.id, version);
  const second = newRows.filter((r) => r.dueDate > today(ctx))[1]?.dueDate ?? c.new_maturity!;
  const year = addMonthsClamped(today(ctx), 12);
  const observation = second > year ? second : year;
  await trx
    .updateTable('loans')
    .set({
      schedule_version: version,
      maturity_date: c.new_maturity!,
      annual_rate: rate,
      method,
      restructured: 1,
      npl_before_restructure: isWorseOrEqual(before.level, 'substandard') ? 1 : 0,
      observation_until: observation,
      updated_at: ctx.nowIso(),
    })
    .where('id', '=', loan.id)
    .execute();
  await trx.insertInto('loan_events').values({ loan_id: loan.id, event_date: today(ctx), kind: 'restructuring', detail: JSON.stringify({ maturity: c.new_maturity, rate, method, observationUntil: observation, version }), created_by: actor, created_at: ctx.nowIso() }).execute();
  await refreshStatus(ctx, trx, loan.id, actor);
  await replanLoan(ctx, trx, loan.id);
}

/** 重组申请: new maturity, rate and method for what is not yet due; decided like an extension. */
export async function applyRestructuring(ctx: AppContext, input: { loanId: number; newMaturity: string; newRate: string; newMethod: RepaymentMethod; reason: string }): Promise<LoanChangeView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (loan.status !== 'active') throw rule(ctx, 'errors.loanNotActive');
  if (input.newMaturity <= today(ctx)) throw rule(ctx, 'errors.restructureMaturity', undefined, 'newMaturity');
  const open = await store.db.selectFrom('loan_changes').select('id').where('loan_id', '=', loan.id).where('kind', '=', 'restructuring').where('status', 'in', ['pending', 'first-approved']).executeTakeFirst();
  if (open) throw new AppError('CONFLICT', ctx.t('errors.changePending'));
  const now = ctx.nowIso();
  const id = await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('loan_changes')
      .values({ loan_id: loan.id, kind: 'restructuring', applied_on: today(ctx), new_maturity: input.newMaturity, new_rate: input.newRate, new_method: input.newMethod, reason: input.reason, evidence: '', grounds: null, status: 'pending', applicant: s.username, first_approver: null, first_at: null, first_comment: null, final_approver: null, final_at: null, final_comment: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor: s.username, action: 'changes.restructuring', entity: 'loan', entityId: String(loan.id), reason: input.reason, detail: input });
    return r.id;
  });
  return view(store, (await store.db.selectFrom('loan_changes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as Row);
}

export async function changesForLoan(ctx: AppContext, input: { loanId: number }): Promise<LoanChangeView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  const rows = (await store.db.selectFrom('loan_changes').selectAll().where('loan_id', '=', input.loanId).orderBy('id', 'desc').execute()) as Row[];
  return Promise.all(rows.map((r) => view(store, r)));
}

/** What is waiting for this user's decision. */
export async function pendingChanges(ctx: AppContext): Promise<LoanChangeView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  let q = store.db.selectFrom('loan_changes as c').innerJoin('loans as l', 'l.id', 'c.loan_id').selectAll('c').where('c.status', 'in', ['pending', 'first-approved']).where('c.applicant', '!=', s.username);
  if (!seesAllLoans(s.roles)) q = q.where('l.officer', '=', s.username);
  const rows = (await q.orderBy('c.id').execute()) as Row[];
  return Promise.all(
    rows
      .filter((r) => (r.kind === 'write-off' && r.status === 'first-approved' ? can(s.roles, 'writeoff.final') : can(s.roles, 'loanchanges.approve')) && r.first_approver !== s.username)
      .map((r) => view(store, r)),
  );
}

/** The written-off register (账销案存): the claim stays, and recoveries are recorded against it. */
export async function writtenOff(ctx: AppContext): Promise<WrittenOffView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  let q = requireStore(ctx)
    .db.selectFrom('loans as l')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .leftJoin('loan_status as st', 'st.loan_id', 'l.id')
    .select(['l.id', 'l.contract_no', 'b.name', 'l.written_off_on', 'st.balance_fen'])
    .select((eb) => eb.selectFrom('recoveries as r').select((x) => x.fn.coalesce(x.fn.sum<number>('r.amount_fen'), x.lit(0)).as('n')).whereRef('r.loan_id', '=', 'l.id').as('recovered'))
    .where('l.status', '=', 'written-off');
  if (!seesAllLoans(s.roles)) q = q.where('l.officer', '=', s.username);
  const rows = await q.orderBy('l.written_off_on', 'desc').execute();
  return rows.map((r) => ({ loanId: r.id, contractNo: r.contract_no, borrowerName: r.name, writtenOffOn: r.written_off_on ?? '', balanceFen: r.balance_fen ?? 0, recoveredFen: Number(r.recovered ?? 0) }));
}

export async function recordRecovery(ctx: AppContext, input: { loanId: number; paidOn: string; amountFen: number; note: string }): Promise<WrittenOffView[]> {
  const s = requirePermission(ctx, 'repayments.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (loan.status !== 'written-off') throw rule(ctx, 'errors.notWrittenOff');
  if (input.paidOn > today(ctx) || (loan.written_off_on && input.paidOn < loan.written_off_on)) throw rule(ctx, 'errors.eventDateInvalid', undefined, 'paidOn');
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('recoveries').values({ loan_id: loan.id, paid_on: input.paidOn, amount_fen: input.amountFen, note: input.note, created_by: s.username, created_at: ctx.nowIso() }).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'writeoffs.recover', entity: 'loan', entityId: String(loan.id), detail: input });
  });
  return writtenOff(ctx);
}
