import { PostgresDialect, PostgresQueryCompiler, SqliteQueryCompiler, ValueNode, type FunctionNode, type OperationNode, type QueryCompiler } from 'kysely';
import { CHINA_UTC_OFFSET_MINUTES } from '../../shared/domain/dates';
import { DIALECT_PREFIX, type DialectFunction } from './dialect';
import { containing } from './like';

/**
 * The SQL of the neutral functions of ./dialect.ts, per database. Each query compiler below renders a call named
 * `lk$…` with its database's renderer; the arguments that are expressions go through the compiler (their parameters
 * stay bound), the plain values are bound as parameters too. A reserved name without a renderer throws.
 *
 * Both stores keep instants as ISO-8601 UTC text (`…Z`) and dates as `YYYY-MM-DD` text. PostgreSQL reads them as
 * `timestamp` (without time zone: the `Z` is ignored, the reading stays UTC whatever the session's TimeZone) and
 * writes dates back with to_char, whatever the DateStyle.
 */

interface SqlWriter {
  /** SQL text as is. */
  text(s: string): void;
  /** An argument, rendered by the compiler. */
  node(n: OperationNode): void;
  /** A bound parameter. */
  param(v: unknown): void;
}

type Renderer = (w: SqlWriter, args: readonly OperationNode[]) => void;

/** The value of a plain argument. */
function valueOf<T>(n: OperationNode | undefined): T {
  if (!n || !ValueNode.is(n)) throw new Error('dialect: a plain value was expected');
  return n.value as T;
}

