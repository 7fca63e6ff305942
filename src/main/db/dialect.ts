import { FunctionNode, sql, ValueNode, type Expression, type OperationNode, type RawBuilder, type SqlBool } from 'kysely';

/**
 * What SQLite and PostgreSQL say differently, as typed Kysely expressions: features use these instead of writing
 * the functions themselves. Each builds a neutral node (a function call with a reserved name, `lk$…`) that the
 * query compiler of the database at hand renders in its own SQL (src/main/db/dialectSql.ts): the same feature code
 * runs on the embedded store and on the branch server.
 */

/** The reserved prefix of the neutral functions; no real SQL function starts with it. */
export const DIALECT_PREFIX = 'lk$';

export type DialectFunction = 'businessDay' | 'plusDays' | 'daysBetween' | 'idList' | 'jsonNumber' | 'containsText' | 'borrowerText' | 'true' | 'false' | 'maskedIdNumber';

type Operand<T> = Expression<T> | T;

const isExpression = (v: unknown): v is Expression<unknown> => typeof v === 'object' && v !== null && 'toOperationNode' in v;
const node = (v: unknown): OperationNode => (isExpression(v) ? v.toOperationNode() : ValueNode.create(v));

/** A neutral call: expressions are rendered in place, plain values are what the renderer reads to write its SQL. */
function neutral<T>(name: DialectFunction, args: readonly unknown[]): RawBuilder<T> {
  const call = FunctionNode.create(`${DIALECT_PREFIX}${name}`, args.map(node));
  return sql<T>`${{ toOperationNode: () => call }}`;
}

/** The business day (Beijing, `YYYY-MM-DD`) of a stored UTC timestamp (ISO text). */
export function businessDayOf(ts: Expression<string | null>): RawBuilder<string> {
  return neutral('businessDay', [ts]);
}

/** A `YYYY-MM-DD` date `days` days later (earlier when negative). */
export function plusDays(date: Expression<string | null>, days: number): RawBuilder<string> {
  if (!Number.isSafeInteger(days)) throw new RangeError(`plusDays: ${days} is not a whole number of days`);
  return neutral('plusDays', [date, days]);
}

/** The days from `earlier` to `later` (dates or timestamps), fractional. */
export function daysBetween(later: Operand<string>, earlier: Operand<string>): RawBuilder<number> {
  return neutral('daysBetween', [later, earlier]);
}

/** A list of integer ids as one bound parameter, to compare with `in` (any length, one statement text). */
export function idList(ids: readonly number[]): RawBuilder<number> {
  if (!ids.every((id) => Number.isSafeInteger(id))) throw new RangeError('idList: ids must be whole numbers');
  return neutral('idList', [[...ids]]);
}

/** The number stored under `key` of a JSON text column (null when absent). */
export function jsonNumber(json: Expression<string | null>, key: string): RawBuilder<number | null> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new RangeError(`jsonNumber: ${key} is not a plain key`);
  return neutral('jsonNumber', [json, key]);
}

/** Whether a text column contains `text` anywhere, case-insensitive for ASCII, the wildcards typed taken literally. */
export function containsText(col: Expression<string | null>, text: string): RawBuilder<SqlBool> {
  return neutral('containsText', [col, text]);
}

/**
 * Borrowers whose name (or, unless `nameOnly`, name, ID number or phone) contains the text: SQLite asks its trigram
 * full-text index (FTS5 `borrowers_fts`) when the text is long enough for it, PostgreSQL its trigram indexes; a text
 * that can only be pinyin also matches the stored reading anywhere or the initials from the start.
 */
export function borrowerTextMatch(b: { id: Expression<number>; name: Expression<string>; idNumber: Expression<string>; phone: Expression<string>; pinyin: Expression<string>; initials: Expression<string> }, text: string, pinyinText: string | null, nameOnly: boolean): RawBuilder<SqlBool> {
  const byPinyin = pinyinText ? sql<SqlBool>`(${b.pinyin} LIKE ${`%${pinyinText}%`} OR ${b.initials} LIKE ${`${pinyinText}%`})` : neutral<SqlBool>('false', []);
  return sql<SqlBool>`(${neutral('borrowerText', [b.id, b.name, b.idNumber, b.phone, text, nameOnly])} OR ${byPinyin})`;
}

/** A condition that always holds. */
export function always(): RawBuilder<SqlBool> {
  return neutral('true', []);
}

/** An ID number as shown to someone who may not see it: the first 6 and the last 4 characters, 8 stars between. */
export function maskedIdNumber(col: Expression<string>): RawBuilder<string> {
  return neutral('maskedIdNumber', [col]);
}

/**
 * How many of the rows counted meet `cond`, as an aggregate (null over no rows, like sum). Standard SQL: SQLite
 * could sum the condition itself, PostgreSQL has no sum of booleans.
 */
export function countWhere(cond: Expression<SqlBool>): RawBuilder<number> {
  return sql<number>`sum(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
}
