import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionNode, sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { always, borrowerTextMatch, businessDayOf, containsText, daysBetween, idList, jsonNumber, maskedIdNumber, plusDays } from '../../src/main/db/dialect';
import { migrate } from '../../src/main/db/migrate';
import { kyselyOf, openSqlite, type Sqlite } from '../../src/main/db/open';
import { openPostgres } from '../../src/main/db/pg/connect';
import { migratePostgres } from '../../src/main/db/pg/migrate';
import { pinyinColumns, pinyinQuery } from '../../src/main/db/pinyin';
import type { Database } from '../../src/main/db/schema';
import { borrowerBalance, latestReportId } from '../../src/main/features/inspections/inspections';
import { countBefore, getToday } from '../../src/main/features/today/today';
import { warningBase } from '../../src/main/features/warnings/warnings';
import { entries, worklogGapsFor } from '../../src/main/features/worklog/worklog';
import { managedBy, managesBorrower } from '../../src/main/kernel/authz';
import { AppContext, type Session } from '../../src/main/kernel/context';
import type { Store } from '../../src/main/kernel/store';
import type { Role } from '../../src/shared/permissions';
import { listAudit } from '../../src/main/features/audit/audit';
import { listInspections } from '../../src/main/features/inspections/inspections';
import { getLoan, listLoans, listOfficers } from '../../src/main/features/loans/loans';
import { listUsers } from '../../src/main/features/users/users';
import { getBorrower, searchBorrowers } from '../../src/main/features/borrowers/borrowers';
import { listWarnings } from '../../src/main/features/warnings/warnings';
import { getLegal } from '../../src/main/features/legal/queries';
import { getInspectionRules, getSettings } from '../../src/main/features/settings/settings';
import { listCalendar } from '../../src/main/features/inspections/calendar';
import { listDocTypes, listLendings } from '../../src/main/features/archive/archive';
import { listDrawdowns } from '../../src/main/features/drawdowns/drawdowns';
import { listDebtors } from '../../src/main/features/factoring/backOffice';
import { collectionQueue, collectorResults, listCollectors } from '../../src/main/features/collections/queue';
import { listTemplates } from '../../src/main/features/collections/notices';
import { listDocuments } from '../../src/main/features/documents/archiveDocuments';
import { listWorklog, searchWorklog } from '../../src/main/features/worklog/worklog';
import { reportQueue } from '../../src/main/features/reports/reports';
import { limitationReport, overdueSummary } from '../../src/main/features/portfolioReports/portfolioReports';
import { GENESIS } from '../../src/main/db/auditChain';
import { createHash } from 'node:crypto';
import { DEFAULT_SETTINGS } from '../../src/main/kernel/settings';
import { startPgServer, type PgServer } from '../support/pgServer';

/**
 * The neutral SQL of src/main/db/dialect.ts, and the raw SQL of the features, on both stores: a migrated SQLite
 * store and a migrated PostgreSQL database hold the same rows (inserted through Kysely, in the same order, so with
 * the same ids), and every expression gives the same result on both, and the result expected.
 */

let server: PgServer;
let pgdb: Kysely<Database>;
let lite: Kysely<Database>;
let sqlite: Sqlite;
let tmp: string;
const AT = '2026-12-07T00:00:00.000Z';

type Db = Kysely<Database>;

/** Runs `q` on both databases; their results must be equal. Returns SQLite's. */
async function same<T>(q: (db: Db) => Promise<T>): Promise<T> {
  const a = await q(lite);
  const b = await q(pgdb);
  expect(b).toEqual(a);
  return a;
}

/** Inserts the same rows into both. */
async function onBoth(f: (db: Db) => Promise<unknown>): Promise<void> {
  await f(lite);
  await f(pgdb);
}

const borrower = (name: string, idNumber: string, phone: string, createdBy = 'admin') => ({
  kind: 'person' as const,
  name,
  id_number: idNumber,
  phone,
  address: '',
  employer: '',
  legal_rep: '',
  industry: '',
  registered_capital_fen: null,
  tier: 'normal' as const,
  ...pinyinColumns(name),
  created_by: createdBy,
  created_at: AT,
  updated_at: AT,
});

const loan = (contractNo: string, borrowerId: number, officer: string, principal: number) =>
  ({
    contract_no: contractNo,
    kind: 'loan',
    borrower_id: borrowerId,
    product: 'credit',
    principal_fen: principal,
    annual_rate: '0.12',
    penalty_uplift: '0.5',
    term_months: 12,
    method: 'equal-installment',
    start_date: '2026-01-01',
    maturity_date: '2027-01-01',
    guarantee_modes: '[]',
    officer,
    created_by: 'admin',
    created_at: AT,
    updated_at: AT,
  }) as never;

beforeAll(async () => {
  server = await startPgServer();
  pgdb = openPostgres({ url: server.url });
  await migratePostgres(pgdb);
  tmp = mkdtempSync(join(tmpdir(), 'lk-pgdialect-'));
  sqlite = openSqlite(join(tmp, 'loankeeper.db'), null, { create: true });
  lite = kyselyOf(sqlite);
  await migrate(lite, sqlite, tmp, AT);
  await onBoth(async (db) => {
    await db
      .insertInto('users')
      .values(['admin', 'wang', 'li'].map((username) => ({ username, display_name: username, roles: '["officer"]', disabled: 0, must_change_password: 0, created_at: AT, updated_at: AT })))
      .execute();
    // 1, 2, 3: with loans of wang (1, 2) and li (3); 4: registered by li, no loan yet.
    await db
      .insertInto('borrowers')
      .values([
        borrower('上官明月', '330102198805051111', '13912345678'),
        { ...borrower('ACME Trading 贸易有限公司', '91330100MA2AAAAA1X', '0571-88886666'), kind: 'enterprise' as const },
        borrower('李四', '110101199001011234', '13800000000'),
        borrower('王五', '110101199202022222', '13700000000', 'li'),
      ])
      .execute();
    await db.insertInto('loans').values([loan('HT-2026-001', 1, 'wang', 1_000_000), loan('HT-2026-002', 2, 'wang', 500_000), loan('XY-100%_9', 3, 'li', 300_000)]).execute();
  });
}, 120_000);