/** Free text as trigram search terms: the characters FTS5 queries reserve dropped, words of 3+ characters; null when too short for the index. */
function trigramTerms(q: string): string[] | null {
  const clean = q.replace(/["*^():]/g, ' ').trim();
  if ([...clean].length < 3) return null;
  const terms = clean.split(/\s+/).filter((t) => [...t].length >= 3);
  return terms.length > 0 ? terms : null;
}

/** Renders `a OR b OR …` (or AND), each part by `each`. */
function joined<T>(w: SqlWriter, items: readonly T[], op: ' OR ' | ' AND ', each: (item: T) => void): void {
  items.forEach((item, i) => {
    if (i > 0) w.text(op);
    each(item);
  });
}

const sqliteContains = (w: SqlWriter, col: OperationNode, text: string) => {
  w.node(col);
  w.text(' LIKE ');
  w.param(containing(text));
  w.text(` ESCAPE '\\'`);
};

export const SQLITE_SQL: Record<DialectFunction, Renderer> = {
  businessDay: (w, [ts]) => {
    w.text('date(');
    w.node(ts);
    w.text(', ');
    w.param(`+${CHINA_UTC_OFFSET_MINUTES} minutes`);
    w.text(')');
  },
  plusDays: (w, [date, days]) => {
    const n = valueOf<number>(days);
    w.text('date(');
    w.node(date);
    w.text(', ');
    w.param(`${n < 0 ? '-' : '+'}${Math.abs(n)} days`);
    w.text(')');
  },
  daysBetween: (w, [later, earlier]) => {
    w.text('julianday(');
    w.node(later);
    w.text(') - julianday(');
    w.node(earlier);
    w.text(')');
  },
  idList: (w, [ids]) => {
    w.text('(SELECT value FROM json_each(');
    w.param(JSON.stringify(valueOf<number[]>(ids)));
    w.text('))');
  },
  jsonNumber: (w, [json, key]) => {
    w.text('json_extract(');
    w.node(json);
    w.text(', ');
    w.param(`$.${valueOf<string>(key)}`);
    w.text(')');
  },
  containsText: (w, [col, text]) => sqliteContains(w, col, valueOf<string>(text)),
  // The trigram full-text index (FTS5 `borrowers_fts`: name, id_number, phone) when the text is long enough for it, quoted terms ANDed.
  borrowerText: (w, [id, name, idNumber, phone, textNode, nameOnlyNode]) => {
    const text = valueOf<string>(textNode);
    const nameOnly = valueOf<boolean>(nameOnlyNode);
    const terms = trigramTerms(text);
    if (terms) {
      const fts = terms.map((t) => `"${t}"`).join(' AND ');
      w.node(id);
      w.text(' IN (SELECT rowid FROM borrowers_fts WHERE borrowers_fts MATCH ');
      w.param(nameOnly ? `name : (${fts})` : fts);
      w.text(')');
      return;
    }
    joined(w, nameOnly ? [name] : [name, idNumber, phone], ' OR ', (col) => sqliteContains(w, col, text));
  },
  // SQLite has no boolean literals of its own.
  true: (w) => w.text('1'),
  false: (w) => w.text('0'),
  maskedIdNumber: (w, [col]) => {
    w.text('substr(');
    w.node(col);
    w.text(", 1, 6) || '********' || substr(");
    w.node(col);
    w.text(', -4)');
  },
};

const pgContains = (w: SqlWriter, col: OperationNode, text: string) => {
  w.node(col);
  w.text(' ILIKE ');
  w.param(containing(text));
  w.text(` ESCAPE '\\'`);
};

const pgTimestamp = (w: SqlWriter, n: OperationNode) => {
  w.text('CAST(');
  w.node(n);
  w.text(' AS timestamp)');
};

export const POSTGRES_SQL: Record<DialectFunction, Renderer> = {
  businessDay: (w, [ts]) => {
    w.text('to_char(');
    pgTimestamp(w, ts);
    w.text(` + interval '${CHINA_UTC_OFFSET_MINUTES} minutes', 'YYYY-MM-DD')`);
  },
  plusDays: (w, [date, days]) => {
    w.text('to_char(');
    pgTimestamp(w, date);
    w.text(' + make_interval(days => CAST(');
    w.param(valueOf<number>(days));
    w.text(" AS integer)), 'YYYY-MM-DD')");
  },
  // float8, as SQLite's julianday difference (a numeric with a fraction could not be read back exactly).
  daysBetween: (w, [later, earlier]) => {
    w.text('(CAST(EXTRACT(EPOCH FROM (');
    pgTimestamp(w, later);
    w.text(' - ');
    pgTimestamp(w, earlier);
    w.text(')) AS float8) / 86400)');
  },
  idList: (w, [ids]) => {
    w.text('(SELECT unnest(CAST(');
    w.param(valueOf<number[]>(ids));
    w.text(' AS bigint[])))');
  },
  // Null when absent or not a number, as a float8 (SQLite's json_extract gives an integer or a real).
  jsonNumber: (w, [json, keyNode]) => {
    const key = valueOf<string>(keyNode);
    w.text('(CASE WHEN jsonb_typeof(CAST(');
    w.node(json);
    w.text(' AS jsonb) -> CAST(');
    w.param(key);
    w.text(" AS text)) = 'number' THEN CAST(CAST(");
    w.node(json);
    w.text(' AS jsonb) ->> CAST(');
    w.param(key);
    w.text(' AS text) AS float8) END)');
  },
  containsText: (w, [col, text]) => pgContains(w, col, valueOf<string>(text)),
  // The pg_trgm GIN indexes serve ILIKE; the terms are those SQLite's FTS5 query would AND, each in any of the columns.
  borrowerText: (w, [, name, idNumber, phone, textNode, nameOnlyNode]) => {
    const text = valueOf<string>(textNode);
    const cols = valueOf<boolean>(nameOnlyNode) ? [name] : [name, idNumber, phone];
    const terms = trigramTerms(text) ?? [text];
    w.text('(');
    joined(w, terms, ' AND ', (term) => {
      w.text('(');
      joined(w, cols, ' OR ', (col) => pgContains(w, col, term));
      w.text(')');
    });
    w.text(')');
  },
  true: (w) => w.text('TRUE'),
  false: (w) => w.text('FALSE'),
  // pg's substr with a negative start counts from before the first character, not from the end.
  maskedIdNumber: (w, [col]) => {
    w.text('substr(');
    w.node(col);
    w.text(", 1, 6) || '********' || right(");
    w.node(col);
    w.text(', 4)');
  },
};

/** Renders a neutral call with `renderers`; false when the function is not one (the compiler renders it itself). */
function renderNeutral(renderers: Record<DialectFunction, Renderer>, node: FunctionNode, w: SqlWriter): boolean {
  if (!node.func.startsWith(DIALECT_PREFIX)) return false;
  const name = node.func.slice(DIALECT_PREFIX.length);
  if (!Object.hasOwn(renderers, name)) throw new Error(`dialect: no SQL for ${node.func}`);
  renderers[name as DialectFunction](w, node.arguments);
  return true;
}

/** SQLite's compiler with the neutral functions in SQLite's SQL. */
export class LoanKeeperSqliteCompiler extends SqliteQueryCompiler {
  private readonly writer: SqlWriter = { text: (s) => this.append(s), node: (n) => this.visitNode(n), param: (v) => this.appendValue(v) };

  protected override visitFunction(node: FunctionNode): void {
    if (!renderNeutral(SQLITE_SQL, node, this.writer)) super.visitFunction(node);
  }
}

/** PostgreSQL's compiler with the neutral functions in PostgreSQL's SQL. */
export class LoanKeeperPostgresCompiler extends PostgresQueryCompiler {
  private readonly writer: SqlWriter = { text: (s) => this.append(s), node: (n) => this.visitNode(n), param: (v) => this.appendValue(v) };

  protected override visitFunction(node: FunctionNode): void {
    if (!renderNeutral(POSTGRES_SQL, node, this.writer)) super.visitFunction(node);
  }
}

/** Kysely's PostgresDialect with the compiler above. */
export class LoanKeeperPostgresDialect extends PostgresDialect {
  override createQueryCompiler(): QueryCompiler {
    return new LoanKeeperPostgresCompiler();
  }
}
