import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError } from '../../../shared/ipc/errors';
import type { MoveProgress, MoveReport } from '../../../shared/ipc/backups';
import type { Role } from '../../../shared/permissions';
import { openKeyHistory, sealKeyHistory, walkChainOf } from '../../db/auditLog';
import { KEY_HISTORY } from '../../db/auditChain';
import { readBranchKeyring, writeBranchKeyring } from '../../db/branchKeyring';
import { fileKey, FileStoreError, openSealed, readEncryptedFile, sealBytes } from '../../db/fileStore';
import { keyMatches, unwrapKey, type Keyring } from '../../db/keyring';
import { openPostgres, type PostgresTarget } from '../../db/pg/connect';
import { statusOf } from '../../domain/loanStatus';
import { recordAudit } from '../../kernel/audit';
import { requirePermission, type LoanRow } from '../../kernel/authz';
import { openBranchStore } from '../../kernel/branchStore';
import { type AppContext, today } from '../../kernel/context';
import { requireLocalStore, type BranchStore, type LocalStore } from '../../kernel/store';
import { assertNotLockedOut, loadKeyring, recordFailure } from '../keys/keys';
import { joinBranch, withPassword } from '../session/branch';

/**
 * Moves a single-PC store onto an empty branch database in one server transaction: every table in foreign-key
 * order with its ids (the identity sequences set past them), the documents and imported files re-sealed for the
 * server (each checked against its recorded SHA-256 on the way), the audit log verbatim in id order (the data key
 * stays the same, so its HMACs stay valid), and the branch keyring built from this PC's keyring. Then everything is
 * read back and compared. The single-PC store is only read: nothing is written to its folder.
 */

type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;

/** Tables whose rows carry document bytes: files on one PC, sealed bytes in the row on the server. */
const FILE_TABLES = new Set(['documents', 'imported_files']);
/** Written by this move on the server besides the copied rows: the branch keyring, and its own audit entry. */
const ADDED_ON_SERVER: Record<string, number> = { settings: 1, audit_log: 1 };
const sealLabel = (sha256: string) => `document:${sha256}`;
/** A row as text with its columns in name order (the two catalogues may list them in another order). */
const canonical = (r: object) => JSON.stringify(r, Object.keys(r).sort());
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface ServerTable {
  name: string;
  columns: string[];
  identity: string[];
  primaryKey: string[];
}

