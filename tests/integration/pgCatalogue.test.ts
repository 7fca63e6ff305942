import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS } from '../../src/main/db/auditChain';
import { migrate } from '../../src/main/db/migrate';
import { kyselyOf, openSqlite, type Sqlite } from '../../src/main/db/open';
import { openPostgres, poolConfig, PostgresError, safeInteger } from '../../src/main/db/pg/connect';
import { migratePostgres } from '../../src/main/db/pg/migrate';
import { PG_MIGRATIONS } from '../../src/main/db/pg/migrations';
import type { Database } from '../../src/main/db/schema';
import { findBinDir, startPgServer, type PgServer } from '../support/pgServer';

/**
 * The branch server's schema (src/main/db/pg) against the SQLite store's (src/main/db/migrations), both freshly
 * migrated, through each database's own catalogue: the same tables and views, and per table the same columns
 * (name, type class, NOT NULL, default), CHECK constraints, primary key, unique constraints, foreign keys and named
 * indexes. Then what the PostgreSQL module adds: int8 and counts read back as safe numbers, the trigram search, the append-only audit log,
 * and the loopback-only rule.
 */

interface Catalogue {
  /** `table` or `view`, by name. */
  objects: Map<string, 'table' | 'view'>;
  /** Per table or view, sorted lines that describe it. */
  shapes: Map<string, string[]>;
}

/** integer/bigint → int, text, real/double → float, blob/bytea → bytes. */
function typeClass(declared: string): string {
  const t = declared.toLowerCase();
  if (/^(integer|bigint|smallint|int|int2|int4|int8)$/.test(t)) return 'int';
  if (/^(text|character varying|varchar)$/.test(t)) return 'text';
  if (/^(real|double precision|float4|float8)$/.test(t)) return 'float';
  if (/^(blob|bytea)$/.test(t)) return 'bytes';
  return `other:${t}`;
}

/** A default as both catalogues print it, without PostgreSQL's casts (`'active'::text` → `'active'`). */
const normDefault = (d: string | null) => (d === null ? '' : ` default ${d.replace(/::[a-z ]+$/, '')}`);

/**
 * A CHECK as the set of what it names: the table's columns, literals and order comparisons. SQLite keeps the text as
 * written (`kind IN ('a','b')`), PostgreSQL its own form (`kind = ANY (ARRAY['a'::text, 'b'::text])`); both give
 * `check 'a' 'b' kind`.
 */
function normCheck(expr: string, columns: string[]): string {
  const tokens = [...expr.replace(/::[a-z]+/g, '').matchAll(/'(?:[^']|'')*'|-?\d+|[A-Za-z_][A-Za-z0-9_]*|>=|<=|<>|!=|>|</g)].map((m) => m[0]);
  return `check ${tokens.filter((t) => !/^[A-Za-z_]/.test(t) || columns.includes(t)).sort().join(' ')}`;
}

/** The CHECK clauses of a CREATE TABLE statement, each the text inside its parentheses. */
function sqliteChecks(createSql: string): string[] {
  const out: string[] = [];
  const re = /\bCHECK\s*\(/gi;
  for (let m = re.exec(createSql); m; m = re.exec(createSql)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < createSql.length && depth > 0; i++) {
      if (createSql[i] === "'") i = createSql.indexOf("'", i + 1);
      else if (createSql[i] === '(') depth++;
      else if (createSql[i] === ')') depth--;
    }
    out.push(createSql.slice(start, i - 1));
  }
  return out;
}

const isFts = (name: string) => name === 'borrowers_fts' || name.startsWith('borrowers_fts_');
const isInternal = (name: string) => name.startsWith('sqlite_') || name.startsWith('kysely_') || isFts(name);

