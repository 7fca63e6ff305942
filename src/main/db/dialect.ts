import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { CHINA_UTC_OFFSET_MINUTES } from '../../shared/domain/dates';
import { containing } from './like';

/**
 * SQL that only SQLite speaks, as typed Kysely expressions: features use these instead of writing the functions
 * themselves, so a PostgreSQL dialect replaces this module and not the features.
 */

type Operand<T> = Expression<T> | T;

const operand = <T>(v: Operand<T>) => (typeof v === 'object' && v !== null && 'toOperationNode' in v ? (v as Expression<T>) : sql.val(v));

/** The business day (Beijing, `YYYY-MM-DD`) of a stored UTC timestamp (ISO text). */
export function businessDayOf(ts: Expression<string | null>): RawBuilder<string> {
  return sql<string>`date(${ts}, ${`+${CHINA_UTC_OFFSET_MINUTES} minutes`})`;
}

/** A `YYYY-MM-DD` date `days` days later (earlier when negative). */
export function plusDays(date: Expression<string | null>, days: number): RawBuilder<string> {
  return sql<string>`date(${date}, ${`${days < 0 ? '-' : '+'}${Math.abs(days)} days`})`;
}

/** The days from `earlier` to `later` (dates or timestamps), fractional. */
export function daysBetween(later: Operand<string>, earlier: Operand<string>): RawBuilder<number> {
  return sql<number>`julianday(${operand(later)}) - julianday(${operand(earlier)})`;
}

/** A list of integer ids as one bound parameter, to compare with `in` (any length, one statement text). */
export function idList(ids: readonly number[]): RawBuilder<number> {
  return sql<number>`(SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

/** The number stored under `key` of a JSON text column (null when absent). */
export function jsonNumber(json: Expression<string | null>, key: string): RawBuilder<number | null> {
  return sql<number | null>`json_extract(${json}, ${`$.${key}`})`;
}

/** Whether a text column contains `text` anywhere: SQLite's LIKE (case-insensitive for ASCII), the wildcards typed taken literally. */
export function containsText(col: Expression<string | null>, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${col} LIKE ${containing(text)} ESCAPE '\\'`;
}
