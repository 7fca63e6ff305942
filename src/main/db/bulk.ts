import { performance } from 'node:perf_hooks';
import type { AutoRule } from '../../shared/ipc/warnings';
import type { Kysely, Transaction } from 'kysely';
import { immediateTransaction } from './connection';
import { driverOf, type Connection } from './open';
import { pgBatchStatements, pgInsertPlannedInspections, pgLoansWithoutInspections, pgRaiseAutoWarnings } from './pg/bulk';
import type { Database } from './schema';

/**
 * The hot bulk paths, on the driver directly: the daily batch's chunked reads and writes, the automatic warning
 * detection (one INSERT … SELECT per rule, with SQLite's JSON functions) and the bulk inspection planning.
 * Services call these typed functions; what is SQLite-specific stays here.
 */

// ---------------------------------------------------------------------------------------------------------
// Which store: the single-PC SQLite connection, or the branch server's Kysely (PostgreSQL, ./pg/bulk.ts). The same
// functions serve both; the services never see which statements run.

/** A store as the bulk paths need it: an open SQLite connection (the local store, a worker's), or the branch server. */
export type BulkStore = Connection | { readonly kind: 'branch'; readonly db: Kysely<Database> };

function onServer(s: BulkStore): s is { readonly kind: 'branch'; readonly db: Kysely<Database> } {
  return 'kind' in s && s.kind === 'branch';
}

// ---------------------------------------------------------------------------------------------------------
// The daily batch (domain/batch.ts)

/** [loan_id, period, due_date, principal_fen, interest_fen] */
export type BatchDueRow = [number, number, string, number, number];
/** [loan_id, id, paid_on, amount_fen, excess, fee_fen] */
export type BatchRepayment<E> = [number, number, string, number, E, number];

/** One loan's stored status (loan_status), as the batch writes it. */
export interface StatusRow {
  loan_id: number;
  as_of: string;
  balance_fen: number;
  dpd: number;
  bucket: string;
  overdue_principal_fen: number;
  overdue_interest_fen: number;
  penalty_fen: number;
  oldest_unpaid: string | null;
  floor_level: string;
  floor_reasons: string;
  level: string;
}

/** A system entry of the classification history: [loan_id, level, floor_level, floor_reasons, reason, proposed_by, proposed_at]. */
export type ClassRow = [number, string, string, string, string, string, string];

/** What one chunk of loans (ids lo..hi) reads. */
export interface ChunkData<Loan, Level, Excess> {
  /** The active loans (whole rows), by id. */
  loans: Loan[];
  /** Their current schedules' rows, by loan and period. */
  dueRows: BatchDueRow[];
  /** Their repayments (net of reversals) up to the as-of date. */
  repayments: BatchRepayment<Excess>[];
  /** The latest approved manual class of each loan that has one: [loan_id, level]. */
  manual: [number, Level][];
  /** What each loan's stored status says now, as [loan_id, level, signature] (the fields joined by '|'). */
  stored: [number, Level, string][];
}

/** What one chunk writes: statuses that changed, loans paid off ([closed_on, loan_id]) and system classes. */
export interface ChunkWrites {
  upserts: StatusRow[];
  closes: [string, number][];
  history: ClassRow[];
}

export interface BatchStatements<Loan, Level, Excess> {
  /** The active loans' ids, ascending. */
  activeLoanIds(): Promise<number[]>;
  /**
   * One chunk, consistent: reads the loans lo..hi, hands them to `compute` (which writes nothing) and writes what
   * it returns, in one write transaction. `at` is the time the loans closed are updated at.
   */
  runChunk<P extends ChunkWrites>(lo: number, hi: number, asOf: string, at: string, compute: (d: ChunkData<Loan, Level, Excess>) => P): Promise<P>;
}

/** The batch's statements for a store, prepared once per run. */
export function batchStatements<Loan, Level, Excess>(c: BulkStore): BatchStatements<Loan, Level, Excess> {
  return onServer(c) ? pgBatchStatements<Loan, Level, Excess>(c.db) : sqliteBatchStatements<Loan, Level, Excess>(c);
}