function sqliteCatalogue(db: Sqlite): Catalogue {
  const objects = new Map<string, 'table' | 'view'>();
  const shapes = new Map<string, string[]>();
  const rows = db.prepare(`SELECT name, type FROM sqlite_master WHERE type IN ('table','view') ORDER BY name`).all() as { name: string; type: 'table' | 'view' }[];
  for (const { name, type } of rows.filter((r) => !isInternal(r.name))) {
    objects.set(name, type);
    const lines: string[] = [];
    const cols = db.prepare(`SELECT name, type, "notnull" AS nn, pk, dflt_value AS d FROM pragma_table_info(?)`).all(name) as { name: string; type: string; nn: number; pk: number; d: string | null }[];
    // A view's columns carry no NOT NULL nor default in either catalogue.
    for (const c of cols) lines.push(`column ${c.name} ${typeClass(c.type)}${type === 'table' && (c.nn || c.pk) ? ' not null' : ''}${type === 'table' ? normDefault(c.d) : ''}`);
    const createSql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(name) as { sql: string }).sql;
    if (type === 'table') for (const check of sqliteChecks(createSql)) lines.push(normCheck(check, cols.map((c) => c.name)));
    const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    if (pk.length) lines.push(`primary key (${pk.map((c) => c.name).join(', ')})`);
    const indexes = db.prepare(`SELECT name, "unique" AS u, origin, partial FROM pragma_index_list(?)`).all(name) as { name: string; u: number; origin: string; partial: number }[];
    for (const ix of indexes) {
      const ixCols = (db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).all(ix.name) as { name: string }[]).map((c) => c.name).join(', ');
      if (ix.u && ix.origin !== 'pk') lines.push(`unique (${ixCols})${ix.partial ? ' partial' : ''}`);
      if (ix.origin === 'c') lines.push(`index ${ix.name} (${ixCols})`);
    }
    const fks = db.prepare(`SELECT id, seq, "table" AS t, "from" AS f, "to" AS tc FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(name) as { id: number; t: string; f: string; tc: string }[];
    for (const id of new Set(fks.map((f) => f.id))) {
      const parts = fks.filter((f) => f.id === id);
      lines.push(`foreign key (${parts.map((p) => p.f).join(', ')}) references ${parts[0].t} (${parts.map((p) => p.tc).join(', ')})`);
    }
    shapes.set(name, lines.sort());
  }
  return { objects, shapes };
}

async function pgCatalogue(db: Kysely<Database>): Promise<Catalogue> {
  const objects = new Map<string, 'table' | 'view'>();
  const shapes = new Map<string, string[]>();
  const { rows } = await sql<{ name: string; type: string }>`
    SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`.execute(db);
  for (const { name, type: t } of rows.filter((r) => !isInternal(r.name))) {
    const type = t === 'VIEW' ? 'view' : 'table';
    objects.set(name, type);
    const lines: string[] = [];
    const cols = await sql<{ name: string; type: string; nullable: string; d: string | null }>`
      SELECT column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS d FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = ${name} ORDER BY ordinal_position`.execute(db);
    for (const c of cols.rows) lines.push(`column ${c.name} ${typeClass(c.type)}${type === 'table' && c.nullable === 'NO' ? ' not null' : ''}${type === 'table' ? normDefault(c.d) : ''}`);
    const checks = await sql<{ def: string }>`
      SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'c' AND conrelid = ${`public.${name}`}::regclass`.execute(db);
    for (const c of checks.rows) lines.push(normCheck(c.def.replace(/^CHECK\s*/, ''), cols.rows.map((x) => x.name)));
    const indexes = await sql<{ name: string; primary: boolean; unique: boolean; partial: boolean; constraint: boolean; cols: string }>`
      SELECT c.relname AS name, i.indisprimary AS primary, i.indisunique AS unique, i.indpred IS NOT NULL AS partial,
             EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) AS constraint,
             (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS cols
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = ${`public.${name}`}::regclass`.execute(db);
    for (const ix of indexes.rows) {
      if (ix.primary) lines.push(`primary key (${ix.cols})`);
      else if (ix.unique) lines.push(`unique (${ix.cols})${ix.partial ? ' partial' : ''}`);
      // Indexes created by name (not for a constraint); the trigram indexes have no SQLite counterpart.
      if (!ix.primary && !ix.constraint && !ix.name.endsWith('_trgm')) lines.push(`index ${ix.name} (${ix.cols})`);
    }
    const fks = await sql<{ cols: string; target: string; targetCols: string }>`
      SELECT (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum) AS cols,
             f.confrelid::regclass::text AS target,
             (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(f.confkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum) AS "targetCols"
      FROM pg_constraint f WHERE f.contype = 'f' AND f.conrelid = ${`public.${name}`}::regclass`.execute(db);
    for (const f of fks.rows) lines.push(`foreign key (${f.cols}) references ${f.target} (${f.targetCols})`);
    shapes.set(name, lines.sort());
  }
  return { objects, shapes };
}

/** Every difference, one line each: what only one side has. */
function differences(a: Catalogue, b: Catalogue): string[] {
  const out: string[] = [];
  for (const [name, type] of a.objects) {
    if (!b.objects.has(name)) out.push(`${type} ${name}: only in SQLite`);
    else if (b.objects.get(name) !== type) out.push(`${name}: ${type} in SQLite, ${b.objects.get(name)} in PostgreSQL`);
  }
  for (const [name, type] of b.objects) if (!a.objects.has(name)) out.push(`${type} ${name}: only in PostgreSQL`);
  for (const [name, lines] of a.shapes) {
    const other = b.shapes.get(name);
    if (!other) continue;
    for (const l of lines) if (!other.includes(l)) out.push(`${name}: ${l} — only in SQLite`);
    for (const l of other) if (!lines.includes(l)) out.push(`${name}: ${l} — only in PostgreSQL`);
  }
  return out;
}

let server: PgServer;
let pgdb: Kysely<Database>;
let tmp: string;
let sqlite: Sqlite;

beforeAll(async () => {
  server = await startPgServer();
  pgdb = openPostgres({ url: server.url });
  expect(await migratePostgres(pgdb)).toEqual(Object.keys(PG_MIGRATIONS));
  tmp = mkdtempSync(join(tmpdir(), 'lk-pgcat-'));
  sqlite = openSqlite(join(tmp, 'loankeeper.db'), null, { create: true });
  await migrate(kyselyOf(sqlite), sqlite, tmp, '2026-12-07T00:00:00.000Z');
}, 120_000);

afterAll(async () => {
  await pgdb?.destroy();
  server?.stop();
  sqlite?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const borrower = (name: string, idNumber: string, phone: string) => ({
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
  name_pinyin: '',
  name_initials: '',
  created_by: 'admin',
  created_at: '2026-12-07T00:00:00.000Z',
  updated_at: '2026-12-07T00:00:00.000Z',
});

describe('the two stores have one schema', () => {
  it('the same tables and views, columns, NOT NULL, defaults, CHECKs, keys, uniques, foreign keys and indexes', async () => {
    const lite = sqliteCatalogue(sqlite);
    const post = await pgCatalogue(pgdb);
    // The comparison sees something: the main tables and the view are there, with their shapes.
    expect(lite.objects.get('effective_repayments')).toBe('view');
    expect(lite.shapes.get('loans')).toContain('foreign key (officer) references users (username)');
    expect(post.shapes.get('repayments')).toContain('unique (reversal_of) partial');
    expect(lite.shapes.get('repayments')).toContain("check 'advance' 'credit' 'settle' excess");
    expect(post.shapes.get('repayments')).toContain('check 0 >= fee_fen');
    expect(post.shapes.get('loans')).toContain(`column allocation_order text not null default '["penalty","interest","principal"]'`);
    expect(lite.objects.size).toBeGreaterThan(50);
    expect(differences(lite, post)).toEqual([]);
  });

  it('migrating again changes nothing', async () => {
    expect(await migratePostgres(pgdb)).toEqual([]);
  });

  it('our sessions neither compile queries (JIT) nor start parallel workers, which cost more than they save here', async () => {
    expect((await sql<{ jit: string }>`SHOW jit`.execute(pgdb)).rows).toEqual([{ jit: 'off' }]);
    expect((await sql<{ max_parallel_workers_per_gather: string }>`SHOW max_parallel_workers_per_gather`.execute(pgdb)).rows).toEqual([{ max_parallel_workers_per_gather: '0' }]);
  });

  it('the view counts the payments that stand, as in SQLite', async () => {
    await pgdb.insertInto('users').values({ username: 'admin', display_name: '王管理', roles: '["admin"]', disabled: 0, must_change_password: 0, created_at: 'x', updated_at: 'x' }).execute();
    const { id: borrowerId } = await pgdb.insertInto('borrowers').values(borrower('李四', '110101199001011234', '13800000000')).returning('id').executeTakeFirstOrThrow();
    const { id: loanId } = await pgdb
      .insertInto('loans')
      .values({ contract_no: 'HT-1', kind: 'loan', borrower_id: borrowerId, product: 'credit', principal_fen: 1_000_000, annual_rate: '0.12', penalty_uplift: '0.5', term_months: 12, method: 'equal-installment', start_date: '2026-01-01', maturity_date: '2027-01-01', guarantee_modes: '[]', officer: 'admin', created_by: 'admin', created_at: 'x', updated_at: 'x' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(typeof loanId).toBe('number');
    const pay = (amount: number, reversalOf: number | null) =>
      pgdb.insertInto('repayments').values({ loan_id: loanId, paid_on: '2026-02-01', amount_fen: amount, reversal_of: reversalOf, created_by: 'admin', created_at: 'x' } as never).returning('id').executeTakeFirstOrThrow();
    const kept = await pay(50_000, null);
    const reversed = await pay(20_000, null);
    await pay(20_000, reversed.id);
    const rows = await pgdb.selectFrom('effective_repayments').select(['id', 'amount_fen', 'excess', 'fee_fen']).execute();
    expect(rows).toEqual([{ id: kept.id, amount_fen: 50_000, excess: 'credit', fee_fen: 0 }]);
    // A second reversal of the same payment is refused, as by SQLite's partial unique index.
    await expect(pay(20_000, reversed.id)).rejects.toThrow(/repayments_one_reversal/);
  });
});

describe('numbers come back as safe integers', () => {
  it('int8 and counts are numbers; sums of money too', async () => {
    const r = await sql<{ n: unknown; big: unknown; total: unknown; neg: unknown }>`
      SELECT count(*) AS n, 9007199254740991::bigint AS big, sum(amount_fen) AS total, (-9007199254740991)::bigint AS neg FROM repayments`.execute(pgdb);
    expect(r.rows).toEqual([{ n: 3, big: Number.MAX_SAFE_INTEGER, total: 90_000, neg: -Number.MAX_SAFE_INTEGER }]);
    const c = await pgdb.selectFrom('repayments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(c.n).toBe(3);
    const arr = await sql<{ ids: unknown }>`SELECT array_agg(id ORDER BY id) AS ids FROM repayments`.execute(pgdb);
    expect(arr.rows[0].ids).toEqual([1, 2, 3]);
  });

  it('an int8 beyond 2^53 stops the query with a clear error instead of rounding', async () => {
    await pgdb.insertInto('borrowers').values({ ...borrower('大额', '91110000000000000X', ''), kind: 'enterprise', registered_capital_fen: sql<number>`9007199254740993` }).execute();
    const read = pgdb.selectFrom('borrowers').select('registered_capital_fen').where('id_number', '=', '91110000000000000X').executeTakeFirst();
    await expect(read).rejects.toThrow(PostgresError);
    await expect(read).rejects.toMatchObject({ code: 'INTERNAL', key: 'errors.pgNotSafeInteger', params: { value: '9007199254740993', type: 'int8' } });
    await expect(read).rejects.toThrow('9007199254740993');
    // A sum beyond it (numeric) is refused the same way; the pool goes on serving.
    await expect(sql`SELECT sum(registered_capital_fen) AS s FROM borrowers`.execute(pgdb)).rejects.toMatchObject({ params: { type: 'numeric' } });
    expect((await sql<{ one: number }>`SELECT 1::bigint AS one`.execute(pgdb)).rows).toEqual([{ one: 1 }]);
    await pgdb.deleteFrom('borrowers').where('id_number', '=', '91110000000000000X').execute();
  });

  it('a numeric with a fraction is refused; whole numerics are read', () => {
    expect(safeInteger('12', 'numeric')).toBe(12);
    expect(safeInteger('12.000', 'numeric')).toBe(12);
    expect(safeInteger('-0', 'int8')).toBe(0);
    expect(() => safeInteger('12.5', 'numeric', 'en')).toThrow(/12\.5 \(numeric\).*cannot be read exactly/);
    expect(() => safeInteger('NaN', 'numeric')).toThrow(/NaN/);
  });
});

describe('borrower search', () => {
  it('finds a borrower by part of the name, ID number or phone through the trigram indexes', async () => {
    await pgdb
      .insertInto('borrowers')
      .values([borrower('上官明月', '330102198805051111', '13912345678'), { ...borrower('ACME Trading 贸易有限公司', '91330100MA2AAAAA1X', '0571-88886666'), kind: 'enterprise' }])
      .execute();
    const find = (column: 'name' | 'id_number' | 'phone', part: string) =>
      pgdb.selectFrom('borrowers').select('name').where(column, 'ilike', `%${part}%`).orderBy('name').execute();
    expect(await find('name', '官明月')).toEqual([{ name: '上官明月' }]);
    expect(await find('name', 'acme trad')).toEqual([{ name: 'ACME Trading 贸易有限公司' }]);
    expect(await find('id_number', '19880505')).toEqual([{ name: '上官明月' }]);
    expect(await find('phone', '88866')).toEqual([{ name: 'ACME Trading 贸易有限公司' }]);
    // The planner can answer from the GIN index (sequential scans off, as on a large table).
    const plan = await pgdb.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const r = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id FROM borrowers WHERE name ILIKE ${'%官明月%'}`.execute(trx);
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('borrowers_name_trgm');
  });
});

