import { performance } from 'node:perf_hooks';
import type { ClassificationLevel } from '../../shared/domain/classification';
import type { DueRow, ExcessUse, RepaymentEvent } from '../../shared/domain/loanState';
import { floorReasonsZh } from './floorReasons';
import { emit } from '../kernel/events';
import type { AppContext } from '../kernel/context';
import { computeStatus, statusRow } from './loanStatus';
import type { LoanRow } from '../kernel/authz';
import { rawTransaction, recordAuditRaw, type Store } from '../kernel/store';

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

/** Loans per write transaction: each chunk reads its loans' data and writes their statuses in one transaction. */
export const BATCH_CHUNK = 1000;

/** Where a run is: storing the statuses (`done` of `total` loans), then the reactions to them. */
export interface BatchProgress {
  phase: 'statuses' | 'reactions';
  done: number;
  total: number;
}

export interface BatchOptions {
  /** Told after each chunk commits and when the reactions start. */
  onProgress?: (p: BatchProgress) => void;
  /** Awaited between chunks (the main thread yields there so that calls are answered). */
  between?: () => Promise<void>;
  chunk?: number;
}

export interface BatchResult {
  asOf: string;
  loans: number;
  changedLevels: number;
  ms: number;
}

/**
 * The daily batch: DPD, penalty and the classification floor for every active loan, as of a date.
 * The loans are taken in chunks of ids; each chunk reads its loans' schedules, repayments and classes and writes
 * their statuses in one transaction, consistent within itself, that holds the write lock only while it writes.
 * The last transaction records the as-of date and the batch's audit entry, so a run that stops half-way is not
 * taken as done and the next trigger runs it again (the chunks already stored are recomputed identically).
 */
