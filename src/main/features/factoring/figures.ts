import type { Kysely, Transaction } from 'kysely';
import { formatFen } from '../../../shared/domain';
import { AppError } from '../../../shared/ipc/errors';
import type { Database } from '../../db/schema';
import type { AppContext } from '../../kernel/context';

type Db = Kysely<Database> | Transaction<Database>;

/** What has reduced one receivable, as of a date (or everything recorded when `asOf` is null). */
export interface ReceivableFigures {
  debtorFen: number;
  buybackFen: number;
  creditFen: number;
  returnFen: number;
  /** Disputes less their resolutions. */
  disputedFen: number;
  misdirectedFen: number;
}

const ZERO: ReceivableFigures = { debtorFen: 0, buybackFen: 0, creditFen: 0, returnFen: 0, disputedFen: 0, misdirectedFen: 0 };

/** Credit notes, returns and open disputes: by how much the receivable was diluted. */
export const dilutionOf = (f: ReceivableFigures) => f.creditFen + f.returnFen + f.disputedFen;

/** Invoice less effective payments, buy-backs and dilution; never below zero. */
export const openOf = (invoiceFen: number, f: ReceivableFigures) => Math.max(0, invoiceFen - f.debtorFen - f.buybackFen - dilutionOf(f));

/**
 * Per receivable: effective payments (a reversed repayment and its reversal left out, as `effective_repayments`)
 * and adjustments, dated by `asOf` when given. `ids` null: every receivable.
 */
export async function receivableFigures(db: Db, ids: readonly number[] | null, asOf: string | null = null): Promise<Map<number, ReceivableFigures>> {
  const out = new Map<number, ReceivableFigures>();
  if (ids && ids.length === 0) return out;
  const get = (id: number) => {
    let f = out.get(id);
    if (!f) out.set(id, (f = { ...ZERO }));
    return f;
  };
  let pays = db
    .selectFrom('receivable_payments as p')
    .innerJoin('effective_repayments as e', 'e.id', 'p.repayment_id')
    .select(['p.receivable_id', 'p.kind', 'p.amount_fen']);
  if (ids) pays = pays.where('p.receivable_id', 'in', ids);
  if (asOf) pays = pays.where('p.paid_on', '<=', asOf);
  for (const p of await pays.execute()) {
    const f = get(p.receivable_id);
    if (p.kind === 'debtor') f.debtorFen += p.amount_fen;
    else f.buybackFen += p.amount_fen;
  }
  let adj = db.selectFrom('receivable_adjustments').select(['receivable_id', 'kind', 'amount_fen']);
  if (ids) adj = adj.where('receivable_id', 'in', ids);
  if (asOf) adj = adj.where('adjusted_on', '<=', asOf);
  for (const a of await adj.execute()) {
    const f = get(a.receivable_id);
    if (a.kind === 'credit-note') f.creditFen += a.amount_fen;
    else if (a.kind === 'return') f.returnFen += a.amount_fen;
    else if (a.kind === 'dispute') f.disputedFen += a.amount_fen;
    else if (a.kind === 'dispute-resolved') f.disputedFen -= a.amount_fen;
    else f.misdirectedFen += a.amount_fen;
  }
  return out;
}

export const figuresFor = (m: Map<number, ReceivableFigures>, id: number): ReceivableFigures => m.get(id) ?? ZERO;

/** Counts towards a financing's eligible base on `asOf`: something open, nothing under dispute, not past due. */
export const isEligible = (r: { invoice_amount_fen: number; due_date: string }, f: ReceivableFigures, asOf: string) => openOf(r.invoice_amount_fen, f) > 0 && f.disputedFen === 0 && r.due_date >= asOf;

/**
 * A debtor's limit holds across sellers: run inside the transaction that records new receivables, after them, it
 * refuses (and so rolls back) when a debtor named by `creditCodes` now owes more on active financings than its limit.
 */
export async function assertDebtorLimits(ctx: AppContext, db: Db, creditCodes: readonly string[]): Promise<void> {
  if (creditCodes.length === 0) return;
  const debtors = await db.selectFrom('debtors').select(['id', 'name', 'limit_fen']).where('credit_code', 'in', [...new Set(creditCodes)]).where('limit_fen', 'is not', null).execute();
  if (debtors.length === 0) return;
  const rows = await db
    .selectFrom('receivables as r')
    .innerJoin('loans as l', 'l.id', 'r.loan_id')
    .select(['r.id', 'r.debtor_id', 'r.invoice_amount_fen'])
    .where('l.status', '=', 'active')
    .where('r.debtor_id', 'in', debtors.map((d) => d.id))
    .execute();
  const figures = await receivableFigures(db, rows.map((r) => r.id));
  for (const d of debtors) {
    const exposure = rows.filter((r) => r.debtor_id === d.id).reduce((n, r) => n + openOf(r.invoice_amount_fen, figures.get(r.id) ?? ZERO), 0);
    if (exposure > d.limit_fen!) throw new AppError('RULE_VIOLATION', ctx.t('errors.debtorLimitExceeded', { name: d.name, limit: formatFen(d.limit_fen!), exposure: formatFen(exposure) }));
  }
}
