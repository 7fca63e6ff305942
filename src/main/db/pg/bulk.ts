import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { AutoRule } from '../../../shared/ipc/warnings';
import type { AutoOptions, AutoSignal, BatchStatements, ChunkData, ChunkWrites } from '../bulk';
import type { Database } from '../schema';

/**
 * The bulk paths of ../bulk.ts on the branch server, set-based as there: a chunk of the daily batch reads its loans
 * with one query and writes their statuses, closures and system classes with one statement each (arrays passed
 * whole and `unnest`ed), inside one write transaction (it takes the writer lock, pg/writer.ts, so that what it reads
 * is what it writes over). The warning rules are one INSERT … SELECT each, their details built as the same JSON text
 * SQLite's json_object writes (no spaces, keys in the order given), so the two stores hold the same bytes.
 * Only Kysely is imported here: the batch's worker bundle loads this module without the PostgreSQL driver.
 */

type Db = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------------------------------------------------
// The daily batch

export function pgBatchStatements<Loan, Level, Excess>(db: Kysely<Database>): BatchStatements<Loan, Level, Excess> {
  // One query per chunk: each active loan's row with its schedule and repayments as JSON arrays, its latest approved
  // manual class and its stored status's signature beside it (one round trip and one parse instead of five).
  const read = async (trx: Db, lo: number, hi: number, asOf: string): Promise<ChunkData<Loan, Level, Excess>> => {
    const r = await sql<Record<string, unknown> & { lk_due: string; lk_paid: string; lk_manual: Level | null; lk_level: Level | null; lk_sig: string | null }>`
      SELECT l.*,
        (SELECT coalesce(json_agg(json_build_array(r.period, r.due_date, r.principal_fen, r.interest_fen) ORDER BY r.period), '[]')
           FROM schedule_rows r WHERE r.loan_id = l.id AND r.version = l.schedule_version)::text AS lk_due,
        (SELECT coalesce(json_agg(json_build_array(p.id, p.paid_on, p.amount_fen, p.excess, p.fee_fen) ORDER BY p.id), '[]')
           FROM effective_repayments p WHERE p.loan_id = l.id AND p.paid_on <= ${asOf})::text AS lk_paid,
        (SELECT c.level FROM classifications c WHERE c.loan_id = l.id AND c.status = 'approved' ORDER BY c.id DESC LIMIT 1) AS lk_manual,
        s.level AS lk_level,
        s.balance_fen || '|' || s.dpd || '|' || s.bucket || '|' || s.overdue_principal_fen || '|' || s.overdue_interest_fen || '|' ||
          s.penalty_fen || '|' || coalesce(s.oldest_unpaid, '') || '|' || s.floor_level || '|' || s.floor_reasons || '|' || s.level AS lk_sig
      FROM loans l LEFT JOIN loan_status s ON s.loan_id = l.id
      WHERE l.status = 'active' AND l.id BETWEEN ${lo} AND ${hi} ORDER BY l.id`.execute(trx);
    const d: ChunkData<Loan, Level, Excess> = { loans: [], dueRows: [], repayments: [], manual: [], stored: [] };
    for (const row of r.rows) {
      const { lk_due, lk_paid, lk_manual, lk_level, lk_sig, ...loan } = row;
      const id = loan.id as number;
      d.loans.push(loan as Loan);
      for (const [period, due, principal, interest] of JSON.parse(lk_due) as [number, string, number, number][]) d.dueRows.push([id, period, due, principal, interest]);
      for (const [rid, on, amount, excess, fee] of JSON.parse(lk_paid) as [number, string, number, Excess, number][]) d.repayments.push([id, rid, on, amount, excess, fee]);
      if (lk_manual !== null) d.manual.push([id, lk_manual]);
      if (lk_level !== null && lk_sig !== null) d.stored.push([id, lk_level, lk_sig]);
    }
    return d;
  };

  const write = async (trx: Db, p: ChunkWrites, at: string): Promise<void> => {
    if (p.upserts.length > 0) {
      const col = <K extends keyof ChunkWrites['upserts'][number]>(k: K) => p.upserts.map((r) => r[k]);
      await sql`
        INSERT INTO loan_status (loan_id, as_of, balance_fen, dpd, bucket, overdue_principal_fen, overdue_interest_fen, penalty_fen, oldest_unpaid, floor_level, floor_reasons, level)
        SELECT * FROM unnest(${col('loan_id')}::bigint[], ${col('as_of')}::text[], ${col('balance_fen')}::bigint[], ${col('dpd')}::bigint[], ${col('bucket')}::text[],
          ${col('overdue_principal_fen')}::bigint[], ${col('overdue_interest_fen')}::bigint[], ${col('penalty_fen')}::bigint[], ${col('oldest_unpaid')}::text[],
          ${col('floor_level')}::text[], ${col('floor_reasons')}::text[], ${col('level')}::text[])
        ON CONFLICT (loan_id) DO UPDATE SET as_of = excluded.as_of, balance_fen = excluded.balance_fen, dpd = excluded.dpd, bucket = excluded.bucket,
          overdue_principal_fen = excluded.overdue_principal_fen, overdue_interest_fen = excluded.overdue_interest_fen, penalty_fen = excluded.penalty_fen,
          oldest_unpaid = excluded.oldest_unpaid, floor_level = excluded.floor_level, floor_reasons = excluded.floor_reasons, level = excluded.level`.execute(trx);
    }
    if (p.closes.length > 0) {
      await sql`
        UPDATE loans SET status = 'closed', closed_on = u.closed_on, updated_at = ${at}
        FROM unnest(${p.closes.map((c) => c[0])}::text[], ${p.closes.map((c) => c[1])}::bigint[]) AS u(closed_on, id)
        WHERE loans.id = u.id`.execute(trx);
    }
    if (p.history.length > 0) {
      const col = (i: number) => p.history.map((h) => h[i]);
      // In the order given, as SQLite's one insert after another numbers them.
      await sql`
        INSERT INTO classifications (loan_id, level, floor_level, floor_reasons, reason, status, proposed_by, proposed_at)
        SELECT loan_id, level, floor_level, floor_reasons, reason, 'system', proposed_by, proposed_at
        FROM unnest(${col(0)}::bigint[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[], ${col(4)}::text[], ${col(5)}::text[], ${col(6)}::text[])
          WITH ORDINALITY AS u(loan_id, level, floor_level, floor_reasons, reason, proposed_by, proposed_at, n)
        ORDER BY n`.execute(trx);
    }
  };

  return {
    activeLoanIds: async () => (await sql<{ id: number }>`SELECT id FROM loans WHERE status = 'active' ORDER BY id`.execute(db)).rows.map((r) => r.id),
    // A write transaction from the start: the writer lock is held while the chunk is read, computed and written.
    runChunk: (lo, hi, asOf, at, compute) =>
      db.transaction().execute(async (trx) => {
        const p = compute(await read(trx, lo, hi, asOf));
        await write(trx, p, at);
        return p;
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Automatic warning signals

/** A JSON value in the detail: a text expression, a number expression, or an object of such pairs. */
type Json = { text: string } | { num: string } | { obj: [string, Json][] };
const text = (e: string): Json => ({ text: e });
const num = (e: string): Json => ({ num: e });
const obj = (...pairs: [string, Json][]): Json => ({ obj: pairs });

/** SQL for the JSON text SQLite's json_object gives for the same pairs: `{"k":v,…}`, no spaces, in order. */
function jsonText(j: Json): string {
  if ('text' in j) return `coalesce(to_json((${j.text})::text)::text, 'null')`;
  if ('num' in j) return `coalesce((${j.num})::bigint::text, 'null')`;
  const parts = j.obj.map(([k, v], i) => `'${i === 0 ? '{' : ','}${JSON.stringify(k)}:' || ${jsonText(v)}`);
  return `(${parts.length === 0 ? `'{'` : parts.join(' || ')} || '}')`;
}

const ACTIVE = `l.status = 'active'`;

/** A whole number from a JSON text's member, or null when it is not one (SQLite's json_type … = 'integer'). */
const intMember = (name: string) =>
  `CASE WHEN jsonb_typeof(j.d -> '${name}') = 'number' AND (j.d ->> '${name}') ~ '^-?[0-9]+$' THEN (j.d ->> '${name}')::bigint END`;

/** One row per loan the rule calls for: loan_id, owner, ref, detail (JSON text). Mirrors ../bulk.ts's candidates. */
function candidates(rule: AutoRule, o: AutoOptions): RawBuilder<unknown> {
  switch (rule) {
    case 'dpd30':
    case 'dpd90': {
      const days = rule === 'dpd30' ? 30 : 90;
      const detail = obj(['key', text(`'dpd'`)], ['ref', text(`'due:' || s.oldest_unpaid`)], ['params', obj(['dpd', num('s.dpd')], ['since', text('s.oldest_unpaid')])]);
      return sql.raw(`SELECT s.loan_id, l.officer AS owner, 'due:' || s.oldest_unpaid AS ref, ${jsonText(detail)} AS detail
        FROM loan_status s JOIN loans l ON l.id = s.loan_id
        WHERE ${ACTIVE} AND s.dpd > ${days} AND s.oldest_unpaid IS NOT NULL`);
    }
    case 'debtRatio':
    case 'debtRatioJump': {
      // Signed (or filed) post-loan reports, newest first per loan; ratios in per mille, rounded half-up as shown.
      const ranked = `SELECT x.loan_id, x.id, x.visit_date, (x.liab * 2000 + x.tot) / (2 * x.tot) AS permille,
          row_number() OVER (PARTITION BY x.loan_id ORDER BY x.visit_date DESC, x.id DESC) AS rn
        FROM (SELECT r.loan_id, r.id, r.visit_date, ${intMember('liabilitiesFen')} AS liab, ${intMember('totalAssetsFen')} AS tot
              FROM inspection_reports r CROSS JOIN LATERAL (SELECT r.data::jsonb AS d) j
              WHERE r.form = 'post' AND r.status IN ('signed', 'accepted')) x
        WHERE x.tot > 0 AND x.liab IS NOT NULL`;
      if (rule === 'debtRatio') {
        const detail = obj(
          ['key', text(`'debtRatio'`)],
          ['ref', text(`'report:' || r.id`)],
          ['params', obj(['permille', num('r.permille')], ['limit', num(String(o.debtRatioPercent))], ['reportId', num('r.id')], ['visitDate', text('r.visit_date')])],
        );
        return sql.raw(`SELECT r.loan_id, l.officer AS owner, 'report:' || r.id AS ref, ${jsonText(detail)} AS detail
          FROM (${ranked}) r JOIN loans l ON l.id = r.loan_id
          WHERE ${ACTIVE} AND r.rn = 1 AND r.permille > ${o.debtRatioPercent * 10}`);
      }
      const detail = obj(
        ['key', text(`'debtRatioJump'`)],
        ['ref', text(`'report:' || a.id`)],
        ['params', obj(['before', num('b.permille')], ['after', num('a.permille')], ['reportId', num('a.id')], ['previousReportId', num('b.id')])],
      );
      return sql.raw(`SELECT a.loan_id, l.officer AS owner, 'report:' || a.id AS ref, ${jsonText(detail)} AS detail
        FROM (${ranked}) a JOIN (${ranked}) b ON b.loan_id = a.loan_id AND b.rn = 2 JOIN loans l ON l.id = a.loan_id
        WHERE ${ACTIVE} AND a.rn = 1 AND a.permille - b.permille >= ${o.debtRatioJumpPoints * 10}`);
    }
    case 'missedInspection': {
      // The oldest planned inspection past its due date with no report begun (the lowest id among equally old ones).
      const detail = obj(['key', text(`'missedInspection'`)], ['ref', text(`'inspection:' || m.id`)], ['params', obj(['inspectionId', num('m.id')], ['kind', text('m.kind')], ['dueDate', text('m.due')])]);
      return sql`SELECT m.loan_id, l.officer AS owner, 'inspection:' || m.id AS ref, ${sql.raw(jsonText(detail))} AS detail
        FROM (SELECT DISTINCT ON (i.loan_id) i.loan_id, i.due_date AS due, i.id, i.kind FROM inspections i
              WHERE i.status = 'planned' AND i.due_date < ${o.asOf}::text AND i.id NOT IN (SELECT inspection_id FROM inspection_reports)
              ORDER BY i.loan_id, i.due_date, i.id) m
        JOIN loans l ON l.id = m.loan_id
        WHERE ${sql.raw(ACTIVE)}`;
    }
    case 'ltv': {
      // Balance over the sum of each collateral item's latest valuation, in per mille rounded half-up.
      const permille = '(s.balance_fen * 2000 + t.value) / nullif(2 * t.value, 0)';
      const detail = obj(
        ['key', text(`'ltv'`)],
        ['ref', text(`'valuation:' || t.vid`)],
        ['params', obj(['balanceFen', num('s.balance_fen')], ['valueFen', num('t.value')], ['permille', num(permille)], ['limit', num(String(o.ltvLimitPercent))])],
      );
      return sql.raw(`SELECT t.loan_id, l.officer AS owner, 'valuation:' || t.vid AS ref, ${jsonText(detail)} AS detail
        FROM (SELECT v.loan_id, sum(v.value_fen)::bigint AS value, max(v.id) AS vid FROM (
                SELECT c.loan_id, cv.id, cv.value_fen,
                  row_number() OVER (PARTITION BY cv.collateral_id ORDER BY cv.valued_on DESC, cv.id DESC) AS rn
                FROM collateral_valuations cv JOIN collateral c ON c.id = cv.collateral_id) v
              WHERE v.rn = 1 GROUP BY v.loan_id) t
        JOIN loan_status s ON s.loan_id = t.loan_id JOIN loans l ON l.id = t.loan_id
        WHERE ${ACTIVE} AND t.value > 0 AND ${permille} > ${o.ltvLimitPercent * 10}`);
    }
  }
}

/** ../bulk.ts raiseAutoWarnings on the server, in the caller's (write) transaction. */
export async function pgRaiseAutoWarnings(trx: Transaction<Database>, g: AutoSignal, o: AutoOptions): Promise<number> {
  const r = await sql`
    INSERT INTO warnings (loan_id, signal_id, source, level, detail, status, owner, raised_by, raised_at)
    SELECT c.loan_id, ${g.id}::bigint, 'auto', ${g.level}::text, c.detail, 'raised', c.owner, ${o.actor}::text, ${o.at}::text FROM (${candidates(g.rule, o)}) c
    WHERE NOT EXISTS (SELECT 1 FROM warnings w WHERE w.loan_id = c.loan_id AND w.signal_id = ${g.id}::bigint
                        AND (w.status IN ('raised', 'planned', 'feedback') OR (w.detail::jsonb ->> 'ref') = c.ref))`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

// ---------------------------------------------------------------------------------------------------------
// Bulk inspection planning

export async function pgLoansWithoutInspections<T>(db: Db): Promise<T[]> {
  const r = await sql<T>`
    SELECT l.id, l.start_date, l.maturity_date, l.method, b.tier, s.level FROM loans l JOIN borrowers b ON b.id = l.borrower_id
    LEFT JOIN loan_status s ON s.loan_id = l.id
    WHERE l.status = 'active' AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.loan_id = l.id)
    ORDER BY l.id`.execute(db);
  return r.rows;
}

/** Rows per write transaction when planning in bulk (whole loans: a loan's rows never straddle two). */
const PLAN_CHUNK = 5000;

export async function pgInsertPlannedInspections(db: Kysely<Database>, rows: [number, string, string, string][], now: string): Promise<void> {
  for (let i = 0; i < rows.length; ) {
    let j = Math.min(i + PLAN_CHUNK, rows.length);
    while (j < rows.length && rows[j][0] === rows[j - 1][0]) j++;
    const part = rows.slice(i, j);
    const col = (k: number) => part.map((r) => r[k]);
    // A statement does not see its own rows: every row of a loan goes in, or none when the loan was planned already.
    await db.transaction().execute((trx) =>
      sql`
        INSERT INTO inspections (loan_id, kind, due_date, reason, warning_id, status, created_at, updated_at)
        SELECT u.loan_id, u.kind, u.due_date, u.reason, NULL, 'planned', ${now}::text, ${now}::text
        FROM unnest(${col(0)}::bigint[], ${col(1)}::text[], ${col(2)}::text[], ${col(3)}::text[]) WITH ORDINALITY AS u(loan_id, kind, due_date, reason, n)
        WHERE NOT EXISTS (SELECT 1 FROM inspections i WHERE i.loan_id = u.loan_id)
        ORDER BY u.n`.execute(trx),
    );
    i = j;
  }
}
