import type { Compilable } from 'kysely';
import type BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { driverOf, type Connection, type Sqlite } from './open';

/**
 * Kysely queries run synchronously on the store's connection. For work that must sit inside one synchronous
 * driver transaction (`rawTransaction`, BEGIN IMMEDIATE) together with its audit entry — the management reports'
 * snapshot is computed and stored that way, so the figures and their storing see the same data. The caller builds
 * the query with Kysely (typed by schema.ts) and never sees SQL text; the statement is prepared here, once per
 * distinct SQL text and connection.
 */

const CACHE_MAX = 256;
const cache = new WeakMap<Sqlite, Map<string, BetterSqlite.Statement>>();

function statement(c: Connection, q: Compilable<unknown>): { stmt: BetterSqlite.Statement; params: unknown[] } {
  const sqlite = driverOf(c);
  const { sql, parameters } = q.compile();
  let byText = cache.get(sqlite);
  if (!byText) cache.set(sqlite, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) {
    if (byText.size >= CACHE_MAX) byText.clear();
    stmt = sqlite.prepare(sql);
    byText.set(sql, stmt);
  }
  return { stmt, params: [...parameters] };
}

/** Every row of a query. */
export function allSync<O>(c: Connection, q: Compilable<O>): O[] {
  const { stmt, params } = statement(c, q);
  return stmt.all(...params) as O[];
}

/** The first row of a query, or undefined. */
export function firstSync<O>(c: Connection, q: Compilable<O>): O | undefined {
  const { stmt, params } = statement(c, q);
  return stmt.get(...params) as O | undefined;
}

/** Runs an INSERT, UPDATE or DELETE; `id` is the row id it inserted last. */
export function runSync(c: Connection, q: Compilable<unknown>): { id: number; changes: number } {
  const { stmt, params } = statement(c, q);
  const r = stmt.run(...params);
  return { id: Number(r.lastInsertRowid), changes: r.changes };
}