describe('the audit log is append-only', () => {
  const entry = (prev: string, hash: string) => ({ at: '2026-12-07T00:00:00.000Z', actor: 'admin', action: 'test', entity: 'test', entity_id: '1', reason: null, detail: '{}', prev_hash: prev, hash });

  it('appends at the head only, and refuses UPDATE, DELETE and TRUNCATE', async () => {
    await pgdb.insertInto('audit_log').values(entry(GENESIS, 'a'.repeat(64))).execute();
    await expect(pgdb.insertInto('audit_log').values(entry(GENESIS, 'b'.repeat(64))).execute()).rejects.toThrow('audit_log: an entry must follow the current head');
    await pgdb.insertInto('audit_log').values(entry('a'.repeat(64), 'c'.repeat(64))).execute();
    await expect(pgdb.updateTable('audit_log').set({ actor: 'mallory' }).execute()).rejects.toThrow('audit_log is append-only');
    await expect(pgdb.deleteFrom('audit_log').execute()).rejects.toThrow('audit_log is append-only');
    await expect(sql`TRUNCATE audit_log`.execute(pgdb)).rejects.toThrow('audit_log is append-only');
    const rows = await pgdb.selectFrom('audit_log').select(['id', 'actor', 'prev_hash']).orderBy('id').execute();
    expect(rows.map((r) => [r.actor, r.prev_hash])).toEqual([
      ['admin', GENESIS],
      ['admin', 'a'.repeat(64)],
    ]);
    // Two writers that read the same head: the second waits for the first, then is refused (no fork).
    const head = 'c'.repeat(64);
    let second: Promise<unknown> = Promise.resolve();
    await pgdb.transaction().execute(async (trx) => {
      await trx.insertInto('audit_log').values(entry(head, 'd'.repeat(64))).execute();
      second = pgdb.insertInto('audit_log').values(entry(head, 'e'.repeat(64))).execute().then(() => 'appended', (e: Error) => e);
      await new Promise((r) => setTimeout(r, 200));
    });
    // Refused either way: by the unique index when it read the head before the first committed (the usual case),
    // by the at-head trigger when a slow machine let the first commit before it read the head.
    expect(String(await second)).toMatch(/audit_log_prev_hash|an entry must follow the current head/);
    expect(await pgdb.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 3 });
    await expect(pgdb.insertInto('audit_scheme').values({ legacy_count: 0, legacy_last_id: 0 }).execute()).rejects.toThrow('audit_scheme is written once');
    await expect(pgdb.updateTable('audit_scheme').set({ legacy_count: 5 }).execute()).rejects.toThrow('audit_scheme is append-only');
  });
});

