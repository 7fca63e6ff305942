import { performance } from 'node:perf_hooks';
import type { ClassificationLevel } from '../../shared/domain/classification';
import type { DueRow, ExcessUse, RepaymentEvent } from '../../shared/domain/loanState';
import { floorReasonsZh } from './floorReasons';
import { emit } from '../kernel/events';
import { type AppContext, today } from '../kernel/context';
import { computeStatus, statusRow } from './loanStatus';
import { type LoanRow, requirePermission } from '../kernel/authz';
import { rawTransaction, recordAuditRaw, requireStore, type Store } from '../kernel/store';

export const SYSTEM_ACTOR = 'system';

function groupBy<T>(rows: T[], key: (r: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/**
 * The daily batch: DPD, penalty and the classification floor for every active loan, as of a date.
 * Reads everything in a few scans and writes in one transaction, so 100,000 loans take seconds.
 */
export async function runBatch(ctx: AppContext, store: Store, asOf: string, actor: string): Promise<{ asOf: string; loans: number; changedLevels: number; ms: number }> {
  const t0 = performance.now();
  const sqlite = store.sqlite;
  const loans = sqlite.prepare(`SELECT * FROM loans WHERE status = 'active' ORDER BY id`).all() as LoanRow[];
  const rows = sqlite
    .prepare(
      `SELECT r.loan_id, r.period, r.due_date, r.principal_fen, r.interest_fen FROM schedule_rows r
       JOIN loans l ON l.id = r.loan_id AND l.schedule_version = r.version WHERE l.status = 'active' ORDER BY r.loan_id, r.period`,
    )
    .raw()
    .all() as [number, number, string, number, number][];
  const reps = sqlite
    .prepare(
      `SELECT r.loan_id, r.id, r.paid_on, r.amount_fen, r.excess, r.fee_fen FROM effective_repayments r JOIN loans l ON l.id = r.loan_id
       WHERE l.status = 'active' AND r.paid_on <= ?`,
    )
    .raw()
    .all(asOf) as [number, number, string, number, ExcessUse, number][];
  const manual = new Map(
    (
      sqlite
        .prepare(`SELECT loan_id, level FROM classifications c WHERE status = 'approved' AND id = (SELECT max(id) FROM classifications WHERE loan_id = c.loan_id AND status = 'approved')`)
        .raw()
        .all() as [number, string][]
    ).map(([id, level]) => [id, level as ClassificationLevel]),
  );
  // What each loan's stored status says now; unchanged rows are not written again.
  const prev = new Map(
    (
      sqlite
        .prepare(
          `SELECT loan_id, level, balance_fen || '|' || dpd || '|' || bucket || '|' || overdue_principal_fen || '|' || overdue_interest_fen || '|' ||
             penalty_fen || '|' || coalesce(oldest_unpaid, '') || '|' || floor_level || '|' || floor_reasons || '|' || level FROM loan_status`,
        )
        .raw()
        .all() as [number, string, string][]
    ).map(([id, level, sig]) => [id, { level, sig }]),
  );
  const dueBy = groupBy(rows, (r) => r[0]);
  const repBy = groupBy(reps, (r) => r[0]);

  const upsert = sqlite.prepare(
    `INSERT INTO loan_status (loan_id, as_of, balance_fen, dpd, bucket, overdue_principal_fen, overdue_interest_fen, penalty_fen, oldest_unpaid, floor_level, floor_reasons, level)
     VALUES (@loan_id, @as_of, @balance_fen, @dpd, @bucket, @overdue_principal_fen, @overdue_interest_fen, @penalty_fen, @oldest_unpaid, @floor_level, @floor_reasons, @level)
     ON CONFLICT(loan_id) DO UPDATE SET as_of = excluded.as_of, balance_fen = excluded.balance_fen, dpd = excluded.dpd, bucket = excluded.bucket,
       overdue_principal_fen = excluded.overdue_principal_fen, overdue_interest_fen = excluded.overdue_interest_fen, penalty_fen = excluded.penalty_fen,
       oldest_unpaid = excluded.oldest_unpaid, floor_level = excluded.floor_level, floor_reasons = excluded.floor_reasons, level = excluded.level`,
  );
  const history = sqlite.prepare(
    `INSERT INTO classifications (loan_id, level, floor_level, floor_reasons, reason, status, proposed_by, proposed_at) VALUES (?, ?, ?, ?, ?, 'system', ?, ?)`,
  );
  const close = sqlite.prepare(`UPDATE loans SET status = 'closed', closed_on = ?, updated_at = ? WHERE id = ?`);
  const at = ctx.nowIso();
  let changed = 0;
  const changedIds: number[] = [];
  // The statuses and the batch's audit entry commit together.
  rawTransaction(store, () => {
    for (const loan of loans) {
      const due: DueRow[] = (dueBy.get(loan.id) ?? []).map((r) => ({ period: r[1], dueDate: r[2], principalFen: r[3], interestFen: r[4] }));
      const paid: RepaymentEvent[] = (repBy.get(loan.id) ?? []).map((r) => ({ id: r[1], date: r[2], amountFen: r[3], excess: r[4], feeFen: r[5] }));
      const c = computeStatus(loan, due, paid, asOf, manual.get(loan.id) ?? null);
      const row = statusRow(loan.id, c);
      const before = prev.get(loan.id);
      const sig = [row.balance_fen, row.dpd, row.bucket, row.overdue_principal_fen, row.overdue_interest_fen, row.penalty_fen, row.oldest_unpaid ?? '', row.floor_level, row.floor_reasons, row.level].join('|');
      if (before?.sig !== sig) upsert.run(row);
      // A zero balance with nothing else owed closes the loan (结清).
      if (c.state.paidOff) close.run(c.state.allocations.at(-1)?.date ?? asOf, at, loan.id);
      if (before?.level !== c.level) {
        history.run(loan.id, c.level, c.floorLevel, row.floor_reasons, floorReasonsZh(c.floorReasons), actor, at);
        changed++;
        if (before) changedIds.push(loan.id);
      }
    }
    sqlite.prepare(`INSERT INTO settings(key, value) VALUES ('batch.lastAsOf', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(asOf));
    recordAuditRaw(store, at, { actor, action: 'batch.run', entity: 'portfolio', entityId: asOf, detail: { loans: loans.length, changedLevels: changed } });
  });
  // A new class changes how often the loan is inspected (inspections re-plans it).
  if (changedIds.length > 0) await store.db.transaction().execute((trx) => emit('loans.classChanged', { ctx, db: trx, loanIds: changedIds }));
  // Then loans without a plan get one, and the automatic warning signals are raised from the statuses just stored.
  await emit('batch.statusesStored', { ctx, store, asOf, actor });
  return { asOf, loans: loans.length, changedLevels: changed, ms: Math.round(performance.now() - t0) };
}

/** The day the stored statuses were computed for (the last batch's as-of date), or null before the first batch. */
export async function statusesAsOf(store: Store): Promise<string | null> {
  const r = await store.db.selectFrom('settings').select('value').where('key', '=', 'batch.lastAsOf').executeTakeFirst();
  return r ? (JSON.parse(r.value) as string) : null;
}

export async function runBatchCommand(ctx: AppContext, input: { asOf: string | null }) {
  const s = requirePermission(ctx, 'batch.run');
  return runBatch(ctx, requireStore(ctx), input.asOf ?? today(ctx), s.username);
}
