import { buildSchedule, type RepaymentMethod, type ScheduleRow } from '../../../shared/domain/schedule';
import type { ClassificationLevel } from '../../../shared/domain/classification';
import type { DpdBucket } from '../../../shared/domain/overdue';
import { AppError } from '../../../shared/ipc/errors';
import type { GuaranteeMode, LoanDetail, LoanListRow, LoanStatus } from '../../../shared/ipc/loans';
import { type Role, seesAllLoans } from '../../../shared/permissions';
import { recordAudit } from '../../kernel/audit';
import { dailyBatchSettled } from '../../jobs/dailyBatch';
import { statusesAsOf } from '../../domain/batch';
import { findBorrower } from '../borrowers/borrowers';
import { today, type AppContext, type Session } from '../../kernel/context';
import { planLoan } from '../inspections/inspections';
import { loanDetail } from './loanDetail';
import { saveStatus, statusOf } from '../../domain/loanStatus';
import { type LoanRow, requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore, type Store } from '../../kernel/store';
import { containsText } from '../../db/dialect';

export function scheduleOrError(ctx: AppContext, input: { principalFen: number; annualRate: string; months: number; method: RepaymentMethod; startDate: string }): ScheduleRow[] {
  try {
    return buildSchedule(input);
  } catch (e) {
    throw new AppError('VALIDATION', (e as Error).message);
  }
}

export function previewSchedule(ctx: AppContext, input: Parameters<typeof scheduleOrError>[1]): ScheduleRow[] {
  requirePermission(ctx, 'portfolio.read');
  return scheduleOrError(ctx, input);
}

export interface LoanCreate {
  contractNo: string;
  borrowerId: number;
  product: string;
  principalFen: number;
  annualRate: string;
  months: number;
  method: RepaymentMethod;
  startDate: string;
  penaltyUplift: string;
  purpose: string;
  guaranteeModes: GuaranteeMode[];
  officer: string;
  /** When the contract is drawn in several disbursements: its full amount; `principalFen` is the first one. */
  contractAmountFen?: number | null;
}

const field = (ctx: AppContext, path: string, message: string, code: 'VALIDATION' | 'CONFLICT' | 'RULE_VIOLATION' = 'VALIDATION') =>
  new AppError(code, message, [{ path, message }]);

/** Checks that do not need the database row being written: the same for the form and the Excel import. */
export async function checkLoanCreate(ctx: AppContext, store: Store, s: Session, input: LoanCreate): Promise<ScheduleRow[]> {
  if (input.startDate > today(ctx)) throw field(ctx, 'startDate', ctx.t('errors.startInFuture'), 'RULE_VIOLATION');
  if (input.contractAmountFen != null && input.contractAmountFen < input.principalFen) throw field(ctx, 'contractAmountFen', ctx.t('errors.contractBelowFirstDrawdown'));
  const dup = await store.db.selectFrom('loans').select('id').where('contract_no', '=', input.contractNo).executeTakeFirst();
  if (dup) throw field(ctx, 'contractNo', ctx.t('errors.duplicateContract', { no: input.contractNo }), 'CONFLICT');
  const officer = await store.db.selectFrom('users').select(['roles', 'disabled']).where('username', '=', input.officer).executeTakeFirst();
  const roles = officer ? (JSON.parse(officer.roles) as Role[]) : [];
  if (!officer || officer.disabled || !roles.some((r) => r === 'officer' || r === 'supervisor')) throw field(ctx, 'officer', ctx.t('errors.notAnOfficer'));
  if (!seesAllLoans(s.roles) && input.officer !== s.username) throw field(ctx, 'officer', ctx.t('errors.ownLoansOnly'), 'RULE_VIOLATION');
  await findBorrower(ctx, store, input.borrowerId);
  return scheduleOrError(ctx, input);
}