describe('the test cluster', () => {
  it('without PostgreSQL the test fails and says how to install it, never skips', () => {
    expect(() => findBinDir('/nonexistent/postgresql', undefined)).toThrow('bash scripts/setup-and-test.sh');
    expect(() => findBinDir('/usr/lib/postgresql', '/nonexistent/bin')).toThrow(/LK_PG_BINDIR=\/nonexistent\/bin .*setup-and-test\.sh/);
    expect(server.version).toBeGreaterThanOrEqual(15);
  });
});

describe('only this PC may be reached without TLS', () => {
  const refused = (url: string, ca?: string) => {
    try {
      poolConfig({ url, ca, locale: 'en' });
    } catch (e) {
      return e as PostgresError;
    }
    return null;
  };

  it('refuses a server elsewhere without a checked certificate, with a clear message', () => {
    for (const url of ['postgresql://lk:pw@10.0.0.5/loankeeper', 'postgresql://lk:pw@db.branch.example/loankeeper?sslmode=require', 'postgres://lk@192.168.1.10:5433/lk?sslmode=verify-ca', 'postgresql://lk@127.0.0.1.example.com/lk']) {
      const e = refused(url);
      expect(e, url).toBeInstanceOf(PostgresError);
      expect(e).toMatchObject({ code: 'VALIDATION', key: 'errors.pgNeedsTls' });
      expect(e!.message).toContain('sslmode=verify-full');
      expect(e!.message).not.toContain('pw');
    }
    expect(refused('postgresql://lk@db.branch.example/lk?sslmode=disable', '-----BEGIN CERTIFICATE-----')).toMatchObject({ key: 'errors.pgNeedsTls' });
    expect(() => poolConfig({ url: 'postgresql://lk@10.0.0.5/lk' })).toThrow('不在本机上');
  });

  it('allows a server elsewhere with verify-full or a CA, and loopback or a socket without TLS', () => {
    expect(poolConfig({ url: 'postgresql://lk:pw@db.branch.example/lk?sslmode=verify-full' }).ssl).toEqual({ rejectUnauthorized: true });
    expect(poolConfig({ url: 'postgresql://lk:pw@db.branch.example/lk', ca: 'PEM' }).ssl).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
    for (const url of ['postgresql://lk@127.0.0.1/lk', 'postgresql://lk@localhost:5433/lk', 'postgresql://lk@[::1]/lk', 'postgresql:///lk?host=/run/postgresql']) {
      expect(poolConfig({ url }).ssl, url).toBe(false);
    }
    const c = poolConfig({ url: 'postgresql://lk:p%40ss@127.0.0.1:6543/loan%20keeper' });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 6543, user: 'lk', password: 'p@ss', database: 'loan keeper' });
  });

  it('refuses an address it cannot read, and settings it does not know', () => {
    expect(refused('mysql://lk@127.0.0.1/lk')).toMatchObject({ key: 'errors.pgBadUrl' });
    expect(refused('not a url')).toMatchObject({ key: 'errors.pgBadUrl' });
    expect(refused('postgresql://lk@127.0.0.1/')).toMatchObject({ key: 'errors.pgBadUrl' });
    expect(refused('postgresql://lk@127.0.0.1/lk?sslrootcert=/etc/ca.pem')).toMatchObject({ key: 'errors.pgUrlParam', params: { param: 'sslrootcert' } });
    expect(refused('postgresql://lk@127.0.0.1/lk?host=db.example')).toMatchObject({ key: 'errors.pgUrlParam' });
  });
});