/** The server's tables, parents before children (foreign keys), with their columns as the server has them. */
async function serverTables(db: AnyDb, localNames: Set<string>): Promise<ServerTable[]> {
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely%'`.execute(db);
  const columns = await sql<{ t: string; c: string; identity: string }>`SELECT table_name AS t, column_name AS c, is_identity AS identity FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(db);
  const keys = await sql<{ t: string; c: string }>`SELECT cl.relname AS t, a.attname AS c FROM pg_index i JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND cl.relnamespace = current_schema()::regnamespace ORDER BY cl.relname, a.attnum`.execute(db);
  const fks = await sql<{ child: string; parent: string }>`SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`.execute(db);
  const names = tables.rows.map((r) => r.name).filter((n) => localNames.has(n)).sort();
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const f of fks.rows) if (f.child !== f.parent && parents.has(f.child) && parents.has(f.parent)) parents.get(f.child)!.add(f.parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const next = names.filter((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p)));
    if (next.length === 0) throw new Error(`foreign keys in a cycle: ${names.filter((n) => !placed.has(n)).join(', ')}`);
    for (const n of next) {
      ordered.push(n);
      placed.add(n);
    }
  }
  return ordered.map((name) => {
    const cols = columns.rows.filter((c) => c.t === name);
    return {
      name,
      columns: cols.map((c) => c.c),
      identity: cols.filter((c) => c.identity === 'YES').map((c) => c.c),
      primaryKey: keys.rows.filter((k) => k.t === name).map((k) => k.c),
    };
  });
}

async function localTableNames(db: AnyDb): Promise<Set<string>> {
  const r = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db);
  return new Set(r.rows.map((x) => x.name));
}

async function countOf(db: AnyDb, table: string): Promise<number> {
  const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A table's rows from the single-PC store in pages, in a stable order (primary key, else every column). */
async function* localRows(db: AnyDb, t: ServerTable, page: number): AsyncGenerator<Row[]> {
  const order = t.primaryKey.length > 0 ? t.primaryKey : t.columns;
  for (let offset = 0; ; offset += page) {
    let q = db.selectFrom(t.name).select(t.columns);
    for (const c of order) q = q.orderBy(c);
    const rows = (await q.limit(page).offset(offset).execute()) as Row[];
    if (rows.length > 0) yield rows;
    if (rows.length < page) return;
  }
}

/** A document's plain bytes on one PC (its encrypted file, or the BLOB of an older row); null when destroyed. */
function plainBytes(ctx: AppContext, store: LocalStore, r: Row): Buffer | null {
  const name = String(r.file_name ?? r.path);
  const ref = r.file_ref as string | null;
  const content = Buffer.from((r.content as Uint8Array | null) ?? Buffer.alloc(0));
  if (!ref && content.length === 0) return null;
  let bytes: Buffer;
  try {
    bytes = ref ? Buffer.concat([...readEncryptedFile(store.files.dir, store.files.key, ref)]) : content;
  } catch (e) {
    if (e instanceof FileStoreError) throw new AppError('IO', ctx.t(e.kind === 'missing' ? 'errors.documentFileMissing' : 'errors.documentFileDamaged', { name, file: e.ref }));
    throw e;
  }
  if (sha(bytes) !== r.sha256) throw new AppError('IO', ctx.t('move.errors.documentHash', { name }));
  return bytes;
}

/** The single-PC store's keyring as the branch's: the same wraps and recovery wrap, set up, no failed sign-ins. */
export function branchKeyringOf(keyring: Keyring): Keyring {
  return { ...keyring, users: { ...keyring.users }, disabled: [...keyring.disabled], setupConfirmed: true, attempts: {}, auditHead: null };
}

const progressOf = new WeakMap<AppContext, MoveProgress>();

/** The move under way (or last finished) in this app, for the page's progress. */
export function moveProgress(ctx: AppContext): MoveProgress | null {
  return progressOf.get(ctx) ?? null;
}

export interface MoveInput {
  /** The single-PC store, open with its data key. */
  store: LocalStore;
  keyring: Keyring;
  /** The administrator who moves it (the audit entry's actor). */
  actor: string;
  target: PostgresTarget;
  onProgress?: (p: MoveProgress) => void;
}

/** The administrator named may move the store: enabled and holding the admin role in it. */
export async function assertAdminIn(ctx: AppContext, store: LocalStore, username: string): Promise<void> {
  const u = await store.db.selectFrom('users').select(['roles', 'disabled']).where('username', '=', username).executeTakeFirst();
  if (!u || u.disabled || !(JSON.parse(u.roles) as Role[]).includes('admin')) throw new AppError('FORBIDDEN', ctx.t('move.errors.notAdmin', { user: username }));
}

export async function moveToServer(ctx: AppContext, input: MoveInput): Promise<MoveReport> {
  const { store: local, keyring } = input;
  const progress: MoveProgress = { phase: 'connect', table: null, tablesDone: 0, tables: 0, rows: 0, documents: 0, finished: false, error: null };
  const tell = () => {
    progressOf.set(ctx, { ...progress });
    input.onProgress?.({ ...progress });
  };
  tell();
  let server: BranchStore;
  try {
    server = await openBranchStore(input.target, local.dataKey);
  } catch (e) {
    progress.finished = true;
    progress.error = (e as Error).message;
    tell();
    if (e instanceof AppError) throw e;
    throw new AppError('IO', ctx.t('errors.serverUnreachable', { detail: (e as Error).message }));
  }
  try {
    const report = await copyAndVerify(ctx, input, local, keyring, server, progress, tell);
    progress.phase = 'done';
    progress.finished = true;
    tell();
    return report;
  } catch (e) {
    progress.finished = true;
    progress.error = (e as Error).message;
    tell();
    throw e;
  } finally {
    server.close();
  }
}

async function copyAndVerify(ctx: AppContext, input: MoveInput, local: LocalStore, keyring: Keyring, server: BranchStore, progress: MoveProgress, tell: () => void): Promise<MoveReport> {
  const ldb = local.db as AnyDb;
  const sdb = server.db as AnyDb;
  const tables = await serverTables(sdb, await localTableNames(ldb));
  progress.tables = tables.length;
  progress.phase = 'tables';
  tell();
  const localHead = await walkChainOf(local.db, local.auditKey);
  if (localHead.problem) throw new AppError('IO', ctx.t('move.errors.localChain', { id: localHead.brokenAt ?? '-' }));
  const sealKey = fileKey(local.dataKey);
  const stamp = ctx.nowIso();
  try {
    await server.db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Transaction<any>;
      // Refused unless empty: no branch, no users, no rows but the seeded audit scheme (checked under the writer lock).
      if ((await readBranchKeyring(trx)).kind !== 'missing') throw new AppError('CONFLICT', ctx.t('move.errors.notEmpty'));
      for (const t of tables) {
        if (t.name !== 'audit_scheme' && (await countOf(tx, t.name)) > 0) throw new AppError('CONFLICT', ctx.t('move.errors.notEmpty'));
      }
      for (const t of tables) {
        progress.table = t.name;
        tell();
        if (t.name === 'audit_scheme') {
          await copyScheme(ldb, tx);
        } else {
          const page = FILE_TABLES.has(t.name) ? 20 : Math.max(1, Math.floor(20_000 / t.columns.length));
          for await (const rows of localRows(ldb, t, page)) {
            const values = FILE_TABLES.has(t.name)
              ? rows.map((r) => {
                  const bytes = plainBytes(ctx, local, r);
                  progress.documents += 1;
                  return { ...r, file_ref: null, content: bytes ? sealBytes(sealKey, bytes, sealLabel(String(r.sha256))) : Buffer.alloc(0) };
                })
              : t.name === 'settings'
                ? rows.map((r) => (r.key === KEY_HISTORY ? { ...r, value: sealedHistory(ctx, server, String(r.value)) } : r))
                : rows;
            await tx.insertInto(t.name).values(values).execute();
            progress.rows += rows.length;
            tell();
          }
        }
        for (const c of t.identity) {
          await sql`SELECT setval(pg_get_serial_sequence(${t.name}, ${c}), max_id) FROM (SELECT max(${sql.ref(c)}) AS max_id FROM ${sql.table(t.name)}) m WHERE max_id IS NOT NULL`.execute(tx);
        }
        progress.tablesDone += 1;
        tell();
      }
      await writeBranchKeyring(trx, branchKeyringOf(keyring));
      await recordAudit(trx, stamp, {
        actor: input.actor,
        action: 'maintenance.moveToServer',
        entity: 'institution',
        entityId: keyring.institution,
        detail: { server: server.server, tables: tables.length, rows: progress.rows, documents: progress.documents, localHead: localHead.head },
      });
    });
  } finally {
    sealKey.fill(0);
  }
  // Statistics and visibility for the copied tables now, not when autovacuum comes round to them mid-morning:
  // the first day's batch and pages are planned on what is there. Not in a transaction (VACUUM cannot be); a
  // server that refuses it (not the tables' owner) only leaves it to autovacuum.
  await sql`VACUUM (ANALYZE)`.execute(server.db).catch(() => undefined);
  progress.phase = 'verify';
  progress.table = null;
  tell();
  return verifyMove(ctx, local, server, localHead.head);
}

/**
 * The data keys this store retired in its rotations, as the server keeps them: sealed under the chain key
 * (db/auditLog.ts), never in clear in a database we do not encrypt.
 */
function sealedHistory(ctx: AppContext, server: BranchStore, value: string): string {
  const history = openKeyHistory(server.auditKey, value);
  if (!history) throw new AppError('IO', ctx.t('move.errors.localChain', { id: '-' }));
  return sealKeyHistory(server.auditKey, history);
}

/**
 * The server was set up with its own `audit_scheme` row (no legacy entries). A single-PC store whose chain began
 * before the keyed scheme has another: the seeded row is replaced by this store's, its triggers set aside for that
 * within this transaction (the table's owner may; the chain is walked on the server afterwards).
 */
async function copyScheme(ldb: AnyDb, tx: Transaction<any>): Promise<void> {
  const mine = (await ldb.selectFrom('audit_scheme').selectAll().execute()) as Row[];
  const theirs = (await tx.selectFrom('audit_scheme').selectAll().execute()) as Row[];
  const same = mine.length === theirs.length && mine.every((r, i) => Object.keys(r).every((k) => Number(r[k]) === Number(theirs[i][k])));
  if (same) return;
  await sql`ALTER TABLE audit_scheme DISABLE TRIGGER USER`.execute(tx);
  await sql`DELETE FROM audit_scheme`.execute(tx);
  if (mine.length > 0) await tx.insertInto('audit_scheme').values(mine).execute();
  await sql`ALTER TABLE audit_scheme ENABLE TRIGGER USER`.execute(tx);
}

/** Reads both stores back: counts per table, every loan's computed ledger, every document's bytes, the chain. */
export async function verifyMove(ctx: AppContext, local: LocalStore, server: BranchStore, localHead: { count: number; id: number; hash: string } | null): Promise<MoveReport> {
  const ldb = local.db as AnyDb;
  const sdb = server.db as AnyDb;
  const tables = await serverTables(sdb, await localTableNames(ldb));
  const differences: string[] = [];
  const counts: MoveReport['tables'] = [];
  for (const t of tables) {
    const l = await countOf(ldb, t.name);
    const s = await countOf(sdb, t.name);
    counts.push({ table: t.name, local: l, server: s });
    if (s !== l + (ADDED_ON_SERVER[t.name] ?? 0)) differences.push(ctx.t('move.diff.count', { table: t.name, local: l, server: s }));
  }
  // Every loan's ledger as computed from each store: schedule, repayments, allocations, overdue, class.
  const asOf = today(ctx);
  const loans = (await local.db.selectFrom('loans').selectAll().orderBy('id').execute()) as unknown as LoanRow[];
  for (const loan of loans) {
    const there = (await server.db.selectFrom('loans').selectAll().where('id', '=', loan.id).executeTakeFirst()) as unknown as LoanRow | undefined;
    const same = there && canonical(there) === canonical(loan) && JSON.stringify(await statusOf(server.db, there, asOf)) === JSON.stringify(await statusOf(local.db, loan, asOf));
    if (!same) differences.push(ctx.t('move.diff.ledger', { contractNo: loan.contract_no }));
  }
  // Every document's bytes on the server open with the key and hash to the SHA-256 recorded on this PC.
  let documents = 0;
  const key = fileKey(server.dataKey);
  try {
    for (const table of FILE_TABLES) {
      const keyCols = table === 'documents' ? ['id'] : ['archive_id', 'path'];
      const mine = (await ldb.selectFrom(table).select([...keyCols, 'sha256', 'file_ref', sql<number>`length(content)`.as('n')]).execute()) as Row[];
      for (const r of mine) {
        const id = keyCols.map((c) => String(r[c])).join('/');
        let q = sdb.selectFrom(table).select(['sha256', 'content']);
        for (const c of keyCols) q = q.where(c, '=', r[c]);
        const s = (await q.executeTakeFirst()) as { sha256: string; content: Buffer } | undefined;
        const held = !!r.file_ref || Number(r.n) > 0;
        if (!s || s.sha256 !== r.sha256 || (held ? s.content.length === 0 : s.content.length > 0)) {
          differences.push(ctx.t('move.diff.document', { id }));
          continue;
        }
        if (!held) continue;
        try {
          const h = createHash('sha256');
          for (const chunk of openSealed(key, Buffer.from(s.content), sealLabel(s.sha256))) h.update(chunk);
          if (h.digest('hex') !== r.sha256) differences.push(ctx.t('move.diff.document', { id }));
          else documents++;
        } catch {
          differences.push(ctx.t('move.diff.document', { id }));
        }
      }
    }
  } finally {
    key.fill(0);
  }
  // The chain on the server verifies with the key; the single-PC head is on it, and the move's entry follows.
  const walk = await walkChainOf(server.db, server.auditKey);
  if (walk.problem) differences.push(ctx.t('move.diff.chain', { id: walk.brokenAt ?? '-' }));
  else {
    const at = localHead ? await server.db.selectFrom('audit_log').select(['hash']).where('id', '=', localHead.id).executeTakeFirst() : null;
    const last = await server.db.selectFrom('audit_log').select(['prev_hash', 'action']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const headOk = (localHead ? at?.hash === localHead.hash && last?.prev_hash === localHead.hash : true) && walk.count === (localHead?.count ?? 0) + 1 && last?.action === 'maintenance.moveToServer';
    if (!headOk) differences.push(ctx.t('move.diff.head', { count: localHead?.count ?? 0, hash: localHead?.hash ?? '-' }));
  }
  return { ok: differences.length === 0, server: server.server, tables: counts, loans: loans.length, documents, auditEntries: walk.count, auditHead: walk.head?.hash ?? null, differences };
}

/** Every document and imported file on the server: its sealed bytes open with the key and hash to its SHA-256. */
export async function checkSealedDocuments(server: BranchStore): Promise<{ checked: number; bad: string[] }> {
  const sdb = server.db as AnyDb;
  const key = fileKey(server.dataKey);
  const bad: string[] = [];
  let checked = 0;
  try {
    for (const table of FILE_TABLES) {
      const keyCols = table === 'documents' ? ['id'] : ['archive_id', 'path'];
      const ids = (await sdb.selectFrom(table).select(keyCols).orderBy(keyCols[0]).execute()) as Row[];
      for (const r of ids) {
        let q = sdb.selectFrom(table).select(['sha256', 'content']);
        for (const c of keyCols) q = q.where(c, '=', r[c]);
        const s = (await q.executeTakeFirstOrThrow()) as { sha256: string; content: Buffer };
        if (s.content.length === 0) continue; // destroyed under a destruction list
        checked++;
        try {
          const h = createHash('sha256');
          for (const chunk of openSealed(key, Buffer.from(s.content), sealLabel(s.sha256))) h.update(chunk);
          if (h.digest('hex') !== s.sha256) bad.push(keyCols.map((c) => String(r[c])).join('/'));
        } catch {
          bad.push(keyCols.map((c) => String(r[c])).join('/'));
        }
      }
    }
  } finally {
    key.fill(0);
  }
  return { checked, bad };
}

/**
 * The data key for a move, from the data folder's keyring with the administrator's password. A wrong password
 * counts towards the lockout as everywhere; a right one does not clear earlier failures, so that a successful move
 * writes nothing at all into the folder.
 */
export function unwrapForMove(ctx: AppContext, dir: string, username: string, password: string): Buffer {
  const keyring = loadKeyring(ctx, dir);
  assertNotLockedOut(ctx, keyring, username);
  const wrap = keyring.users[username];
  const key = wrap ? unwrapKey(wrap, password) : null;
  if (!key) {
    const e = recordFailure(ctx, dir, keyring, username);
    throw new AppError(e.code, e.message, [{ path: 'password', message: e.message }]);
  }
  return key;
}

// ---------- from the app ----------

const moving = new WeakSet<AppContext>();

function targetOf(ctx: AppContext, input: { url: string; dbPassword: string; ca: string | null }): PostgresTarget {
  return { url: withPassword(input.url, input.dbPassword), ca: input.ca ?? undefined, locale: ctx.config.locale };
}

/** The signed-in administrator moves this PC's store; their password is asked again, as for a restore. */
export async function moveFromApp(ctx: AppContext, input: { url: string; dbPassword: string; ca: string | null; password: string }): Promise<MoveReport> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireLocalStore(ctx);
  unwrapForMove(ctx, store.dir, s.username, input.password).fill(0);
  await assertAdminIn(ctx, store, s.username);
  if (moving.has(ctx)) throw new AppError('CONFLICT', ctx.t('move.errors.running'));
  moving.add(ctx);
  try {
    return await moveToServer(ctx, { store, keyring: loadKeyring(ctx, store.dir), actor: s.username, target: targetOf(ctx, input) });
  } finally {
    moving.delete(ctx);
  }
}

/**
 * After a move: this PC works on the server from now on, as a PC that joined the branch (config `server`, the
 * database password kept by the OS). Only onto the server this store was moved to (its key check matches).
 */
export async function switchToServer(ctx: AppContext, input: { url: string; dbPassword: string; ca: string | null }): Promise<{ ok: true }> {
  requirePermission(ctx, 'settings.manage');
  const store = requireLocalStore(ctx);
  const target = targetOf(ctx, input);
  const db = openPostgres({ ...target, max: 1 });
  let state;
  try {
    state = await readBranchKeyring(db).catch((e: Error) => {
      throw e instanceof AppError ? e : new AppError('IO', ctx.t('errors.serverUnreachable', { detail: e.message }));
    });
  } finally {
    await db.destroy();
  }
  if (state.kind !== 'ok' || !keyMatches(state.keyring, store.dataKey)) throw new AppError('CONFLICT', ctx.t('move.errors.notMovedThere'));
  await joinBranch(ctx, { url: input.url, password: input.dbPassword, ca: input.ca });
  return { ok: true };
}
