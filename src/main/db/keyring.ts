import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import type { SignedHead } from './auditChain';
import type { RecoveryWrap } from './recoveryKey';

export const KEYRING_FILE = 'keyring.json';

/**
 * The scrypt + AES-256-GCM layer under a user's password. In a legacy entry (no `v`, written before key
 * rotation existed) it wraps the data key itself; in a `v: 2` entry it wraps the user's own X25519 private key.
 */
export interface PasswordWrap {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** The data key sealed to one public key: ephemeral X25519, HKDF-SHA256, AES-256-GCM. */
export interface SealedKey {
  epk: string;
  iv: string;
  tag: string;
  data: string;
}

/** Legacy: the password unwraps the data key directly. An administrator cannot re-wrap it without the password. */
export type LegacyWrap = PasswordWrap & { v?: undefined };

/**
 * A user's key pair: the password unwraps the private key, which opens `sealed` (the data key sealed to `pub`).
 * Rotating the data key needs only `pub`, so an administrator can re-seal the new key for every user without
 * knowing their passwords; every new password makes a new key pair.
 */
export interface UserWrap extends PasswordWrap {
  v: 2;
  /** X25519 public key, base64url (JWK `x`). */
  pub: string;
  sealed: SealedKey;
}

export type Wrap = LegacyWrap | UserWrap;

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
  /** The recovery key's wrap of the data key (db/recoveryKey.ts); null in a store whose recovery key is the data key itself. */
  recovery: RecoveryWrap | null;
  /** The audit chain's head as last committed (it may lag the database, never lead it); null until the first entry. */
  auditHead: SignedHead | null;
}

export type KeyringState = { kind: 'ok'; keyring: Keyring } | { kind: 'missing' } | { kind: 'damaged'; reason: string };

/** scrypt's cost: 2^16 × 8 × 128 bytes = 64 MiB of memory per guess. The failed-login count is no boundary; this is. */
export const SCRYPT = { N: 1 << 16, r: 8, p: 1 };

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
    parsed.recovery ??= null;
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

function passwordWrap(secret: Buffer, password: string): PasswordWrap {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek(password, salt, SCRYPT), iv);
  const data = Buffer.concat([cipher.update(secret), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...SCRYPT,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** What the password layer holds, or null when the password is wrong (the GCM tag does not verify). */
function openPasswordWrap(wrap: PasswordWrap, password: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek(password, Buffer.from(wrap.salt, 'base64'), wrap), Buffer.from(wrap.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(wrap.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(wrap.data, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

/** A legacy entry (the password wraps the data key). Kept for tests that build a store as older versions did. */
export function legacyWrapKey(dataKey: Buffer, password: string): LegacyWrap {
  return passwordWrap(dataKey, password);
}

export function isLegacyWrap(w: Wrap): w is LegacyWrap {
  return w.v !== 2;
}

const SEAL_INFO = 'loankeeper user seal v2';
const b64u = (b: Buffer) => b.toString('base64url');

function sealKey(dataKey: Buffer, pub: string): SealedKey {
  const eph = generateKeyPairSync('x25519');
  const epk = eph.publicKey.export({ format: 'jwk' }).x as string;
  const recipient = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: pub }, format: 'jwk' });
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const k = Buffer.from(hkdfSync('sha256', shared, Buffer.from(`${epk}.${pub}`, 'ascii'), SEAL_INFO, 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k, iv);
  cipher.setAAD(Buffer.from(SEAL_INFO, 'ascii'));
  const data = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  k.fill(0);
  return { epk, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function openSealed(sealed: SealedKey, privateKey: Buffer, pub: string): Buffer | null {
  try {
    const priv = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', x: pub, d: b64u(privateKey) }, format: 'jwk' });
    const epk = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: sealed.epk }, format: 'jwk' });
    const shared = diffieHellman({ privateKey: priv, publicKey: epk });
    const k = Buffer.from(hkdfSync('sha256', shared, Buffer.from(`${sealed.epk}.${pub}`, 'ascii'), SEAL_INFO, 32));
    const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(SEAL_INFO, 'ascii'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const out = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    k.fill(0);
    return out;
  } catch {
    return null;
  }
}

/** A new entry for a user: a fresh key pair (so an old password and an old keyring open nothing new), the private key under the password, the data key sealed to the public key. */
export function wrapKey(dataKey: Buffer, password: string): UserWrap {
  const pair = generateKeyPairSync('x25519');
  const jwk = pair.privateKey.export({ format: 'jwk' });
  const priv = Buffer.from(jwk.d as string, 'base64url');
  const pub = jwk.x as string;
  const wrap: UserWrap = { v: 2, ...passwordWrap(priv, password), pub, sealed: sealKey(dataKey, pub) };
  priv.fill(0);
  return wrap;
}

/** The same user's entry with another data key sealed to their public key: what a rotation does, without the password. */
export function resealWrap(wrap: UserWrap, dataKey: Buffer): UserWrap {
  return { ...wrap, sealed: sealKey(dataKey, wrap.pub) };
}

/** The data key, or null when the password is wrong (the GCM tag does not verify). */
export function unwrapKey(wrap: Wrap, password: string): Buffer | null {
  const inner = openPasswordWrap(wrap, password);
  if (!inner || isLegacyWrap(wrap)) return inner;
  const key = openSealed(wrap.sealed, inner, wrap.pub);
  inner.fill(0);
  return key;
}