function sqliteBatchStatements<Loan, Level, Excess>(c: Connection): BatchStatements<Loan, Level, Excess> {
  const sqlite = driverOf(c);
  const ids = sqlite.prepare(`SELECT id FROM loans WHERE status = 'active' ORDER BY id`).raw();
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
  const read = (lo: number, hi: number, asOf: string): ChunkData<Loan, Level, Excess> => ({
    loans: loansIn.all(lo, hi) as Loan[],
    dueRows: rowsIn.all(lo, hi) as BatchDueRow[],
    repayments: repsIn.all(lo, hi, asOf) as BatchRepayment<Excess>[],
    manual: manualIn.all(lo, hi) as [number, Level][],
    stored: prevIn.all(lo, hi) as [number, Level, string][],
  });
  const write = (p: ChunkWrites, at: string) => {
    for (const row of p.upserts) upsert.run(row);
    for (const [on, id] of p.closes) close.run(on, at, id);
    for (const h of p.history) history.run(...h);
  };
  return {
    activeLoanIds: async () => (ids.all() as [number][]).map((r) => r[0]),
    // Synchronous inside: the chunk's reads and writes run without a turn of the event loop in between. Read and
    // computed in a deferred transaction, which takes the write lock only for the writes; if another connection
    // committed since the reads, SQLite refuses the upgrade and the chunk is read again; after a few refusals it
    // runs under BEGIN IMMEDIATE, reads included.
    runChunk: async (lo, hi, asOf, at, compute) => {
      const once = () => {
        const p = compute(read(lo, hi, asOf));
        write(p, at);
        return p;
      };
      const tried = tryDeferred(c, once, 3);
      return tried.done ? tried.value : immediateTransaction(c, once);
    },
  };
}

/**
 * Runs `fn` in a deferred transaction, which takes the write lock only at the first write. If another connection
 * committed since the reads, SQLite refuses the upgrade (SQLITE_BUSY / BUSY_SNAPSHOT) and `fn` runs again, up to
 * `tries` times. Returns `{ done: false }` when every try was refused (the caller then takes BEGIN IMMEDIATE).
 */
export function tryDeferred<T>(c: Connection, fn: () => T, tries: number): { done: true; value: T } | { done: false } {
  const sqlite = driverOf(c);
  for (let attempt = 0; attempt < tries; attempt++) {
    sqlite.exec('BEGIN DEFERRED');
    try {
      const value = fn();
      sqlite.exec('COMMIT');
      return { done: true, value };
    } catch (e) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      if (!String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw e;
    }
  }
  return { done: false };
}

// ---------------------------------------------------------------------------------------------------------
// Automatic warning signals (features/warnings/warnings.ts): one set-based INSERT … SELECT per rule, so 100,000 loans take
// milliseconds. Each candidate query yields one row per loan: loan_id, owner, ref, detail (JSON).

const ACTIVE = `l.status = 'active'`;

