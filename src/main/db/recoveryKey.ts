import BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { keyringPath, readKeyring } from './keyring';
import { applyKey } from './open';

/**
 * The recovery key: 32 bytes and a 2-byte checksum as 55 Crockford base32 characters in 11 groups of 5.
 *
 * Since key rotation it is a random secret that wraps the data key (`RecoveryWrap`, kept in the keyring, in
 * `recovery.json` beside the database and mirrored inside it). Stores set up before that printed the data key
 * itself ("legacy"); such a key keeps opening the store until the data key is next rotated. The two kinds
 * differ in the checksum's label, so a key is read as the kind whose checksum it carries.
 */

// Crockford base32: no I, L, O, U, so a printed key reads back unambiguously.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LEGACY_LABEL = 'loankeeper-recovery';
const WRAP_LABEL = 'loankeeper-recovery-wrap-v2';

function encode(bytes32: Buffer, label: string): string {
  if (bytes32.length !== 32) throw new Error('a recovery key holds 32 bytes');
  const bytes = Buffer.concat([bytes32, checksum(bytes32, label)]);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.match(/.{1,5}/g)!.join('-');
}

/** The text of a recovery key for a recovery secret (the current kind). */
export function encodeRecoveryKey(secret: Buffer): string {
  return encode(secret, WRAP_LABEL);
}

/** The text older versions printed: the data key itself. Only tests (building an old store) and nothing else write it. */
export function encodeLegacyRecoveryKey(dataKey: Buffer): string {
  return encode(dataKey, LEGACY_LABEL);
}

export function newRecoverySecret(): Buffer {
  return randomBytes(32);
}

/**
 * What a typed recovery key can be: a recovery secret, or (from a store set up before key rotation) the data key
 * itself. Both only when both checksums happen to match (1 in 65,536). Null when the text is not a well-formed key.
 */
export interface ParsedRecoveryKey {
  secret: Buffer | null;
  legacyDataKey: Buffer | null;
}

export function parseRecoveryKey(text: string): ParsedRecoveryKey | null {
  const clean = text
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (clean.length !== 55) return null;
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  const buf = Buffer.from(bytes.slice(0, 34));
  const body = buf.subarray(0, 32);
  const sum = buf.subarray(32, 34);
  const secret = checksum(body, WRAP_LABEL).equals(sum) ? Buffer.from(body) : null;
  const legacyDataKey = checksum(body, LEGACY_LABEL).equals(sum) ? Buffer.from(body) : null;
  return secret || legacyDataKey ? { secret, legacyDataKey } : null;
}

function checksum(key: Buffer, label: string): Buffer {
  return createHash('sha256').update(label).update(key).digest().subarray(0, 2);
}

/**
 * The data key under a key derived from the recovery secret by HKDF-SHA256 (not scrypt: the secret is 256
 * random bits, so there is nothing to slow down a guesser on; a password is different). AES-256-GCM, with the
 * wrap's id as associated data.
 */
export interface RecoveryWrap {
  v: 2;
  kdf: 'hkdf-sha256';
  /** Names this recovery key (printed nowhere; in the audit trail and the keys page). */
  id: string;
  iv: string;
  tag: string;
  data: string;
}

const RECOVERY_INFO = 'loankeeper recovery wrap v2';

function recoveryKek(secret: Buffer, id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from(id, 'ascii'), RECOVERY_INFO, 32));
}