afterAll(async () => {
  await pgdb?.destroy();
  server?.stop();
  sqlite?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Text values kept under keys of `settings`, read back through `expr` in key order. */
async function textRows(prefix: string, values: readonly string[]): Promise<void> {
  await onBoth((db) =>
    db
      .insertInto('settings')
      .values(values.map((value, i) => ({ key: `${prefix}.${String(i).padStart(3, '0')}`, value })))
      .execute(),
  );
}

function readRows(db: Db, prefix: string, expr: (value: RawBuilder<string>) => RawBuilder<unknown>) {
  return db
    .selectFrom('settings')
    .select(['key', expr(sql.ref<string>('value')).as('out')])
    .where('key', 'like', `${prefix}.%`)
    .orderBy('key')
    .execute()
    .then((rows) => rows.map((r) => r.out));
}

describe('the dialect functions give the same results on SQLite and PostgreSQL', () => {
  it('businessDayOf: the Beijing day, across UTC 16:00, month and year ends and the leap day', async () => {
    const stamps = [
      '2026-12-07T15:59:59.999Z',
      '2026-12-07T16:00:00.000Z',
      '2026-01-31T16:00:00.000Z',
      '2026-02-28T15:59:59.000Z',
      '2026-12-31T16:00:00.000Z',
      '2028-02-28T16:00:00.000Z',
      '2028-02-29T16:00:00.000Z',
      '2027-12-31T23:59:59.999Z',
    ];
    await textRows('ts', stamps);
    const days = await same((db) => readRows(db, 'ts', (v) => businessDayOf(v)));
    expect(days).toEqual(['2026-12-07', '2026-12-08', '2026-02-01', '2026-02-28', '2027-01-01', '2028-02-29', '2028-03-01', '2028-01-01']);
    // Not the session's time zone: a PostgreSQL session elsewhere reads the same days.
    const elsewhere = await pgdb.transaction().execute(async (trx) => {
      await sql`SET LOCAL TimeZone = 'America/New_York'`.execute(trx);
      return readRows(trx, 'ts', (v) => businessDayOf(v));
    });
    expect(elsewhere).toEqual(days);
    // Null in, null out.
    expect(await same((db) => db.selectNoFrom(businessDayOf(sql.val<string | null>(null)).as('d')).executeTakeFirstOrThrow())).toEqual({ d: null });
  });

  it('plusDays: later and earlier, across month and year ends and the leap day', async () => {
    const cases: [string, number, string][] = [
      ['2026-01-31', 1, '2026-02-01'],
      ['2026-03-01', -1, '2026-02-28'],
      ['2028-03-01', -1, '2028-02-29'],
      ['2028-02-28', 1, '2028-02-29'],
      ['2026-12-31', 1, '2027-01-01'],
      ['2027-01-01', -1, '2026-12-31'],
      ['2026-01-31', 30, '2026-03-02'],
      ['2026-12-07', -365, '2025-12-07'],
      ['2026-12-07', 0, '2026-12-07'],
    ];
    for (const [date, n, expected] of cases) {
      const r = await same((db) => db.selectNoFrom(plusDays(sql.val(date), n).as('d')).executeTakeFirstOrThrow());
      expect(r.d, `${date} ${n}`).toBe(expected);
    }
    // On a column, and on the business day of a timestamp.
    await textRows('pd', ['2026-02-27', '2028-02-27']);
    expect(await same((db) => readRows(db, 'pd', (v) => plusDays(v, 2)))).toEqual(['2026-03-01', '2028-02-29']);
    expect(await same((db) => readRows(db, 'ts', (v) => plusDays(businessDayOf(v), -1)))).toEqual([
      '2026-12-06',
      '2026-12-07',
      '2026-01-31',
      '2026-02-27',
      '2026-12-31',
      '2028-02-28',
      '2028-02-29',
      '2027-12-31',
    ]);
    expect(() => plusDays(sql.val('2026-01-01'), 1.5)).toThrow(RangeError);
  });

  it('daysBetween: whole days between dates, fractions between timestamps', async () => {
    const cases: [string, string, number][] = [
      ['2026-03-01', '2026-02-01', 28],
      ['2028-03-01', '2028-02-01', 29],
      ['2027-01-01', '2026-01-01', 365],
      ['2026-02-01', '2026-03-01', -28],
      ['2026-12-07T12:00:00.000Z', '2026-12-07', 0.5],
      ['2026-12-08T06:00:00.000Z', '2026-12-07T18:00:00.000Z', 0.5],
      ['2026-12-07T01:00:00.000Z', '2026-12-07T00:00:00.000Z', 1 / 24],
      ['2026-12-07T00:00:00.000Z', '2026-12-09T18:00:00.000Z', -2.75],
    ];
    for (const [later, earlier, expected] of cases) {
      const a = (await lite.selectNoFrom(daysBetween(later, earlier).as('n')).executeTakeFirstOrThrow()).n;
      const b = (await pgdb.selectNoFrom(daysBetween(later, earlier).as('n')).executeTakeFirstOrThrow()).n;
      expect(typeof b).toBe('number');
      // julianday's doubles carry about 1e-9 of a day at today's dates; PostgreSQL counts exact seconds.
      expect(a).toBeCloseTo(expected, 8);
      expect(b).toBeCloseTo(expected, 8);
      if (Number.isInteger(expected)) expect([a, b]).toEqual([expected, expected]);
    }
    // A column against a value, both ways.
    const r = await same(async (db) => (await readRows(db, 'pd', (v) => daysBetween(v, '2026-01-01'))).map((x) => Math.round(x as number)));
    expect(r).toEqual([57, 787]);
    const back = await same(async (db) => (await readRows(db, 'pd', (v) => daysBetween('2028-02-29', v))).map((x) => Math.round(x as number)));
    expect(back).toEqual([732, 2]);
  });

  it('idList: no ids, one, and 2000 as one parameter', async () => {
    const ids = (list: number[]) => (db: Db) =>
      db
        .selectFrom('borrowers')
        .select('id')
        .where('id', 'in', idList(list))
        .orderBy('id')
        .execute()
        .then((rows) => rows.map((r) => r.id));
    expect(await same(ids([]))).toEqual([]);
    expect(await same(ids([3]))).toEqual([3]);
    const many = Array.from({ length: 2000 }, (_, i) => 4000 - 2 * i); // 4000, 3998, … 2: of the borrowers, 2 and 4
    expect(await same(ids(many))).toEqual([2, 4]);
    const compiled = pgdb.selectFrom('borrowers').select('id').where('id', 'in', idList(many)).compile();
    expect(compiled.parameters).toHaveLength(1);
    expect(() => idList([1.5])).toThrow(RangeError);
  });

  it('jsonNumber: the number under a key, null when absent; compared with ids', async () => {
    await textRows('js', ['{"loanId":2,"other":"x"}', '{"other":1}', '{"loanId":3.5}', '{"loanId":null}', '{"loanId":12345678901}']);
    expect(await same((db) => readRows(db, 'js', (v) => jsonNumber(v, 'loanId')))).toEqual([2, null, 3.5, null, 12345678901]);
    // As the audit page filters: the entries whose detail names one of the loans found.
    const named = await same((db) =>
      db
        .selectFrom('settings as s')
        .select('s.key')
        .where('s.key', 'like', 'js.%')
        .where((eb) => eb(jsonNumber(eb.ref('s.value'), 'loanId'), 'in', db.selectFrom('loans').select('id').where((e) => containsText(e.ref('contract_no'), 'ht-2026'))))
        .execute(),
    );
    expect(named).toEqual([{ key: 'js.000' }]);
    expect(() => jsonNumber(sql.ref('value'), "a') OR 1=1 --")).toThrow(RangeError);
  });

  it('containsText: %, _ and \\ taken literally, ASCII case ignored', async () => {
    await textRows('ct', ['100%纯', '100 纯', 'a_b', 'axb', 'C:\\dir', 'C:/dir', 'ACME Trading', 'acme', 'Acme trading co']);
    const find = (text: string) => (db: Db) =>
      db
        .selectFrom('settings')
        .select('value')
        .where('key', 'like', 'ct.%')
        .where((eb) => containsText(eb.ref('value'), text))
        .orderBy('key')
        .execute()
        .then((rows) => rows.map((r) => r.value));
    expect(await same(find('%'))).toEqual(['100%纯']);
    expect(await same(find('_'))).toEqual(['a_b']);
    expect(await same(find('\\'))).toEqual(['C:\\dir']);
    expect(await same(find('aCmE'))).toEqual(['ACME Trading', 'acme', 'Acme trading co']);
    expect(await same(find('ME TR'))).toEqual(['ACME Trading', 'Acme trading co']);
    expect(await same(find('纯'))).toEqual(['100%纯', '100 纯']);
    // Through the loans' contract numbers too (a `%` and `_` in a stored value).
    const loans = await same((db) => db.selectFrom('loans').select('contract_no').where((eb) => containsText(eb.ref('contract_no'), '0%_')).execute());
    expect(loans).toEqual([{ contract_no: 'XY-100%_9' }]);
  });

  it('borrowerTextMatch: by name, ID number or phone part, pinyin and initials; name only when asked', async () => {
    const cols = { id: sql.ref<number>('b.id'), name: sql.ref<string>('b.name'), idNumber: sql.ref<string>('b.id_number'), phone: sql.ref<string>('b.phone'), pinyin: sql.ref<string>('b.name_pinyin'), initials: sql.ref<string>('b.name_initials') };
    const search = (text: string, nameOnly = false) => (db: Db) =>
      db
        .selectFrom('borrowers as b')
        .select('b.name')
        .where(borrowerTextMatch(cols, text, pinyinQuery(text), nameOnly))
        .orderBy('b.id')
        .execute()
        .then((rows) => rows.map((r) => r.name));
    const cases: [string, boolean, string[]][] = [
      ['官明月', false, ['上官明月']], // a name part, long enough for the trigram index
      ['明月', false, ['上官明月']], // too short for it: contains
      ['李', false, ['李四']],
      ['19880505', false, ['上官明月']], // ID number part
      ['19880505', true, []],
      ['88866', false, ['ACME Trading 贸易有限公司']], // phone part
      ['138000', true, []],
      ['acme trad', false, ['ACME Trading 贸易有限公司']], // words anywhere, any case
      ['trading ACME', false, ['ACME Trading 贸易有限公司']],
      ['贸易 公司', false, []], // words of 2: contains the whole text, which is not there
      ['guanming', false, ['上官明月']], // pinyin anywhere
      ['GuanMing', true, ['上官明月']],
      ['sgm', false, ['上官明月']], // initials from the start
      ['gmy', false, []],
      ['ls', true, ['李四']],
      ['1101011990', false, ['李四']],
      ['110101', false, ['李四', '王五']],
      ['"官明月"', false, ['上官明月']], // FTS5's quotes dropped
      ['x', false, ['ACME Trading 贸易有限公司']], // the X of its ID number, any case
    ];
    for (const [text, nameOnly, expected] of cases) expect(await same(search(text, nameOnly)), `${text} ${nameOnly}`).toEqual(expected);
  });

  it('the borrower search uses each database\'s trigram index: FTS5 on SQLite, the pg_trgm GIN indexes on PostgreSQL', async () => {
    const cols = { id: sql.ref<number>('b.id'), name: sql.ref<string>('b.name'), idNumber: sql.ref<string>('b.id_number'), phone: sql.ref<string>('b.phone'), pinyin: sql.ref<string>('b.name_pinyin'), initials: sql.ref<string>('b.name_initials') };
    const query = (db: Db, nameOnly: boolean) => db.selectFrom('borrowers as b').select('b.id').where(borrowerTextMatch(cols, '官明月', null, nameOnly)).compile();
    for (const nameOnly of [false, true]) {
      const q = query(lite, nameOnly);
      const plan = sqlite
        .prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
        .all(...(q.parameters as unknown[]))
        .map((r) => (r as { detail: string }).detail)
        .join('\n');
      expect(plan).toMatch(/VIRTUAL TABLE INDEX/);
      const p = query(pgdb, nameOnly);
      const pgPlan = await pgdb.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const r = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...p, sql: `EXPLAIN ${p.sql}` } as typeof p);
        return r.rows.map((x) => x['QUERY PLAN']).join('\n');
      });
      expect(pgPlan).toContain('borrowers_name_trgm');
      if (nameOnly) expect(pgPlan).not.toContain('borrowers_phone_trgm');
      else expect(pgPlan).toContain('borrowers_phone_trgm');
    }
  });

  it('always() holds; maskedIdNumber keeps the first 6 and the last 4', async () => {
    const rows = await same((db) =>
      db
        .selectFrom('borrowers as b')
        .select(['b.id', maskedIdNumber(sql.ref('b.id_number')).as('masked')])
        .where(always())
        .orderBy('b.id')
        .execute(),
    );
    expect(rows.map((r) => r.masked)).toEqual(['330102********1111', '913301********AA1X', '110101********1234', '110101********2222']);
    const flag = await same(async (db) => !!(await db.selectNoFrom(always().as('t')).executeTakeFirstOrThrow()).t);
    expect(flag).toBe(true);
  });

  it("SQLite's SQL is what it was before the neutral calls (same plans, FTS5)", () => {
    const c = (e: RawBuilder<unknown>) => {
      const q = lite.selectNoFrom(e.as('x')).compile();
      return [q.sql.replace(/^select (.*) as "x"$/, '$1'), ...q.parameters];
    };
    const v = sql.ref<string>('v');
    const b = { id: sql.ref<number>('id'), name: sql.ref<string>('name'), idNumber: sql.ref<string>('id_number'), phone: sql.ref<string>('phone'), pinyin: sql.ref<string>('py'), initials: sql.ref<string>('ini') };
    expect(c(businessDayOf(v))).toEqual(['date("v", ?)', '+480 minutes']);
    expect(c(plusDays(v, -3))).toEqual(['date("v", ?)', '-3 days']);
    expect(c(daysBetween(v, '2026-01-01'))).toEqual(['julianday("v") - julianday(?)', '2026-01-01']);
    expect(c(idList([1, 2]))).toEqual(['(SELECT value FROM json_each(?))', '[1,2]']);
    expect(c(jsonNumber(v, 'loanId'))).toEqual(['json_extract("v", ?)', '$.loanId']);
    expect(c(containsText(v, '5%_'))).toEqual([`"v" LIKE ? ESCAPE '\\'`, '%5\\%\\_%']);
    expect(c(always())).toEqual(['1']);
    expect(c(maskedIdNumber(v))).toEqual([`substr("v", 1, 6) || '********' || substr("v", -4)`]);
    expect(c(borrowerTextMatch(b, '官明月 x', null, true))).toEqual(['("id" IN (SELECT rowid FROM borrowers_fts WHERE borrowers_fts MATCH ?) OR 0)', 'name : ("官明月")']);
    expect(c(borrowerTextMatch(b, 'ab', 'ab', false))).toEqual([
      `("name" LIKE ? ESCAPE '\\' OR "id_number" LIKE ? ESCAPE '\\' OR "phone" LIKE ? ESCAPE '\\' OR ("py" LIKE ? OR "ini" LIKE ?))`,
      '%ab%',
      '%ab%',
      '%ab%',
      '%ab%',
      'ab%',
    ]);
  });

  it('a reserved name without SQL throws on both', () => {
    const unknown = sql`${{ toOperationNode: () => FunctionNode.create('lk$nothing', []) }}`;
    expect(() => lite.selectNoFrom(unknown.as('x')).compile()).toThrow(/lk\$nothing/);
    expect(() => pgdb.selectNoFrom(unknown.as('x')).compile()).toThrow(/lk\$nothing/);
  });
});

