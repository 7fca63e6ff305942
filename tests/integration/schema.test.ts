import { readFileSync } from 'node:fs';
import { parse } from '@babel/parser';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';


/**
 * `src/main/db/schema.ts` (what Kysely is told, read as a syntax tree: TypeScript 7 has no JS compiler API, so @babel/parser) against the migrated database (what SQLite holds), table by table:
 * the same tables, the same columns, and a column typed with `null` exactly when SQLite lets it be NULL. A column
 * added to a migration and not to schema.ts, or the other way round, fails here.
 */

interface Column {
  name: string;
  nullable: boolean;
}

/** Tables of SQLite, Kysely and the full-text index that the application does not query through Kysely. */
const NOT_IN_SCHEMA = new Set(['sqlite_sequence', 'kysely_migration', 'kysely_migration_lock']);
const isFtsTable = (name: string) => name === 'borrowers_fts' || name.startsWith('borrowers_fts_');

/** A node of the syntax tree as @babel/parser gives it (with its TypeScript plugin). */
// oxlint-disable-next-line no-explicit-any
type Node = { type: string; [key: string]: any };

/** Reads `interface Database` and the table interfaces it names: column names and whether `null` is in the type. */
function schemaTs(): Map<string, Column[]> {
  const text = readFileSync(resolve('src/main/db/schema.ts'), 'utf8');
  const program = parse(text, { sourceType: 'module', plugins: ['typescript'] }).program as unknown as Node;
  const interfaces = new Map<string, Node>();
  const aliases = new Map<string, Node>();
  for (const stmt of program.body as Node[]) {
    const d = stmt.type === 'ExportNamedDeclaration' ? (stmt.declaration as Node | null) : stmt;
    if (d?.type === 'TSInterfaceDeclaration') interfaces.set(d.id.name, d);
    if (d?.type === 'TSTypeAliasDeclaration') aliases.set(d.id.name, d.typeAnnotation);
  }
  // Whether a column's type admits null: `T | null`, `Generated<T | null>`, or an alias of such.
  const admitsNull = (t: Node): boolean => {
    if (t.type === 'TSNullKeyword') return true;
    if (t.type === 'TSUnionType') return (t.types as Node[]).some(admitsNull);
    if (t.type === 'TSParenthesizedType') return admitsNull(t.typeAnnotation);
    if (t.type === 'TSTypeReference') {
      const name = t.typeName.name as string;
      const args = (t.typeParameters ?? t.typeArguments)?.params as Node[] | undefined;
      if (name === 'Generated' || name === 'ColumnType') return admitsNull(args![0]);
      const alias = aliases.get(name);
      return alias ? admitsNull(alias) : false;
    }
    return false;
  };
  const columnsOf = (name: string): Column[] => {
    const decl = interfaces.get(name);
    if (!decl) throw new Error(`schema.ts: no interface ${name}`);
    const inherited = ((decl.extends ?? []) as Node[]).flatMap((h) => columnsOf(h.expression.name));
    const own = (decl.body.body as Node[]).filter((m) => m.type === 'TSPropertySignature').map((m) => ({ name: m.key.name as string, nullable: admitsNull(m.typeAnnotation.typeAnnotation) }));
    return [...inherited, ...own];
  };
  const db = interfaces.get('Database')!;
  return new Map((db.body.body as Node[]).map((m) => [m.key.name as string, columnsOf(m.typeAnnotation.typeAnnotation.typeName.name)]));
}

let env: TestEnv;
beforeAll(async () => {
  env = newEnv();
  await setUp(env);
}, 120_000);
afterAll(() => env.cleanup());

describe('schema.ts matches the migrated database', () => {
  it('the same tables and views, the same columns, null where SQLite allows it', () => {
    const sqlite = localStoreOf(env.ctx).sqlite;
    const objects = sqlite.prepare(`SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name`).all() as { name: string; type: string }[];
    const inDb = objects.filter((o) => !NOT_IN_SCHEMA.has(o.name) && !isFtsTable(o.name));
    const declared = schemaTs();
    expect([...declared.keys()].sort()).toEqual(inDb.map((o) => o.name));
    for (const { name, type } of inDb) {
      const info = sqlite.prepare(`SELECT name, "notnull" AS nn, pk FROM pragma_table_info(?) ORDER BY cid`).all(name) as { name: string; nn: number; pk: number }[];
      const fromDb = info.map((c) => ({ name: c.name, nullable: type === 'view' ? null : c.nn === 0 && c.pk === 0 }));
      const fromTs = declared.get(name)!.map((c) => ({ name: c.name, nullable: type === 'view' ? null : c.nullable }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(fromTs.sort(byName), `table ${name}`).toEqual(fromDb.sort(byName));
    }
  });
});