export function sealRecovery(dataKey: Buffer, secret: Buffer): RecoveryWrap {
  const id = randomBytes(8).toString('hex');
  const iv = randomBytes(12);
  const k = recoveryKek(secret, id);
  const cipher = createCipheriv('aes-256-gcm', k, iv);
  cipher.setAAD(Buffer.from(id, 'ascii'));
  const data = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  k.fill(0);
  return { v: 2, kdf: 'hkdf-sha256', id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function openRecovery(wrap: RecoveryWrap, secret: Buffer): Buffer | null {
  try {
    const k = recoveryKek(secret, wrap.id);
    const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(wrap.iv, 'base64'));
    k.fill(0);
    decipher.setAAD(Buffer.from(wrap.id, 'ascii'));
    decipher.setAuthTag(Buffer.from(wrap.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(wrap.data, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

/** Every data key a typed recovery key can stand for, given the recovery wraps at hand (each key once). */
export function recoveryCandidates(parsed: ParsedRecoveryKey, wraps: readonly (RecoveryWrap | null | undefined)[]): Buffer[] {
  const out: Buffer[] = [];
  const add = (k: Buffer | null) => {
    if (k && !out.some((o) => o.equals(k))) out.push(k);
  };
  if (parsed.secret) for (const w of wraps) if (w) add(openRecovery(w, parsed.secret));
  add(parsed.legacyDataKey);
  return out;
}

/**
 * `recovery.json` beside the database: the recovery wrap in plain JSON (it is ciphertext; only the recovery key
 * opens it). It is what lets the recovery key open a data folder whose keyring is gone: the database cannot hold
 * the one copy, because it is encrypted with the very key the wrap protects.
 */
export const RECOVERY_FILE = 'recovery.json';

export interface RecoveryFile {
  format: 'loankeeper-recovery';
  version: 1;
  /** The key check of the data key it wraps (as in the keyring). */
  keyCheck: string;
  wrap: RecoveryWrap;
}

export function recoveryFilePath(dir: string): string {
  return join(dir, RECOVERY_FILE);
}

export function readRecoveryFile(file: string): RecoveryFile | null {
  try {
    const f = JSON.parse(readFileSync(file, 'utf8')) as RecoveryFile;
    return f.format === 'loankeeper-recovery' && f.wrap?.v === 2 ? f : null;
  } catch {
    return null;
  }
}

/** Writes (atomically) or, for a store without a recovery wrap, removes the file. Unchanged content is not rewritten. */
export function writeRecoveryFile(file: string, keyCheck: string, wrap: RecoveryWrap | null): void {
  if (!wrap) {
    if (existsSync(file)) rmSync(file, { force: true });
    return;
  }
  const body = JSON.stringify({ format: 'loankeeper-recovery', version: 1, keyCheck, wrap } satisfies RecoveryFile, null, 2);
  if (existsSync(file) && readFileSync(file, 'utf8') === body) return;
  writeFileAtomic(file, body);
}

/** Whether `key` opens the encrypted database file (read-only; nothing is written). */
export function keyOpensDatabase(dbFile: string, key: Buffer): boolean {
  let db: BetterSqlite.Database;
  try {
    db = new BetterSqlite(dbFile, { readonly: true, fileMustExist: true });
  } catch {
    return false;
  }
  try {
    applyKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/**
 * The data key of the database file `dbFile`, from a recovery key string. A legacy key (the data key itself) is
 * tried as it is; a recovery secret opens the recovery wraps found in `wraps` and beside the file:
 * `<dbFile>.recovery.json` (a copy's own), then `recovery.json` and `keyring.json` in its folder. Each candidate
 * is checked by opening the file read-only. Null when none opens it (a wrong key, or no wrap at hand).
 */
export function dataKeyFromRecoveryKey(recoveryKey: string, dbFile: string, wraps: readonly RecoveryWrap[] = []): Buffer | null {
  const parsed = parseRecoveryKey(recoveryKey);
  if (!parsed) return null;
  const dir = dirname(dbFile);
  const found: (RecoveryWrap | null | undefined)[] = [...wraps, readRecoveryFile(`${dbFile}.recovery.json`)?.wrap, readRecoveryFile(recoveryFilePath(dir))?.wrap];
  if (existsSync(keyringPath(dir))) {
    const kr = readKeyring(dir);
    if (kr.kind === 'ok') found.push(kr.keyring.recovery);
  }
  for (const key of recoveryCandidates(parsed, found)) if (keyOpensDatabase(dbFile, key)) return key;
  return null;
}
