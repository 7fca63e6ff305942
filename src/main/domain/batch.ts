import { performance } from 'node:perf_hooks';
import type { ClassificationLevel } from '../../shared/domain/classification';
import type { DueRow, ExcessUse, RepaymentEvent } from '../../shared/domain/loanState';
import { floorReasonsZh } from './floorReasons';
import { emit } from '../kernel/events';
import type { AppContext } from '../kernel/context';
import { computeStatus, statusRow } from './loanStatus';
import type { LoanRow } from '../kernel/authz';
import type { Store } from '../kernel/store';
import { recordAudit } from '../kernel/audit';
import { batchStatements, type ChunkData, type ChunkWrites } from '../db/bulk';

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

/** Loans re-planned per write transaction after their class changed (1–3 ms each: a chunk holds the write lock for some 100–300 ms). */
export const REPLAN_CHUNK = 100;

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
  /** Loans re-planned per transaction (REPLAN_CHUNK). */
  replanChunk?: number;
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
  const chunkSize = opts.chunk ?? BATCH_CHUNK;
  // SQLite's statements on the local store, PostgreSQL's on the branch server (db/bulk.ts chooses).
  const q = batchStatements<LoanRow, ClassificationLevel, ExcessUse>(store);
  const ids = await q.activeLoanIds();
  const total = ids.length;
  const at = ctx.nowIso();
  let changed = 0;
  let stored = 0;
  const changedIds: number[] = [];

  type Plan = ChunkWrites & { loans: number; changed: number; changedIds: number[] };
  // Computes what a chunk's loans need written from what was read, writing nothing.
  const plan = (d: ChunkData<LoanRow, ClassificationLevel, ExcessUse>): Plan => {
    const p: Plan = { loans: 0, upserts: [], closes: [], history: [], changed: 0, changedIds: [] };
    const { loans } = d;
    const dueBy = groupBy(d.dueRows, (r) => r[0]);
    const repBy = groupBy(d.repayments, (r) => r[0]);
    const manual = new Map(d.manual);
    const prev = new Map(d.stored.map(([id, level, sig]) => [id, { level, sig }]));
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

  opts.onProgress?.({ phase: 'statuses', done: 0, total });
  for (let i = 0; i < total; i += chunkSize) {
    // Each chunk is read, computed and written in one write transaction (db/bulk.ts).
    const p = await q.runChunk(ids[i], ids[Math.min(i + chunkSize, total) - 1], asOf, at, plan);
    stored += p.loans;
    changed += p.changed;
    changedIds.push(...p.changedIds);
    opts.onProgress?.({ phase: 'statuses', done: Math.min(i + chunkSize, total), total });
    if (opts.between) await opts.between();
  }
  // The as-of date and the batch's audit entry commit together, after every chunk.
  await store.db.transaction().execute(async (trx) => {
    const value = JSON.stringify(asOf);
    await trx.insertInto('settings').values({ key: 'batch.lastAsOf', value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    await recordAudit(trx, at, { actor, action: 'batch.run', entity: 'portfolio', entityId: asOf, detail: { loans: stored, changedLevels: changed } });
  });
  opts.onProgress?.({ phase: 'reactions', done: total, total });
  // A new class changes how often the loan is inspected (inspections re-plans it): a transaction per chunk of loans,
  // each loan re-planned wholly or not at all, so that the write lock is held for one chunk at a time (a user's save
  // waits for one chunk, not for every changed loan).
  const replanChunk = opts.replanChunk ?? REPLAN_CHUNK;
  for (let i = 0; i < changedIds.length; i += replanChunk) {
    const loanIds = changedIds.slice(i, i + replanChunk);
    await store.db.transaction().execute((trx) => emit('loans.classChanged', { ctx, db: trx, loanIds }));
    if (opts.between) await opts.between();
  }
  // Then loans without a plan get one, and the automatic warning signals are raised from the statuses just stored.
  await emit('batch.statusesStored', { ctx, store, asOf, actor });
  return { asOf, loans: stored, changedLevels: changed, ms: Math.round(performance.now() - t0) };
}

/** The day the stored statuses were computed for (the last batch's as-of date), or null before the first batch. */
export async function statusesAsOf(store: Store): Promise<string | null> {
  const r = await store.db.selectFrom('settings').select('value').where('key', '=', 'batch.lastAsOf').executeTakeFirst();
  return r ? (JSON.parse(r.value) as string) : null;
}