describe("the features' raw SQL runs on both", () => {
  const session = (username: string): Session => ({ username, roles: ['officer'] }) as unknown as Session;

  it('managedBy / managesBorrower (authz): loans decide; a borrower without loans is its registrar\'s', async () => {
    const managed = (username: string) => (db: Db) =>
      db
        .selectFrom('borrowers as b')
        .select(['b.id', managedBy(username, 'b.id').as('m')])
        .orderBy('b.id')
        .execute()
        .then((rows) => rows.filter((r) => !!r.m).map((r) => r.id));
    expect(await same(managed('wang'))).toEqual([1, 2]);
    expect(await same(managed('li'))).toEqual([3, 4]);
    expect(await same(managed('admin'))).toEqual([]);
    expect(await same((db) => Promise.all([1, 3, 4].map((id) => managesBorrower(db, session('li'), id))))).toEqual([false, true, true]);
  });

  it('today: the overdue counts (countBefore)', async () => {
    await onBoth((db) =>
      db
        .insertInto('inspections')
        .values(
          (
            [
              [1, '2026-12-01'],
              [1, '2026-12-07'],
              [2, '2026-12-06'],
              [3, '2027-01-10'],
            ] as const
          ).map(([loanId, due]) => ({ loan_id: loanId, kind: 'routine' as const, due_date: due, reason: '{"code":"routine"}', warning_id: null, status: 'planned' as const, created_at: AT, updated_at: AT })),
        )
        .execute(),
    );
    const count = (asOf: string, officer: string | null) => (db: Db) => {
      let q = db.selectFrom('inspections as i').innerJoin('loans as l', 'l.id', 'i.loan_id');
      if (officer) q = q.where('l.officer', '=', officer);
      return q.select((eb) => [eb.fn.countAll<number>().as('n'), countBefore('i.due_date', asOf).as('overdue')]).executeTakeFirstOrThrow();
    };
    expect(await same(count('2026-12-07', null))).toEqual({ n: 4, overdue: 2 });
    expect(await same(count('2026-12-07', 'wang'))).toEqual({ n: 3, overdue: 2 });
    expect(await same(count('2026-12-07', 'nobody'))).toEqual({ n: 0, overdue: 0 });
  });

  it('inspections: the latest report and the borrower balance', async () => {
    await onBoth(async (db) => {
      const report = (version: number, previous: number | null) => ({
        inspection_id: 1,
        loan_id: 1,
        form: 'post' as const,
        version,
        previous_id: previous,
        status: 'draft' as const,
        visit_date: '2026-12-01',
        data: '{}',
        officer: 'wang',
        report_due: '2026-12-10',
        submitted_at: null,
        review_due: null,
        reviewer: null,
        reviewed_at: null,
        review_comment: null,
        accepted_by: null,
        accepted_at: null,
        created_at: AT,
        updated_at: AT,
      });
      await db.insertInto('inspection_reports').values(report(1, null)).execute();
      await db.insertInto('inspection_reports').values({ ...report(2, 1), status: 'draft' }).execute();
      await db
        .insertInto('loan_status')
        .values({ loan_id: 1, as_of: '2026-12-07', balance_fen: 400_000, dpd: 0, bucket: 'M0', overdue_principal_fen: 0, overdue_interest_fen: 0, penalty_fen: 0, oldest_unpaid: null, floor_level: 'normal', floor_reasons: '[]', level: 'normal' })
        .execute();
    });
    const rows = await same((db) => db.selectFrom('inspections as i').select(['i.id', latestReportId().as('report')]).orderBy('i.id').execute());
    expect(rows.map((r) => r.report)).toEqual([2, null, null, null]);
    const balances = await same((db) => db.selectFrom('borrowers as b').select(['b.id', borrowerBalance('b.id').as('owed')]).orderBy('b.id').execute());
    // Loan 1 at its stored balance, the others (not through the batch) at their principal; none for a borrower without loans.
    expect(balances.map((b) => b.owed)).toEqual([400_000, 500_000, 300_000, 0]);
  });

  it('warnings: the list with its inspection and the review suggestion', async () => {
    await onBoth(async (db) => {
      await db
        .insertInto('warning_signals')
        .values([
          { code: 'T-DPD', category: 'borrower', name_zh: '逾期', name_en: 'Overdue', level: 'serious', auto_rule: 'dpd30', active: 1, updated_by: 'admin', updated_at: AT },
          { code: 'T-MAN', category: 'borrower', name_zh: '手工', name_en: 'Manual', level: 'serious', auto_rule: null, active: 1, updated_by: 'admin', updated_at: AT },
        ])
        .execute();
      const signals = await db.selectFrom('warning_signals').select(['id', 'code']).where('code', 'in', ['T-DPD', 'T-MAN']).orderBy('code').execute();
      const id = (code: string) => signals.find((s) => s.code === code)!.id;
      const warning = (loanId: number, signal: number, status: 'raised' | 'cleared', raisedAt: string) => ({
        loan_id: loanId,
        signal_id: signal,
        source: 'manual' as const,
        level: 'serious' as const,
        detail: '{"text":"x"}',
        status,
        owner: 'wang',
        raised_by: 'admin',
        raised_at: raisedAt,
        plan: null,
        plan_by: null,
        plan_at: null,
        plan_due: null,
        feedback: null,
        feedback_by: null,
        feedback_at: null,
        confirmed_by: null,
        confirmed_at: null,
        closed_note: null,
        closed_by: null,
        closed_at: null,
      });
      await db
        .insertInto('warnings')
        .values([warning(1, id('T-MAN'), 'raised', '2026-12-01T00:00:00.000Z'), warning(1, id('T-DPD'), 'raised', '2026-12-02T00:00:00.000Z'), warning(2, id('T-MAN'), 'raised', '2026-12-03T00:00:00.000Z'), warning(2, id('T-MAN'), 'cleared', '2026-12-04T00:00:00.000Z')])
        .execute();
      await db.updateTable('inspections').set({ warning_id: 1 }).where('id', '=', 2).execute();
      // A class proposed after warning 3 was raised: no more suggestion for it.
      await db
        .insertInto('classifications')
        .values({ loan_id: 2, level: 'substandard', floor_level: 'normal', floor_reasons: '[]', reason: 'x', status: 'pending', proposed_by: 'wang', proposed_at: '2026-12-03T08:00:00.000Z', decided_by: null, decided_at: null, decision_comment: null })
        .execute();
    });
    const rows = await same((db) =>
      warningBase(db)
        .orderBy('w.id')
        .execute()
        .then((rs) => rs.map((r) => ({ id: r.id, code: r.code, borrower: r.borrower_name, inspection: r.inspection_id, review: !!r.review_suggested }))),
    );
    // Warning 2 (a dpd rule) on a loan at its floor is not suggested; 4 is closed.
    expect(rows).toEqual([
      { id: 1, code: 'T-MAN', borrower: '上官明月', inspection: 2, review: true },
      { id: 2, code: 'T-DPD', borrower: '上官明月', inspection: null, review: false },
      { id: 3, code: 'T-MAN', borrower: 'ACME Trading 贸易有限公司', inspection: null, review: false },
      { id: 4, code: 'T-MAN', borrower: 'ACME Trading 贸易有限公司', inspection: null, review: false },
    ]);
  });

  it('worklog: every entry as one relation, and the month\'s coverage per officer', async () => {
    await onBoth(async (db) => {
      const entry = (borrowerId: number, date: string, author: string) => ({ borrower_id: borrowerId, loan_id: null, entry_date: date, kind: 'call' as const, content: `c ${date}`, author, created_at: AT, comment_due: '2026-12-09', supervisor_comment: null, commented_by: null, commented_at: null });
      await db.insertInto('work_log').values([entry(1, '2026-12-01', 'wang'), entry(1, '2026-12-03', 'wang'), entry(2, '2026-11-20', 'wang')]).execute();
      await db.insertInto('contacts').values({ loan_id: 3, channel: 'call', target: '李四', slot: 'morning', outcome: 'reached', note: '已联系', contacted_on: '2026-12-02', reason: null, created_by: 'li', created_at: AT }).execute();
      await db.insertInto('promises').values({ loan_id: 3, amount_fen: 12_345, promise_date: '2026-12-20', made_on: '2026-12-02', note: '承诺', created_by: 'li', created_at: AT }).execute();
    });
    const all = await same((db) =>
      db
        .selectFrom(entries(db).as('w'))
        .select(['w.source', 'w.id', 'w.borrower_id', 'w.entry_date', 'w.searched', 'w.amount_fen', 'w.channel'])
        .orderBy('w.entry_date')
        .orderBy('w.source')
        .execute(),
    );
    expect(all).toEqual([
      { source: 'worklog', id: 3, borrower_id: 2, entry_date: '2026-11-20', searched: 'c 2026-11-20', amount_fen: null, channel: null },
      { source: 'worklog', id: 1, borrower_id: 1, entry_date: '2026-12-01', searched: 'c 2026-12-01', amount_fen: null, channel: null },
      { source: 'contact', id: 1, borrower_id: 3, entry_date: '2026-12-02', searched: '已联系 李四', amount_fen: null, channel: 'call' },
      { source: 'promise', id: 1, borrower_id: 3, entry_date: '2026-12-02', searched: '承诺', amount_fen: 12_345, channel: null },
      { source: 'worklog', id: 2, borrower_id: 1, entry_date: '2026-12-03', searched: 'c 2026-12-03', amount_fen: null, channel: null },
    ]);
    const gaps = await same((db) => worklogGapsFor(db, null, '2026-12', 100));
    // All of tier normal: behind below the month's minimum.
    const min = DEFAULT_SETTINGS.worklogMinNormal;
    expect(min).toBeGreaterThan(0);
    expect(gaps.officers).toEqual([
      { officer: 'li', borrowers: 1, behind: Number(2 < min), entries: 2 },
      { officer: 'wang', borrowers: 2, behind: Number(2 < min) + 1, entries: 2 },
    ]);
    expect(gaps.rows.map((r) => [r.borrowerId, r.officer, r.entries, r.lastEntryDate])).toEqual(
      expect.arrayContaining([
        [1, 'wang', 2, '2026-12-03'],
        [2, 'wang', 0, '2026-11-20'],
        [3, 'li', 2, '2026-12-02'],
      ]),
    );
    expect(await same((db) => worklogGapsFor(db, 'li', '2026-12', 100))).toMatchObject({ total: 1 });
  });
});