export async function insertLoan(
  ctx: AppContext,
  trx: Parameters<typeof recordAudit>[0],
  actor: string,
  input: LoanCreate,
  schedule: ScheduleRow[],
  kind: 'loan' | 'factoring' = 'loan',
): Promise<number> {
  const now = ctx.nowIso();
  const { id } = await trx
    .insertInto('loans')
    .values({
      contract_no: input.contractNo,
      kind,
      borrower_id: input.borrowerId,
      product: input.product,
      principal_fen: input.principalFen,
      contract_amount_fen: input.contractAmountFen != null && input.contractAmountFen > input.principalFen ? input.contractAmountFen : null,
      annual_rate: input.annualRate,
      penalty_uplift: input.penaltyUplift,
      term_months: input.months,
      method: input.method,
      purpose: input.purpose,
      start_date: input.startDate,
      maturity_date: schedule[schedule.length - 1].dueDate,
      guarantee_modes: JSON.stringify([...new Set(input.guaranteeModes)]),
      allocation_order: JSON.stringify((await readSettings(trx)).allocationOrder),
      officer: input.officer,
      closed_on: null,
      created_by: actor,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('schedule_rows')
    .values(schedule.map((r) => ({ loan_id: id, version: 1, period: r.period, due_date: r.dueDate, principal_fen: r.principalFen, interest_fen: r.interestFen })))
    .execute();
  await recordAudit(trx, now, { actor, action: 'loans.create', entity: 'loan', entityId: String(id), detail: { ...input, kind } });
  return id;
}

/** Recomputes one loan's stored status after a change; a paid-off loan closes, a reopened one is active again. */
export async function refreshStatus(ctx: AppContext, trx: Parameters<typeof recordAudit>[0], loanId: number, actor: string, history = true): Promise<void> {
  const loan = (await trx.selectFrom('loans').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow()) as LoanRow;
  const c = await statusOf(trx, loan, today(ctx));
  await saveStatus(trx, loanId, c, ctx.nowIso(), actor, history);
  if (loan.status === 'active' && c.state.paidOff) {
    const last = c.state.allocations.at(-1)?.date ?? today(ctx);
    await trx.updateTable('loans').set({ status: 'closed', closed_on: last, updated_at: ctx.nowIso() }).where('id', '=', loanId).execute();
  } else if (loan.status === 'closed' && !c.state.paidOff) {
    await trx.updateTable('loans').set({ status: 'active', closed_on: null, updated_at: ctx.nowIso() }).where('id', '=', loanId).execute();
  }
}

export async function createLoan(ctx: AppContext, input: LoanCreate): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const schedule = await checkLoanCreate(ctx, store, s, input);
  const id = await store.db.transaction().execute(async (trx) => {
    const loanId = await insertLoan(ctx, trx, s.username, input, schedule);
    await refreshStatus(ctx, trx, loanId, s.username);
    await planLoan(ctx, trx, loanId);
    return loanId;
  });
  return loanDetail(ctx, store, s, id, null);
}

export async function getLoan(ctx: AppContext, input: { id: number; asOf: string | null }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'portfolio.read');
  return loanDetail(ctx, requireStore(ctx), s, input.id, input.asOf);
}

const SORT_COLUMNS = {
  contractNo: 'l.contract_no',
  borrowerName: 'b.name',
  balanceFen: 's.balance_fen',
  dpd: 's.dpd',
  maturityDate: 'l.maturity_date',
} as const;

export async function listLoans(
  ctx: AppContext,
  input: {
    query: string;
    officer: string | null;
    bucket: DpdBucket | null;
    level: ClassificationLevel | null;
    status: LoanStatus | null;
    borrowerId?: number | null;
    overdueOnly?: boolean;
    sort: keyof typeof SORT_COLUMNS;
    direction: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ total: number; rows: LoanListRow[]; asOf: string }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  // A read never runs the batch: it waits for a run under way, then shows the statuses as of their day.
  await dailyBatchSettled(ctx);
  const asOf = (await statusesAsOf(store)) ?? today(ctx);
  // Filtered on loans and their statuses only; the page joins borrower and officer for their names. Every loan has
  // its borrower and officer (NOT NULL foreign keys), so the total counts the same without those joins, which on
  // 100,000 loans cost the server a third of the page.
  let q = store.db.selectFrom('loans as l').innerJoin('loan_status as s', 's.loan_id', 'l.id');
  if (!seesAllLoans(s.roles)) q = q.where('l.officer', '=', s.username);
  if (input.officer) q = q.where('l.officer', '=', input.officer);
  if (input.bucket) q = q.where('s.bucket', '=', input.bucket);
  if (input.level) q = q.where('s.level', '=', input.level);
  if (input.status) q = q.where('l.status', '=', input.status);
  if (input.borrowerId) q = q.where('l.borrower_id', '=', input.borrowerId);
  if (input.overdueOnly) q = q.where('s.bucket', '!=', 'M0');
  if (input.query) {
    const text = input.query;
    q = q.where((eb) =>
      eb.or([
        containsText(eb.ref('l.contract_no'), text),
        eb.exists(eb.selectFrom('borrowers as b').select('b.id').whereRef('b.id', '=', 'l.borrower_id').where((e) => e.or([containsText(e.ref('b.name'), text), containsText(e.ref('b.id_number'), text)]))),
      ]),
    );
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .innerJoin('users as u', 'u.username', 'l.officer')
    .select(['l.id', 'l.contract_no', 'l.kind', 'b.name', 'l.officer', 'u.display_name', 'l.principal_fen', 's.balance_fen', 's.dpd', 's.bucket', 's.level', 'l.status', 'l.maturity_date'])
    .orderBy(SORT_COLUMNS[input.sort], input.direction)
    .orderBy('l.id')
    .limit(input.limit)
    .offset(input.offset)
    .execute();
  return {
    total,
    asOf,
    rows: rows.map((r) => ({
      id: r.id,
      contractNo: r.contract_no,
      kind: r.kind,
      borrowerName: r.name,
      officer: r.officer,
      officerName: r.display_name,
      principalFen: r.principal_fen,
      balanceFen: r.balance_fen,
      dpd: r.dpd,
      bucket: r.bucket,
      level: r.level,
      status: r.status,
      maturityDate: r.maturity_date,
    })),
  };
}

export async function listOfficers(ctx: AppContext): Promise<{ username: string; displayName: string }[]> {
  requirePermission(ctx, 'portfolio.read');
  const rows = await requireStore(ctx).db.selectFrom('users').select(['username', 'display_name', 'roles']).where('disabled', '=', 0).orderBy('username').execute();
  return rows
    .filter((r) => (JSON.parse(r.roles) as Role[]).some((x) => x === 'officer' || x === 'supervisor'))
    .map((r) => ({ username: r.username, displayName: r.display_name }));
}
