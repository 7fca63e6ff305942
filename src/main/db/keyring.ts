import { createCipheriv, createDecipheriv, randomBytes, scryptSync, timingSafeEqual, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import type { SignedHead } from './auditChain';

export const KEYRING_FILE = 'keyring.json';

/** The data key wrapped with a key derived from one user's password (scrypt → AES-256-GCM). */
export interface Wrap {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export interface Attempts {
  failures: number;
  lockedUntil: string | null;
}

export interface Keyring {
  format: 'loankeeper-keyring';
  version: 1;
  /** HMAC of a fixed label under the data key: tells a wrong key from a damaged database. */
  keyCheck: string;
  setupConfirmed: boolean;
  institution: string;
  branch: string;
  users: Record<string, Wrap>;
  /** Disabled users have no wrap: they can no longer unwrap the data key. */
  disabled: string[];
  attempts: Record<string, Attempts>;
  /** The audit chain's head as last committed (it may lag the database, never lead it); null until the first entry. */
  auditHead: SignedHead | null;
}

export type KeyringState = { kind: 'ok'; keyring: Keyring } | { kind: 'missing' } | { kind: 'damaged'; reason: string };

const SCRYPT = { N: 1 << 16, r: 8, p: 1 };

export function keyringPath(dir: string): string {
  return join(dir, KEYRING_FILE);
}

export function readKeyring(dir: string): KeyringState {
  const file = keyringPath(dir);
  if (!existsSync(file)) return { kind: 'missing' };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Keyring;
    if (parsed.format !== 'loankeeper-keyring' || parsed.version !== 1 || typeof parsed.users !== 'object' || typeof parsed.keyCheck !== 'string')
      return { kind: 'damaged', reason: 'format' };
    parsed.attempts ??= {};
    parsed.disabled ??= [];
    parsed.auditHead ??= null;
    return { kind: 'ok', keyring: parsed };
  } catch (e) {
    return { kind: 'damaged', reason: (e as Error).message };
  }
}

export function writeKeyring(dir: string, keyring: Keyring): void {
  writeFileAtomic(keyringPath(dir), JSON.stringify(keyring, null, 2));
}

export function keyCheck(dataKey: Buffer): string {
  return createHmac('sha256', dataKey).update('loankeeper-key-check').digest('base64');
}

export function keyMatches(keyring: Keyring, dataKey: Buffer): boolean {
  const a = Buffer.from(keyring.keyCheck, 'base64');
  const b = Buffer.from(keyCheck(dataKey), 'base64');
  return a.length === b.length && timingSafeEqual(a, b);
}

function kek(password: string, salt: Buffer, w: { N: number; r: number; p: number }): Buffer {
  return scryptSync(password.normalize('NFC'), salt, 32, { N: w.N, r: w.r, p: w.p, maxmem: 256 * w.N * w.r });
}

export function wrapKey(dataKey: Buffer, password: string): Wrap {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek(password, salt, SCRYPT), iv);
  const data = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...SCRYPT,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The data key, or null when the password is wrong (the GCM tag does not verify). */
export function unwrapKey(wrap: Wrap, password: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek(password, Buffer.from(wrap.salt, 'base64'), wrap), Buffer.from(wrap.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(wrap.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(wrap.data, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}