function candidates(rule: AutoRule, limits: { debtRatioPercent: number; debtRatioJumpPoints: number; ltvLimitPercent: number }): string {
  switch (rule) {
    case 'dpd30':
    case 'dpd90': {
      const days = rule === 'dpd30' ? 30 : 90;
      return `SELECT s.loan_id, l.officer AS owner, 'due:' || s.oldest_unpaid AS ref,
          json_object('key', 'dpd', 'ref', 'due:' || s.oldest_unpaid, 'params', json_object('dpd', s.dpd, 'since', s.oldest_unpaid)) AS detail
        FROM loan_status s JOIN loans l ON l.id = s.loan_id
        WHERE ${ACTIVE} AND s.dpd > ${days} AND s.oldest_unpaid IS NOT NULL`;
    }
    case 'debtRatio':
    case 'debtRatioJump': {
      // Signed (or filed) post-loan reports, newest first per loan; ratios in per mille, rounded half-up as shown.
      const ranked = `SELECT loan_id, id, visit_date,
          (json_extract(data, '$.liabilitiesFen') * 2000 + json_extract(data, '$.totalAssetsFen')) / (2 * json_extract(data, '$.totalAssetsFen')) AS permille,
          row_number() OVER (PARTITION BY loan_id ORDER BY visit_date DESC, id DESC) AS rn
        FROM inspection_reports
        WHERE form = 'post' AND status IN ('signed', 'accepted')
          AND json_type(data, '$.totalAssetsFen') = 'integer' AND json_extract(data, '$.totalAssetsFen') > 0
          AND json_type(data, '$.liabilitiesFen') = 'integer'`;
      if (rule === 'debtRatio') {
        return `SELECT r.loan_id, l.officer AS owner, 'report:' || r.id AS ref,
            json_object('key', 'debtRatio', 'ref', 'report:' || r.id, 'params',
              json_object('permille', r.permille, 'limit', ${limits.debtRatioPercent}, 'reportId', r.id, 'visitDate', r.visit_date)) AS detail
          FROM (${ranked}) r JOIN loans l ON l.id = r.loan_id
          WHERE ${ACTIVE} AND r.rn = 1 AND r.permille > ${limits.debtRatioPercent * 10}`;
      }
      return `SELECT a.loan_id, l.officer AS owner, 'report:' || a.id AS ref,
          json_object('key', 'debtRatioJump', 'ref', 'report:' || a.id, 'params',
            json_object('before', b.permille, 'after', a.permille, 'reportId', a.id, 'previousReportId', b.id)) AS detail
        FROM (${ranked}) a JOIN (${ranked}) b ON b.loan_id = a.loan_id AND b.rn = 2 JOIN loans l ON l.id = a.loan_id
        WHERE ${ACTIVE} AND a.rn = 1 AND a.permille - b.permille >= ${limits.debtRatioJumpPoints * 10}`;
    }
    case 'missedInspection':
      // The oldest planned inspection past its due date with no report begun.
      return `SELECT m.loan_id, l.officer AS owner, 'inspection:' || m.id AS ref,
          json_object('key', 'missedInspection', 'ref', 'inspection:' || m.id, 'params', json_object('inspectionId', m.id, 'kind', m.kind, 'dueDate', m.due)) AS detail
        FROM (SELECT i.loan_id, min(i.due_date) AS due, i.id, i.kind FROM inspections i
              WHERE i.status = 'planned' AND i.due_date < @asOf AND i.id NOT IN (SELECT inspection_id FROM inspection_reports)
              GROUP BY i.loan_id) m
        JOIN loans l ON l.id = m.loan_id
        WHERE ${ACTIVE}`;
    case 'ltv':
      // Balance over the sum of each collateral item's latest valuation, in per mille rounded half-up.
      return `SELECT t.loan_id, l.officer AS owner, 'valuation:' || t.vid AS ref,
          json_object('key', 'ltv', 'ref', 'valuation:' || t.vid, 'params',
            json_object('balanceFen', s.balance_fen, 'valueFen', t.value, 'permille', (s.balance_fen * 2000 + t.value) / (2 * t.value), 'limit', ${limits.ltvLimitPercent})) AS detail
        FROM (SELECT v.loan_id, sum(v.value_fen) AS value, max(v.id) AS vid FROM (
                SELECT c.loan_id, cv.id, cv.value_fen,
                  row_number() OVER (PARTITION BY cv.collateral_id ORDER BY cv.valued_on DESC, cv.id DESC) AS rn
                FROM collateral_valuations cv JOIN collateral c ON c.id = cv.collateral_id) v
              WHERE v.rn = 1 GROUP BY v.loan_id) t
        JOIN loan_status s ON s.loan_id = t.loan_id JOIN loans l ON l.id = t.loan_id
        WHERE ${ACTIVE} AND t.value > 0 AND (s.balance_fen * 2000 + t.value) / (2 * t.value) > ${limits.ltvLimitPercent * 10}`;
  }
}

export interface AutoSignal {
  id: number;
  rule: AutoRule;
  level: string;
}

/** What the detection is told: the as-of date, who and when, and the limits read from the settings. */
export interface AutoOptions {
  asOf: string;
  actor: string;
  at: string;
  ltvLimitPercent: number;
  debtRatioPercent: number;
  debtRatioJumpPoints: number;
}

/**
 * Raises one signal on every loan whose facts call for it, unless that signal is open on the loan or was raised
 * for the same fact (`ref`) before. Runs inside the caller's transaction `trx` (on SQLite the statement runs on the
 * store's connection, which is the transaction's); returns how many were raised.
 */
export async function raiseAutoWarnings(c: BulkStore, trx: Transaction<Database>, g: AutoSignal, o: AutoOptions): Promise<number> {
  // Written into the statement (a bound JS number would be stored as 70.0): whole numbers only.
  if (!Number.isInteger(o.debtRatioPercent) || !Number.isInteger(o.debtRatioJumpPoints) || !Number.isInteger(o.ltvLimitPercent)) throw new Error('the warning limits are whole numbers');
  if (onServer(c)) return pgRaiseAutoWarnings(trx, g, o);
  const stmt = driverOf(c).prepare(
    `INSERT INTO warnings (loan_id, signal_id, source, level, detail, status, owner, raised_by, raised_at)
     SELECT c.loan_id, @signalId, 'auto', @level, c.detail, 'raised', c.owner, @actor, @at FROM (${candidates(g.rule, o)}) c
     WHERE NOT EXISTS (SELECT 1 FROM warnings w WHERE w.loan_id = c.loan_id AND w.signal_id = @signalId
                         AND (w.status IN ('raised', 'planned', 'feedback') OR json_extract(w.detail, '$.ref') = c.ref))`,
  );
  const params: Record<string, string | number> = { signalId: g.id, level: g.level, actor: o.actor, at: o.at };
  if (g.rule === 'missedInspection') params.asOf = o.asOf;
  return stmt.run(params).changes;
}

