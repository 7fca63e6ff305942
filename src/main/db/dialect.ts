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

/** Free text as an FTS5 trigram query (quoted terms of 3+ characters, ANDed); null when too short for the index. */
function ftsQuery(q: string): string | null {
  const clean = q.replace(/["*^():]/g, ' ').trim();
  if ([...clean].length < 3) return null;
  return clean
    .split(/\s+/)
    .filter((t) => [...t].length >= 3)
    .map((t) => `"${t}"`)
    .join(' AND ');
}

/**
 * Borrowers whose name (or, unless `nameOnly`, name, ID number or phone) contains the text: the trigram full-text
 * index (FTS5 `borrowers_fts`) when the text is long enough for it, else a plain contains-match; a text that can
 * only be pinyin also matches the stored reading anywhere or the initials from the start.
 */
export function borrowerTextMatch(b: { id: Expression<number>; name: Expression<string>; idNumber: Expression<string>; phone: Expression<string>; pinyin: Expression<string>; initials: Expression<string> }, text: string, pinyinText: string | null, nameOnly: boolean): RawBuilder<SqlBool> {
  const fts = ftsQuery(text);
  const byPinyin = pinyinText ? sql<SqlBool>`(${b.pinyin} LIKE ${`%${pinyinText}%`} OR ${b.initials} LIKE ${`${pinyinText}%`})` : sql<SqlBool>`0`;
  if (fts) return sql<SqlBool>`(${b.id} IN (SELECT rowid FROM borrowers_fts WHERE borrowers_fts MATCH ${nameOnly ? `name : (${fts})` : fts}) OR ${byPinyin})`;
  if (nameOnly) return sql<SqlBool>`(${containsText(b.name, text)} OR ${byPinyin})`;
  return sql<SqlBool>`(${containsText(b.name, text)} OR ${containsText(b.idNumber, text)} OR ${containsText(b.phone, text)} OR ${byPinyin})`;
}

/** A condition that always holds (SQLite has no boolean literal of its own: 1). */
export function always(): RawBuilder<SqlBool> {
  return sql<SqlBool>`1`;
}

/** An ID number as shown to someone who may not see it: the first 6 and the last 4 characters, 8 stars between. */
export function maskedIdNumber(col: Expression<string>): RawBuilder<string> {
  return sql<string>`substr(${col}, 1, 6) || '********' || substr(${col}, -4)`;
}
