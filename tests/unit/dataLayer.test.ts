import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One data layer (issue #13): outside src/main/db, code reaches the database through Kysely or through the typed
 * functions of src/main/db. Raw driver calls, driver imports and raw SQL fragments are found here, file:line.
 */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main');
const DB = join(MAIN, 'db');

const RULES: { name: string; re: RegExp }[] = [
  { name: 'prepare()', re: /\.prepare\s*\(/ },
  { name: 'pragma()', re: /\.pragma\s*\(/ },
  // A driver's exec takes SQL text; a RegExp's exec (`/x/.exec(s)`) takes a variable, so only string literals count.
  { name: 'exec(SQL)', re: /\.exec\s*\(\s*['"`]/ },
  { name: 'raw()', re: /\.raw\s*\(\s*\)/ },
  { name: 'sql.raw', re: /\bsql\s*\.\s*raw\s*\(/ },
  { name: 'CompiledQuery.raw', re: /\bCompiledQuery\s*\.\s*raw\s*\(/ },
  { name: 'driver import', re: /from\s+['"](better-sqlite3|pg['"/])/ },
  { name: 'driver handle', re: /\.sqlite\b/ },
  { name: 'driver transaction state', re: /\.inTransaction\b/ },
  { name: 'driverOf()', re: /\bdriverOf\s*\(/ },
];

/**
 * Files that may still touch the driver, each with why. Empty is the goal; a file listed here that no longer
 * offends fails the test too, so the list only shrinks.
 */
const ALLOWED: Record<string, string> = {};

const FEATURES = join(MAIN, 'features');

/**
 * One code path for both stores (issue #14): a feature reaches the database through asynchronous Kysely only —
 * `await db….execute()`, and its writes in `db.transaction().execute(async (trx) => …)` with `recordAudit(trx, …)`.
 * PostgreSQL's driver is asynchronous, so a query run synchronously on the SQLite driver (a synchronous executor, a
 * driver transaction, an audit entry appended on the driver) is code that the other store cannot run.
 */
const SYNC_RULES: { name: string; re: RegExp }[] = [
  { name: 'synchronous executor', re: /\b(allSync|firstSync|runSync)\b|from\s+['"][./]*db\/sync['"]/ },
  { name: 'driver transaction', re: /\b(rawTransaction|immediateTransaction|readTransaction|tryDeferred)\b/ },
  { name: 'audit on the driver', re: /\b(recordAuditRaw|appendAuditRaw)\b/ },
  { name: 'driver write', re: /\b\w+Raw\s*\(/ },
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (p === DB) return [];
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every offending line under `dir` (outside src/main/db), as `file:line rule`. */
function offences(dir = MAIN, rules = RULES): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of tsFiles(dir)) {
    const rel = relative(ROOT, file).split('\\').join('/');
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments may name what they explain
        for (const r of rules) if (r.re.test(line)) found.set(rel, [...(found.get(rel) ?? []), `${rel}:${i + 1} ${r.name}: ${line.trim().slice(0, 100)}`]);
      });
  }
  return found;
}

/**
 * SQL that only SQLite speaks (issue #14): the branch server runs the same feature code on PostgreSQL, so these
 * functions are written only in src/main/db (dialect.ts renders them per database). Found in the SQL text of
 * string and template literals (`sql\`…\``), and as the name given to Kysely's `fn(…)`.
 */
const SQLITE_ONLY = ['julianday', 'json_each', 'json_extract', 'date', 'strftime', 'ifnull', 'group_concat', 'instr'];
const SQLITE_CALL = new RegExp(`\\b(${SQLITE_ONLY.join('|')})\\s*\\(`, 'i');
const SQLITE_FN = new RegExp(`\\bfn(?:\\.agg)?(?:<[^>]*>)?\\(\\s*['"\`](${SQLITE_ONLY.join('|')})['"\`]`, 'i');

/** The text of a source's string and template literals (what `${…}` holds is code again), each with the line it starts on; comments and regular expressions skipped. */
function literals(src: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let line = 1;
  let i = 0;
  // Template nesting: each entry is the brace depth at which a `${` returns to its template.
  const templates: number[] = [];
  let depth = 0;
  let lastCode = '';
  const readQuoted = (quote: string) => {
    const start = line;
    let text = '';
    for (i++; i < src.length; i++) {
      const c = src[i];
      if (c === '\\') {
        text += c + src[i + 1];
        i++;
        continue;
      }
      if (c === '\n') line++;
      if (quote === '`' && c === '$' && src[i + 1] === '{') {
        out.push({ line: start, text });
        templates.push(depth);
        depth++;
        i += 2;
        return;
      }
      if (c === quote) {
        out.push({ line: start, text });
        i++;
        return;
      }
      text += c;
    }
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      line += src.slice(i, stop).split('\n').length - 1;
      i = stop;
    } else if (c === '/' && (lastCode === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(lastCode))) {
      // A regular expression: to its closing slash (not one inside a class), then its flags.
      let inClass = false;
      for (i++; i < src.length && src[i] !== '\n'; i++) {
        if (src[i] === '\\') i++;
        else if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        else if (src[i] === '/' && !inClass) break;
      }
      i++;
      lastCode = 'x';
    } else if (c === "'" || c === '"' || c === '`') {
      readQuoted(c);
      lastCode = 'x';
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      // Back in the template: read on to its end or its next `${`.
      i--;
      readQuoted('`');
      lastCode = 'x';
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (!/\s/.test(c)) lastCode = /\w/.test(c) ? 'x' : c;
      i++;
    }
  }
  return out;
}

/** Every use of a SQLite-only function outside src/main/db, as `file:line name`. */
function sqliteOnly(files: { rel: string; src: string }[]): string[] {
  const found: string[] = [];
  for (const { rel, src } of files) {
    for (const { line, text } of literals(src)) {
      text.split('\n').forEach((part, k) => {
        const m = SQLITE_CALL.exec(part);
        if (m) found.push(`${rel}:${line + k} ${m[1]}(: ${part.trim().slice(0, 100)}`);
      });
    }
    src.split('\n').forEach((part, k) => {
      const m = SQLITE_FN.exec(part);
      if (m && !/^\s*(\/\/|\*|\/\*)/.test(part)) found.push(`${rel}:${k + 1} fn ${m[1]}: ${part.trim().slice(0, 100)}`);
    });
  }
  return found;
}

describe('one data layer', () => {
  it('the rules find what they are meant to find, and not a RegExp exec', () => {
    const hit = (line: string) => RULES.filter((r) => r.re.test(line)).map((r) => r.name);
    expect(hit(`store.sqlite.prepare('SELECT 1').get()`)).toEqual(['prepare()', 'driver handle']);
    expect(hit(`db.pragma('integrity_check')`)).toEqual(['pragma()']);
    expect(hit("sqlite.exec('BEGIN')")).toEqual(['exec(SQL)']);
    expect(hit('const m = /^(\\d+)$/.exec(s);')).toEqual([]);
    expect(hit('stmt.raw().all()')).toEqual(['raw()']);
    expect(hit('sql.raw(`x`)')).toEqual(['sql.raw']);
    expect(hit("import BetterSqlite from 'better-sqlite3-multiple-ciphers';")).toEqual(['driver import']);
    expect(hit("import pg from 'pg';")).toEqual(['driver import']);
    expect(hit("import { Pool } from 'pg/lib/index.js';")).toEqual(['driver import']);
    expect(hit("import { x } from 'pgp-things';")).toEqual([]);
    expect(hit('if (s.inTransaction) return;')).toEqual(['driver transaction state']);
    expect(hit('const d = driverOf(store);')).toEqual(['driverOf()']);
    expect(hit('await ctx.db.selectFrom("loans").selectAll().execute()')).toEqual([]);
  });

  it('no raw driver use outside src/main/db, beyond the files allowed and why', () => {
    const found = offences();
    const unexpected = [...found].filter(([f]) => !(f in ALLOWED)).flatMap(([, lines]) => lines);
    expect(unexpected).toEqual([]);
  });

  it('the SQLite-only functions are found in SQL text and Kysely calls, not in code, comments or regular expressions', () => {
    const hits = (src: string) => sqliteOnly([{ rel: 'x.ts', src }]).map((h) => h.split(' ').slice(0, 2).join(' '));
    expect(hits('const d = sql<string>`date(${ts}, ${offset})`;')).toEqual(['x.ts:1 date(:']);
    expect(hits('q.select(sql`coalesce(x, 0)`)\n  .where(sql`julianday(${a}) -\n  JULIANDAY(${b}) > 1`)')).toEqual(['x.ts:2 julianday(:', 'x.ts:3 JULIANDAY(:']);
    expect(hits("db.selectFrom('t').select(sql.ref('ifnull(a, b)'))")).toEqual(['x.ts:1 ifnull(:']);
    expect(hits('const s = `outer ${sql`group_concat(${`x`})`} end`;')).toEqual(['x.ts:1 group_concat(:']);
    expect(hits("eb.fn<string>('strftime', [eb.val('%Y')])\neb.fn.agg('group_concat', ['x'])\neb.fn('date', [x])")).toEqual(['x.ts:1 fn', 'x.ts:2 fn', 'x.ts:3 fn']);
    expect(hits("startDate: x.date('startDate'),\nconst when = date(key);")).toEqual([]);
    expect(hits('// julianday( named in a comment\n/* json_each( */ const re = /instr\\(x\\)/g; const t = `${a / 2}`;')).toEqual([]);
    expect(hits("const m = /'/.exec(s); const q = sql`json_extract(${c}, '$.a')`;")).toEqual(['x.ts:1 json_extract(:']);
  });

  it('no SQLite-only SQL function outside src/main/db', () => {
    const files = tsFiles(MAIN).map((file) => ({ rel: relative(ROOT, file).split('\\').join('/'), src: readFileSync(file, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(sqliteOnly(files)).toEqual([]);
  });

  it('every allowed file still needs its place on the list', () => {
    const found = offences();
    expect(Object.keys(ALLOWED).filter((f) => !found.has(f))).toEqual([]);
  });

  it('the synchronous-execution rules find what they are meant to find', () => {
    const hit = (line: string) => SYNC_RULES.filter((r) => r.re.test(line)).map((r) => r.name);
    expect(hit("import { allSync, firstSync } from '../../db/sync';")).toEqual(['synchronous executor']);
    expect(hit('const r = firstSync(store, q);')).toEqual(['synchronous executor']);
    expect(hit('rawTransaction(store, () => {')).toEqual(['driver transaction']);
    expect(hit('immediateTransaction(store, () => plan())')).toEqual(['driver transaction']);
    expect(hit('recordAuditRaw(store, at, input);')).toEqual(['audit on the driver', 'driver write']);
    expect(hit("putSettingRaw(store, 'k', v);")).toEqual(['driver write']);
    expect(hit('await db.transaction().execute(async (trx) => recordAudit(trx, at, input));')).toEqual([]);
    expect(hit("const rows = await db.selectFrom('loans').selectAll().execute();")).toEqual([]);
  });

  it('features execute no query synchronously: asynchronous Kysely only, so that both stores run the same code', () => {
    expect(tsFiles(FEATURES).length).toBeGreaterThan(50);
    expect([...offences(FEATURES, SYNC_RULES).values()].flat()).toEqual([]);
  });
});