/** The highest warning id so far (0 when there is none), read in the caller's transaction. */
export async function lastWarningId(trx: Transaction<Database>): Promise<number> {
  const r = await trx.selectFrom('warnings').select((e) => e.fn.max('id').as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** The serious warnings raised after id `after`, in order, read in the caller's transaction. */
export async function seriousWarningsAfter(trx: Transaction<Database>, after: number): Promise<{ id: number; loanId: number }[]> {
  const rows = await trx.selectFrom('warnings').select(['id', 'loan_id']).where('id', '>', after).where('level', '=', 'serious').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, loanId: r.loan_id }));
}

// ---------------------------------------------------------------------------------------------------------
// Bulk inspection planning (features/inspections/inspections.ts)

export interface UnplannedLoan {
  id: number;
  start_date: string;
  maturity_date: string;
  method: string;
  tier: string;
  level: string | null;
}

/** Active loans with no inspection at all (imported or generated in bulk). */
export async function loansWithoutInspections<T = UnplannedLoan>(c: BulkStore): Promise<T[]> {
  if (onServer(c)) return pgLoansWithoutInspections<T>(c.db);
  return driverOf(c)
    .prepare(
      `SELECT l.id, l.start_date, l.maturity_date, l.method, b.tier, s.level FROM loans l JOIN borrowers b ON b.id = l.borrower_id
       LEFT JOIN loan_status s ON s.loan_id = l.id
       WHERE l.status = 'active' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.loan_id = l.id)`,
    )
    .all() as T[];
}

/**
 * Inserts planned inspections: [loan_id, kind, due_date, reason], each loan's rows together. On SQLite in one
 * transaction; on the branch server in write transactions of a few thousand rows, each of which plans only loans
 * that still have no inspection (another PC may have planned them meanwhile).
 */
export async function insertPlannedInspections(c: BulkStore, rows: [number, string, string, string][], now: string): Promise<void> {
  if (onServer(c)) return pgInsertPlannedInspections(c.db, rows, now);
  const sqlite = driverOf(c);
  const ins = sqlite.prepare(`INSERT INTO inspections (loan_id, kind, due_date, reason, warning_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, 'planned', ?, ?)`);
  sqlite.transaction(() => {
    for (const [loanId, kind, due, reason] of rows) ins.run(loanId, kind, due, reason, now, now);
  })();
}

// ---------------------------------------------------------------------------------------------------------
// The bench's baselines (the demo generator's bulk loads are in demoBulk.ts)

/** The bench's baseline: a plain scan of the schedule and repayment tables, as arrays. */
export function scanScheduleAndRepayments(c: Connection): void {
  const sqlite = driverOf(c);
  sqlite.prepare('SELECT loan_id, period, due_date, principal_fen, interest_fen FROM schedule_rows ORDER BY loan_id, period').raw().all();
  sqlite.prepare('SELECT loan_id, id, paid_on, amount_fen FROM repayments').raw().all();
}

/** The bench's driver workload on a scratch database: inserts in one transaction, then point and range queries. */
export function driverWorkload(c: Connection, rows: number, queries: number): { insertMs: number; queryMs: number } {
  const db = driverOf(c);
  db.exec(`CREATE TABLE loans(id INTEGER PRIMARY KEY, contract_no TEXT NOT NULL, borrower TEXT NOT NULL, amount_fen INTEGER NOT NULL, due_date TEXT NOT NULL);
           CREATE UNIQUE INDEX loans_contract ON loans(contract_no); CREATE INDEX loans_due ON loans(due_date);`);
  const ins = db.prepare('INSERT INTO loans(contract_no, borrower, amount_fen, due_date) VALUES (?, ?, ?, ?)');
  const t0 = performance.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run(`HT2026${String(i).padStart(6, '0')}`, `借款人${i}`, 100_000 + i, `2026-${String((i % 12) + 1).padStart(2, '0')}-15`);
  })();
  const t1 = performance.now();
  const byNo = db.prepare('SELECT * FROM loans WHERE contract_no = ?');
  const byDue = db.prepare('SELECT count(*) AS n, sum(amount_fen) AS s FROM loans WHERE due_date = ?');
  for (let q = 0; q < queries; q++) {
    byNo.get(`HT2026${String((q * 397) % rows).padStart(6, '0')}`);
    byDue.get(`2026-${String((q % 12) + 1).padStart(2, '0')}-15`);
  }
  return { insertMs: t1 - t0, queryMs: performance.now() - t1 };
}