export async function runBatch(ctx: AppContext, store: Store, asOf: string, actor: string, opts: BatchOptions = {}): Promise<BatchResult> {
  const t0 = performance.now();
  const sqlite = store.sqlite;
  const chunkSize = opts.chunk ?? BATCH_CHUNK;
  const ids = (sqlite.prepare(`SELECT id FROM loans WHERE status = 'active' ORDER BY id`).raw().all() as [number][]).map((r) => r[0]);
  const total = ids.length;
  const loansIn = sqlite.prepare(`SELECT * FROM loans WHERE status = 'active' AND id BETWEEN ? AND ? ORDER BY id`);
  const rowsIn = sqlite
    .prepare(
      `SELECT r.loan_id, r.period, r.due_date, r.principal_fen, r.interest_fen FROM schedule_rows r
       JOIN loans l ON l.id = r.loan_id AND l.schedule_version = r.version WHERE l.status = 'active' AND l.id BETWEEN ? AND ? ORDER BY r.loan_id, r.period`,
    )
    .raw();
  const repsIn = sqlite
    .prepare(
      `SELECT r.loan_id, r.id, r.paid_on, r.amount_fen, r.excess, r.fee_fen FROM effective_repayments r JOIN loans l ON l.id = r.loan_id
       WHERE l.status = 'active' AND l.id BETWEEN ? AND ? AND r.paid_on <= ?`,
    )
    .raw();
  const manualIn = sqlite
    .prepare(
      `SELECT loan_id, level FROM classifications c WHERE c.loan_id BETWEEN ? AND ? AND status = 'approved'
         AND id = (SELECT max(id) FROM classifications WHERE loan_id = c.loan_id AND status = 'approved')`,
    )
    .raw();
  // What each loan's stored status says now; unchanged rows are not written again.
  const prevIn = sqlite
    .prepare(
      `SELECT loan_id, level, balance_fen || '|' || dpd || '|' || bucket || '|' || overdue_principal_fen || '|' || overdue_interest_fen || '|' ||
         penalty_fen || '|' || coalesce(oldest_unpaid, '') || '|' || floor_level || '|' || floor_reasons || '|' || level FROM loan_status WHERE loan_id BETWEEN ? AND ?`,
    )
    .raw();
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
  let stored = 0;
  const changedIds: number[] = [];

  type Plan = { loans: number; upserts: ReturnType<typeof statusRow>[]; closes: [string, number][]; history: unknown[][]; changed: number; changedIds: number[] };
  // Reads a chunk's loans and computes what to write, writing nothing.
  const plan = (lo: number, hi: number): Plan => {
    const p: Plan = { loans: 0, upserts: [], closes: [], history: [], changed: 0, changedIds: [] };
    const loans = loansIn.all(lo, hi) as LoanRow[];
    const dueBy = groupBy(rowsIn.all(lo, hi) as [number, number, string, number, number][], (r) => r[0]);
    const repBy = groupBy(repsIn.all(lo, hi, asOf) as [number, number, string, number, ExcessUse, number][], (r) => r[0]);
    const manual = new Map((manualIn.all(lo, hi) as [number, ClassificationLevel][]).map(([id, level]) => [id, level]));
    const prev = new Map((prevIn.all(lo, hi) as [number, ClassificationLevel, string][]).map(([id, level, sig]) => [id, { level, sig }]));
    for (const loan of loans) {
      const due: DueRow[] = (dueBy.get(loan.id) ?? []).map((r) => ({ period: r[1], dueDate: r[2], principalFen: r[3], interestFen: r[4] }));
      const paid: RepaymentEvent[] = (repBy.get(loan.id) ?? []).map((r) => ({ id: r[1], date: r[2], amountFen: r[3], excess: r[4], feeFen: r[5] }));
      const c = computeStatus(loan, due, paid, asOf, manual.get(loan.id) ?? null);
      const row = statusRow(loan.id, c);
      const before = prev.get(loan.id);
      const sig = [row.balance_fen, row.dpd, row.bucket, row.overdue_principal_fen, row.overdue_interest_fen, row.penalty_fen, row.oldest_unpaid ?? '', row.floor_level, row.floor_reasons, row.level].join('|');
      if (before?.sig !== sig) p.upserts.push(row);
      // A zero balance with nothing else owed closes the loan (结清).
      if (c.state.paidOff) p.closes.push([c.state.allocations.at(-1)?.date ?? asOf, loan.id]);
      if (before?.level !== c.level) {
        p.history.push([loan.id, c.level, c.floorLevel, row.floor_reasons, floorReasonsZh(c.floorReasons), actor, at]);
        p.changed++;
        if (before) p.changedIds.push(loan.id);
      }
    }
    p.loans = loans.length;
    return p;
  };
  const apply = (p: Plan) => {
    for (const row of p.upserts) upsert.run(row);
    for (const [on, id] of p.closes) close.run(on, at, id);
    for (const h of p.history) history.run(...h);
  };
  /**
   * One chunk, consistent: read and computed in a read transaction, then written in it, which takes the write lock
   * only for the writes. If another connection committed since the reads, SQLite refuses the upgrade (SQLITE_BUSY /
   * BUSY_SNAPSHOT) and the chunk is read again; after a few refusals it runs under BEGIN IMMEDIATE, reads included.
   */
  const runChunk = (lo: number, hi: number): Plan => {
    for (let attempt = 0; attempt < 3; attempt++) {
      sqlite.exec('BEGIN DEFERRED');
      try {
        const p = plan(lo, hi);
        apply(p);
        sqlite.exec('COMMIT');
        return p;
      } catch (e) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        if (!String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw e;
      }
    }
    return rawTransaction(store, () => {
      const p = plan(lo, hi);
      apply(p);
      return p;
    });
  };

  opts.onProgress?.({ phase: 'statuses', done: 0, total });
  for (let i = 0; i < total; i += chunkSize) {
    const p = runChunk(ids[i], ids[Math.min(i + chunkSize, total) - 1]);
    stored += p.loans;
    changed += p.changed;
    changedIds.push(...p.changedIds);
    opts.onProgress?.({ phase: 'statuses', done: Math.min(i + chunkSize, total), total });
    if (opts.between) await opts.between();
  }
  // The as-of date and the batch's audit entry commit together, after every chunk.
  rawTransaction(store, () => {
    sqlite.prepare(`INSERT INTO settings(key, value) VALUES ('batch.lastAsOf', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(asOf));
    recordAuditRaw(store, at, { actor, action: 'batch.run', entity: 'portfolio', entityId: asOf, detail: { loans: stored, changedLevels: changed } });
  });
  opts.onProgress?.({ phase: 'reactions', done: total, total });
  // A new class changes how often the loan is inspected (inspections re-plans it).
  if (changedIds.length > 0) await store.db.transaction().execute((trx) => emit('loans.classChanged', { ctx, db: trx, loanIds: changedIds }));
  // Then loans without a plan get one, and the automatic warning signals are raised from the statuses just stored.
  await emit('batch.statusesStored', { ctx, store, asOf, actor });
  return { asOf, loans: stored, changedLevels: changed, ms: Math.round(performance.now() - t0) };
}

/** The day the stored statuses were computed for (the last batch's as-of date), or null before the first batch. */
export async function statusesAsOf(store: Store): Promise<string | null> {
  const r = await store.db.selectFrom('settings').select('value').where('key', '=', 'batch.lastAsOf').executeTakeFirst();
  return r ? (JSON.parse(r.value) as string) : null;
}
