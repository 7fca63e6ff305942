import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { driverOf, type Connection } from './open';

/**
 * The audit chain at the database level: the MAC key, the one statement that appends, and the walk that
 * verifies. Entries up to migration 0016 were hashed with plain SHA-256 ("legacy"); every entry after is an
 * HMAC under a key derived from the data key, so rewriting the chain needs the data key.
 */
export const GENESIS = '0'.repeat(64);
export const MAC_FUNCTION = 'lk_audit_mac';
export const SCHEME_SWITCH = 'audit.schemeSwitch';
/** The first entry under a new data key's chain key: it closes the previous key's stretch of the chain. */
export const KEY_ROTATION = 'keys.rotate';
/** The settings key that keeps the retired data keys inside the database (features/keys/rotation.ts). */
export const KEY_HISTORY = 'keys.history';

export interface RetiredKey {
  epoch: number;
  /** Hex. Kept so that entries and backups made under it still verify and open with the current key. */
  dataKey: string;
  keyCheck: string;
  retiredAt: string;
  rotationId: string;
}

export function readKeyHistory(conn: Connection): RetiredKey[] {
  const sqlite = driverOf(conn);
  try {
    const row = sqlite.prepare('SELECT value FROM settings WHERE key = ?').get(KEY_HISTORY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as RetiredKey[]) : [];
  } catch {
    return [];
  }
}

/** The chain key of every stretch of the chain, oldest first; the last one is the current data key's. */
export function epochKeys(conn: Connection, current: Buffer): Buffer[] {
  const sqlite = driverOf(conn);
  return [...readKeyHistory(sqlite).sort((a, b) => a.epoch - b.epoch).map((h) => auditKey(Buffer.from(h.dataKey, 'hex'))), current];
}

/** A key for the chain only, derived from the data key as the files' key is (db/fileStore.ts). */
export function auditKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'loankeeper audit chain v1', 32));
}

export interface ChainFields {
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  detail: string;
  prev_hash: string;
}

export interface ChainRow extends ChainFields {
  id: number;
  hash: string;
}

