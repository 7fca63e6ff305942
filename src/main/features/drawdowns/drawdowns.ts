import { scheduleAfterDrawdown } from '../../../shared/domain';
import { formatFen } from '../../../shared/domain/money';
import type { DrawdownsView } from '../../../shared/ipc/drawdowns';
import { AppError } from '../../../shared/ipc/errors';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, today } from '../../kernel/context';
import { replanLoan } from '../inspections/inspections';
import { dueRows } from '../../domain/loanStatus';
import { type LoanRow, visibleLoan, requirePermission } from '../../kernel/authz';
import { refreshStatus } from '../loans/loans';
import { requireStore, type Store } from '../../kernel/store';
import type { Transaction } from 'kysely';

const rule = (ctx: AppContext, key: Parameters<AppContext['t']>[0], params: Record<string, string | number>, path: string) =>
  new AppError('RULE_VIOLATION', ctx.t(key, params), [{ path, message: ctx.t(key, params) }]);

async function view(store: Store, loan: LoanRow): Promise<DrawdownsView> {
  const later = await store.db.selectFrom('loan_drawdowns').selectAll().where('loan_id', '=', loan.id).orderBy('id').execute();
  const laterFen = later.reduce((n, d) => n + d.amount_fen, 0);
  const contract = loan.contract_amount_fen ?? loan.principal_fen;
  return {
    loanId: loan.id,
    contractAmountFen: contract,
    drawnFen: loan.principal_fen,
    availableFen: contract - loan.principal_fen,
    drawdowns: [
      { seq: 1, drawnOn: loan.start_date, amountFen: loan.principal_fen - laterFen, voucherNo: '', by: loan.created_by },
      ...later.map((d, i) => ({ seq: i + 2, drawnOn: d.drawn_on, amountFen: d.amount_fen, voucherNo: d.voucher_no, by: d.created_by })),
    ],
  };
}

/** For printouts: the loan's disbursements, no permission check (the caller made it). */
export async function drawdownsOf(store: Store, loanId: number): Promise<DrawdownsView> {
  return view(store, (await store.db.selectFrom('loans').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow()) as LoanRow);
}

export async function listDrawdowns(ctx: AppContext, input: { loanId: number }): Promise<DrawdownsView> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  return view(store, await visibleLoan(ctx, store, s, input.loanId));
}

/**
 * 分次放款: a further disbursement within the contract amount, on or after the last one, not in the future and
 * before maturity. The principal not yet due and the new money are rescheduled to maturity (a new schedule
 * version; the old one stays for history) and the ledger shows the disbursement.
 */
export async function addDrawdown(ctx: AppContext, input: { loanId: number; drawnOn: string; amountFen: number; voucherNo: string }): Promise<DrawdownsView> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (loan.status !== 'active') throw new AppError('RULE_VIOLATION', ctx.t('errors.loanNotActive'));
  if (loan.kind !== 'loan') throw new AppError('RULE_VIOLATION', ctx.t('errors.drawdownFactoring'));
  const before = await view(store, loan);
  if (input.amountFen > before.availableFen)
    throw rule(ctx, 'errors.drawdownOverContract', { contract: formatFen(before.contractAmountFen), drawn: formatFen(before.drawnFen), available: formatFen(before.availableFen) }, 'amountFen');
  const last = before.drawdowns.at(-1)!.drawnOn;
  if (input.drawnOn < last) throw rule(ctx, 'errors.drawdownBeforeLast', { last }, 'drawnOn');
  if (input.drawnOn > today(ctx)) throw rule(ctx, 'errors.drawdownInFuture', { today: today(ctx) }, 'drawnOn');
  if (input.drawnOn >= loan.maturity_date) throw rule(ctx, 'errors.drawdownAfterMaturity', { maturity: loan.maturity_date }, 'drawnOn');
  await store.db.transaction().execute(async (trx) => {
    await applyDrawdown(ctx, trx, loan, input, s.username);
    await refreshStatus(ctx, trx, loan.id, s.username);
    await replanLoan(ctx, trx, loan.id);
  });
  return view(store, await visibleLoan(ctx, store, s, loan.id));
}

/**
 * Writes one further drawdown whose rules were checked: the new schedule version, the drawn amount, the
 * drawdown row and its audit entry. Shared by the form and the Excel import (which refreshes status itself).
 */
export async function applyDrawdown(ctx: AppContext, trx: Transaction<Database>, loan: LoanRow, input: { drawnOn: string; amountFen: number; voucherNo: string }, actor: string): Promise<void> {
  const now = ctx.nowIso();
  const rows = await dueRows(trx, loan.id, loan.schedule_version);
  const next = scheduleAfterDrawdown({
    rows,
    startDate: loan.start_date,
    maturityDate: loan.maturity_date,
    drawnOn: input.drawnOn,
    amountFen: input.amountFen,
    annualRate: loan.annual_rate,
    method: loan.method,
  });
  const version = loan.schedule_version + 1;
  await trx.insertInto('schedule_rows').values(next.map((r) => ({ loan_id: loan.id, version, period: r.period, due_date: r.dueDate, principal_fen: r.principalFen, interest_fen: r.interestFen }))).execute();
  await trx.updateTable('loans').set({ principal_fen: loan.principal_fen + input.amountFen, schedule_version: version, updated_at: now }).where('id', '=', loan.id).execute();
  await trx.insertInto('loan_drawdowns').values({ loan_id: loan.id, drawn_on: input.drawnOn, amount_fen: input.amountFen, voucher_no: input.voucherNo, schedule_version: version, created_by: actor, created_at: now }).execute();
  await recordAudit(trx, now, { actor, action: 'loans.drawdown', entity: 'loan', entityId: String(loan.id), detail: { loanId: loan.id, ...input, version } });
}