/** A signed-in context over one of the databases (the store holds only its Kysely: what these reads use). */
function contextOn(db: Db, username: string, roles: Role[]): AppContext {
  const ctx = new AppContext({ configDir: join(tmp, 'config'), resourcesDir: tmp, defaultDataDir: tmp }, { now: () => new Date('2026-12-07T04:00:00.000Z') });
  ctx.store = { db } as unknown as Store;
  ctx.session = { username, displayName: username, roles, mustChangePassword: false, locked: false, lastActivity: Date.parse('2026-12-07T04:00:00.000Z'), idleMinutes: 30 };
  return ctx;
}

/** The same feature call on both databases; equal results. */
const both = <T>(username: string, roles: Role[], f: (ctx: AppContext) => Promise<T>) => same((db) => f(contextOn(db, username, roles)));

describe('the features, through a context on each database', () => {

  it('searchBorrowers: every sort, both ways, for an officer (masked, found by part only where managed) and a supervisor', async () => {
    const sorts = ['name', 'idNumber', 'tier', 'loanCount', 'balanceFen'] as const;
    const search = (query: string, sort: (typeof sorts)[number], direction: 'asc' | 'desc') => (ctx: AppContext) => searchBorrowers(ctx, { query, kind: null, tier: null, sort, direction, limit: 50, offset: 0 });
    for (const [user, roles] of [
      ['li', ['officer']],
      ['sup', ['supervisor']],
    ] as const) {
      for (const query of ['', '110101', '330102198805051111', 'ls', 'acme trad']) {
        for (const sort of sorts) for (const direction of ['asc', 'desc'] as const) await both(user, [...roles], search(query, sort, direction));
      }
    }
    // What the officer li sees: their borrowers by part, another officer's only by the full number, masked.
    const li = (query: string) => both('li', ['officer'], search(query, 'name', 'asc'));
    expect((await li('110101')).rows.map((r) => [r.name, r.idNumber, r.managed])).toEqual([
      ['李四', '110101199001011234', true],
      ['王五', '110101199202022222', true],
    ]);
    expect((await li('330102')).rows).toEqual([]);
    expect((await li('330102198805051111')).rows.map((r) => [r.name, r.idNumber, r.loanCount, r.managed])).toEqual([['上官明月', '330102********1111', null, false]]);
    expect((await li('')).total).toBe(4);
    // Sorted by the masked number for what li may not see; by balance, ties by id.
    const byId = await both('li', ['officer'], search('', 'idNumber', 'asc'));
    expect(byId.rows.map((r) => r.name)).toEqual(['李四', '王五', '上官明月', 'ACME Trading 贸易有限公司']);
    const sup = await both('sup', ['supervisor'], search('', 'balanceFen', 'desc'));
    expect(sup.rows.map((r) => [r.name, r.balanceFen, r.loanCount])).toEqual([
      ['上官明月', 400_000, 1],
      ['ACME Trading 贸易有限公司', 0, 1], // its loan not through the batch yet: no balance stored
      ['李四', 0, 1],
      ['王五', 0, 0],
    ]);
  });

  it('searchWorklog: the text anywhere, in the scope of the officer', async () => {
    const search = (query: string | null) => (ctx: AppContext) => searchWorklog(ctx, { query, officer: null, from: null, to: null, kind: null, limit: 50, offset: 0 });
    const text = async (user: string, roles: Role[], query: string | null) => (await both(user, roles, search(query))).rows.map((r) => `${r.source}:${r.content}`);
    expect(await text('sup', ['supervisor'], null)).toEqual(['worklog:c 2026-12-03', 'contact:已联系', 'promise:承诺', 'worklog:c 2026-12-01', 'worklog:c 2026-11-20']);
    expect(await text('sup', ['supervisor'], '李四')).toEqual(['contact:已联系', 'promise:承诺']);
    expect(await text('sup', ['supervisor'], 'ht-2026')).toEqual([]);
    expect(await text('sup', ['supervisor'], '2026-12')).toEqual(['worklog:c 2026-12-03', 'worklog:c 2026-12-01']);
    expect(await text('li', ['officer'], null)).toEqual(['contact:已联系', 'promise:承诺']);
    expect(await text('wang', ['officer'], 'C 2026')).toEqual(['worklog:c 2026-12-03', 'worklog:c 2026-12-01', 'worklog:c 2026-11-20']);
  });

  it('listAudit: the entries about a loan found by part of its contract number, by entity or by the loanId in their detail', async () => {
    await onBoth(async (db) => {
      let prev = (await db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').executeTakeFirst())?.hash ?? GENESIS;
      const entries: [string, string, string, string][] = [
        ['loan.create', 'loan', '1', '{}'],
        ['repayment.add', 'repayment', '7', '{"loanId":1,"amountFen":100}'],
        ['repayment.add', 'repayment', '8', '{"loanId":3}'],
        ['borrower.update', 'borrower', '1', '{"name":"x"}'],
        ['loan.update', 'loan', '2', '{}'],
      ];
      for (const [i, [action, entity, entityId, detail]] of entries.entries()) {
        const hash = createHash('sha256').update(`${prev}${i}`).digest('hex');
        await db.insertInto('audit_log').values({ at: AT, actor: 'admin', action, entity, entity_id: entityId, reason: null, detail, prev_hash: prev, hash }).execute();
        prev = hash;
      }
    });
    const list = (contractNo: string | null) => async (ctx: AppContext) => {
      const r = await listAudit(ctx, { actor: null, from: '2026-12-07', to: '2026-12-07', contractNo, action: null, limit: 50, offset: 0 });
      return { total: r.total, entries: r.entries.map((e) => [e.action, e.entityId, e.subject, e.loanId]) };
    };
    expect(await both('admin', ['admin'], list('2026-001'))).toEqual({
      total: 2,
      entries: [
        ['repayment.add', '7', 'HT-2026-001', 1],
        ['loan.create', '1', 'HT-2026-001', 1],
      ],
    });
    expect((await both('admin', ['admin'], list('ht-2026'))).total).toBe(3);
    expect((await both('admin', ['admin'], list('%'))).entries).toEqual([['repayment.add', '8', 'XY-100%_9', 3]]);
  });
});

describe('more lists, through a context on each database', () => {

  it('listLoans: the text in contract number, name or ID number, every sort', async () => {
    const list = (query: string, sort: 'contractNo' | 'balanceFen' | 'dpd' | 'maturityDate', direction: 'asc' | 'desc') => (ctx: AppContext) =>
      listLoans(ctx, { query, officer: null, bucket: null, level: null, status: null, sort, direction, limit: 50, offset: 0 });
    for (const query of ['', 'ht-2026', '%', '上官', '110101'])
      for (const sort of ['contractNo', 'balanceFen', 'dpd', 'maturityDate'] as const) for (const direction of ['asc', 'desc'] as const) await both('sup', ['supervisor'], list(query, sort, direction));
    // Only the loan that went through the batch has a status row to list.
    expect((await both('sup', ['supervisor'], list('HT-2026', 'contractNo', 'asc'))).rows.map((r) => r.contractNo)).toEqual(['HT-2026-001']);
    expect((await both('wang', ['officer'], list('', 'contractNo', 'asc'))).total).toBe(1);
  });

  it('listWarnings and listInspections', async () => {
    const warnings = await both('sup', ['supervisor'], (ctx) => listWarnings(ctx, { loanId: null, status: 'open' }));
    expect(warnings.map((w) => [w.id, w.planDue, w.reviewSuggested, w.inspectionId])).toEqual([
      [3, '2026-12-13', false, null],
      [2, '2026-12-12', false, null],
      [1, '2026-12-11', true, 2],
    ]);
    const inspections = await both('wang', ['officer'], (ctx) => listInspections(ctx, { loanId: null, status: null, dueBefore: null }));
    expect(inspections.map((i) => [i.id, i.dueDate, i.overdue, i.report?.id ?? null])).toEqual([
      [1, '2026-12-01', true, 2],
      [3, '2026-12-06', true, null],
      [2, '2026-12-07', false, null],
    ]);
  });
});

describe('the workbench (我的工作台) on both databases', () => {
  it('getToday gives the same view, for an officer and for a supervisor', async () => {
    const wang = await both('wang', ['officer'], (ctx) => getToday(ctx));
    // Inspection 1 is written up (it is in the reports list); 3 is overdue, 2 due today.
    expect(wang.counts).toMatchObject({ inspections: 2, inspectionsOverdue: 1, warningsToHandle: 3 });
    expect(wang.inspections.map((i) => [i.inspectionId, i.overdue])).toEqual([
      [3, true],
      [2, false],
    ]);
    const sup = await both('sup', ['supervisor'], (ctx) => getToday(ctx));
    // Inspection 4 (2027-01-10) is beyond the horizon.
    expect(sup.counts).toMatchObject({ inspections: 2, inspectionsOverdue: 1, commentsDue: 3, commentsOverdue: 0 });
    expect(sup.worklog.byOfficer.map((o) => o.officer)).toEqual(['li', 'wang']);
  });
});

// Reads that need no more of the store than its Kysely, with the rows above: the same results on both.
describe('other reads on both databases', () => {
  const sup = ['supervisor'] as Role[];
  const reads: [string, string, Role[], (ctx: AppContext) => Promise<unknown>][] = [
    ['getLoan', 'wang', ['officer'], (ctx) => getLoan(ctx, { id: 1, asOf: null })],
    ['listOfficers', 'sup', sup, (ctx) => listOfficers(ctx)],
    ['listUsers', 'admin', ['admin'], (ctx) => listUsers(ctx)],
    ['getBorrower', 'li', ['officer'], (ctx) => getBorrower(ctx, { id: 4 })],
    ['getLegal', 'sup', sup, (ctx) => getLegal(ctx, { loanId: 1 })],
    ['getSettings', 'admin', ['admin'], (ctx) => getSettings(ctx)],
    ['getInspectionRules', 'admin', ['admin'], (ctx) => getInspectionRules(ctx)],
    ['listCalendar', 'admin', ['admin'], (ctx) => listCalendar(ctx)],
    ['listDocTypes', 'sup', sup, (ctx) => listDocTypes(ctx)],
    ['listLendings', 'sup', ['archivist'], (ctx) => listLendings(ctx, { status: 'all' })],
    ['listDrawdowns', 'wang', ['officer'], (ctx) => listDrawdowns(ctx, { loanId: 1 })],
    ['listDebtors', 'sup', sup, (ctx) => listDebtors(ctx)],
    ['listCollectors', 'sup', sup, (ctx) => listCollectors(ctx)],
    ['listTemplates', 'sup', sup, (ctx) => listTemplates(ctx)],
    ['listDocuments', 'wang', ['officer'], (ctx) => listDocuments(ctx, { loanId: 1, includeRemoved: true })],
    ['listWorklog', 'wang', ['officer'], (ctx) => listWorklog(ctx, { borrowerId: 1, loanId: null, query: 'c', officer: null, from: null, to: null, kind: null })],
    ['collectionQueue', 'sup', sup, (ctx) => collectionQueue(ctx, { collector: null, unassignedOnly: false })],
    ['collectorResults', 'sup', sup, (ctx) => collectorResults(ctx, { from: '2026-12-01', to: '2026-12-07' })],
    ['limitationReport', 'sup', sup, (ctx) => limitationReport(ctx, { officer: null })],
    ['overdueSummary', 'sup', sup, (ctx) => overdueSummary(ctx, { asOf: null, officer: null })],
    ['reportQueue', 'wang', ['officer'], (ctx) => reportQueue(ctx)],
  ];
  for (const [name, user, roles, read] of reads) {
    it(name, async () => {
      await both(user, roles, read);
    });
  }
});