export function legacyHash(r: ChainFields): string {
  const fields = [r.prev_hash, r.at, r.actor, r.action, r.entity, r.entity_id, r.reason ?? '', r.detail];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export function entryMac(key: Buffer, r: ChainFields): string {
  const fields = ['entry', r.prev_hash, r.at, r.actor, r.action, r.entity, r.entity_id, r.reason, r.detail];
  return createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');
}

/**
 * The MAC as an SQL function of this connection only: the append below computes it in the same statement
 * that reads the head, and the key never leaves main's memory. `onAppend` tells the store a commit has news.
 */
export function registerAuditMac(conn: Connection, key: Buffer, onAppend: () => void): void {
  const sqlite = driverOf(conn);
  // Eight named parameters: better-sqlite3 takes the SQL function's arity from them.
  const mac = (prev_hash: unknown, at: unknown, actor: unknown, action: unknown, entity: unknown, entity_id: unknown, reason: unknown, detail: unknown) => {
    onAppend();
    return entryMac(key, { prev_hash, at, actor, action, entity, entity_id, reason, detail } as ChainFields);
  };
  sqlite.function(MAC_FUNCTION, mac);
}

/** Appends one entry after the current head. Parameters: at, actor, action, entity, entity_id, reason, detail. */
export const APPEND_SQL = `INSERT INTO audit_log (at, actor, action, entity, entity_id, reason, detail, prev_hash, hash)
  SELECT v.at, v.actor, v.action, v.entity, v.entity_id, v.reason, v.detail, h.prev,
         ${MAC_FUNCTION}(h.prev, v.at, v.actor, v.action, v.entity, v.entity_id, v.reason, v.detail)
  FROM (SELECT ? AS at, ? AS actor, ? AS action, ? AS entity, ? AS entity_id, ? AS reason, ? AS detail) v,
       (SELECT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '${GENESIS}') AS prev) h`;

export interface AuditInput {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  reason?: string | null;
  detail?: unknown;
}

/** The parameters of APPEND_SQL, in order. */
export function appendParams(at: string, input: AuditInput): (string | null)[] {
  return [at, input.actor, input.action, input.entity, input.entityId, input.reason ?? null, JSON.stringify(input.detail ?? {})];
}

/** Where the chain stands: how many entries, and the last one. */
export interface Head {
  count: number;
  id: number;
  hash: string;
}

/** A head as kept outside the database (keyring, backups); the MAC shows it was written by someone with the key. */
export interface SignedHead extends Head {
  mac: string;
}

function headMac(key: Buffer, h: Head): string {
  return createHmac('sha256', key).update(JSON.stringify(['head', h.count, h.id, h.hash])).digest('hex');
}

export function signHead(key: Buffer, h: Head): SignedHead {
  return { count: h.count, id: h.id, hash: h.hash, mac: headMac(key, h) };
}

export function headGenuine(key: Buffer, h: SignedHead): boolean {
  const a = Buffer.from(headMac(key, h), 'hex');
  const b = Buffer.from(typeof h.mac === 'string' ? h.mac : '', 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readTip(conn: Connection): { id: number; hash: string } | null {
  const sqlite = driverOf(conn);
  return (sqlite.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined) ?? null;
}

export function readHead(conn: Connection): Head | null {
  const sqlite = driverOf(conn);
  const tip = readTip(sqlite);
  if (!tip) return null;
  const { n } = sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
  return { count: n, ...tip };
}

export interface Scheme {
  legacyCount: number;
  legacyLastId: number;
}

/** What migration 0016 found: the legacy entries it left as they were. Null before that migration. */
export function readScheme(conn: Connection): Scheme | null {
  const sqlite = driverOf(conn);
  const has = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_scheme'`).get();
  if (!has) return null;
  const r = sqlite.prepare('SELECT legacy_count AS legacyCount, legacy_last_id AS legacyLastId FROM audit_scheme').get() as Scheme | undefined;
  return r ?? null;
}

/** One digest over every legacy entry (forks included), which the switch entry seals under the key. */
export function legacyDigest(conn: Connection, lastId: number): string {
  const sqlite = driverOf(conn);
  const h = createHash('sha256');
  for (const r of sqlite.prepare('SELECT id, hash FROM audit_log WHERE id <= ? ORDER BY id').iterate(lastId) as Iterable<{ id: number; hash: string }>) {
    h.update(`${r.id}:${r.hash}\n`);
  }
  return h.digest('hex');
}

export type ChainProblem = 'edited' | 'link' | 'legacy';

export interface ChainWalk {
  count: number;
  head: Head | null;
  problem: ChainProblem | null;
  brokenAt: number | null;
  /** Legacy entries that branch off an earlier one: two writers at once, which the old code allowed. */
  legacyForks: number;
}

/**
 * Walks the whole chain in id order. Legacy entries must hash right and link to an earlier entry (a fork is
 * counted, not failed); the switch entry must seal them; every later entry must link to the one before and
 * carry a valid HMAC. After a key rotation the chain is in stretches, one per data key (`epochKeys`): each
 * stretch after the first begins with a `keys.rotate` entry that verifies under the next key, and every
 * stretch must be there. The rows come from either store (`walkChain` here, `walkChainOf` over Kysely).
 */
export class ChainWalker {
  private epoch = 0;
  // Without migration 0016 (an old backup) every entry is legacy.
  private readonly legacyLastId: number;
  private readonly seen = new Set<string>();
  private readonly digest = createHash('sha256');
  private prev = GENESIS;
  private count = 0;
  private legacy = 0;
  legacyForks = 0;
  private last: ChainRow | null = null;

  constructor(
    private readonly keys: Buffer[],
    private readonly scheme: Scheme | null,
  ) {
    this.legacyLastId = scheme ? scheme.legacyLastId : Number.POSITIVE_INFINITY;
  }

  /** Takes the next row; returns the problem it shows, if any (the walk stops there). */
  feed(r: ChainRow): ChainProblem | null {
    const { scheme } = this;
    this.count++;
    if (r.id <= this.legacyLastId) {
      if (legacyHash(r) !== r.hash) return 'edited';
      if (r.prev_hash !== this.prev) {
        if (!this.seen.has(r.prev_hash)) return 'link';
        this.legacyForks++;
      }
      this.seen.add(r.hash);
      this.digest.update(`${r.id}:${r.hash}\n`);
      this.legacy++;
    } else {
      // A legacy entry removed, or the first new entry is not the switch that seals them all.
      if (scheme && this.legacy !== scheme.legacyCount) return 'legacy';
      if (this.legacy > 0 && this.last!.id <= this.legacyLastId && !sealsLegacy(r, this.legacy, this.digest.copy().digest('hex'))) return 'legacy';
      if (r.prev_hash !== this.prev) return 'link';
      const { keys } = this;
      if (r.action === KEY_ROTATION && this.epoch < keys.length - 1 && entryMac(keys[this.epoch + 1], r) === r.hash && opensEpoch(r, this.epoch + 1)) this.epoch++;
      else if (entryMac(keys[this.epoch], r) !== r.hash) return 'edited';
    }
    this.prev = r.hash;
    this.last = r;
    return null;
  }

  /** After the last row: what is missing at the end, or the head. */
  finish(): { problem: ChainProblem | null; head: Head | null } {
    if (this.scheme && this.legacy !== this.scheme.legacyCount) return { problem: 'legacy', head: null };
    // A retired key whose rotation entry is not in the chain: that stretch was cut out.
    if (this.epoch !== this.keys.length - 1) return { problem: 'link', head: null };
    return { problem: null, head: this.last ? { count: this.count, id: this.last.id, hash: this.last.hash } : null };
  }
}

export function walkChain(conn: Connection, key: Buffer): ChainWalk {
  const sqlite = driverOf(conn);
  const walker = new ChainWalker(epochKeys(sqlite, key), readScheme(sqlite));
  const broken = (problem: ChainProblem, id: number | null): ChainWalk => {
    const total = (sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    return { count: total, head: readHead(sqlite), problem, brokenAt: id, legacyForks: walker.legacyForks };
  };
  for (const r of sqlite.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<ChainRow>) {
    const problem = walker.feed(r);
    if (problem) return broken(problem, r.id);
  }
  const end = walker.finish();
  if (end.problem) return broken(end.problem, null);
  return { count: end.head?.count ?? 0, head: end.head, problem: null, brokenAt: null, legacyForks: walker.legacyForks };
}

function opensEpoch(r: ChainRow, epoch: number): boolean {
  try {
    return (JSON.parse(r.detail) as { epoch?: unknown }).epoch === epoch;
  } catch {
    return false;
  }
}

function sealsLegacy(r: ChainRow, legacyCount: number, digest: string): boolean {
  if (r.action !== SCHEME_SWITCH) return false;
  try {
    const d = JSON.parse(r.detail) as { legacyCount?: unknown; legacyDigest?: unknown };
    return d.legacyCount === legacyCount && d.legacyDigest === digest;
  } catch {
    return false;
  }
}

/** Whether `h` is this chain's entry number `h.count`. */
export function headOnChain(conn: Connection, h: Head): boolean {
  const sqlite = driverOf(conn);
  const r = sqlite.prepare('SELECT hash, (SELECT count(*) FROM audit_log WHERE id <= ?) AS pos FROM audit_log WHERE id = ?').get(h.id, h.id) as
    | { hash: string; pos: number }
    | undefined;
  return !!r && r.hash === h.hash && r.pos === h.count;
}
