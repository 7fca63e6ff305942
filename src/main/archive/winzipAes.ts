import { createCipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WinZip AES-256 (AE-2), the encryption 7-Zip and Windows tools open with a password:
 * PBKDF2-HMAC-SHA1 (1000 rounds) derives the AES key, the HMAC key and a 2-byte password check;
 * data is AES-CTR with a little-endian counter starting at 1; a 10-byte HMAC-SHA1 seals the ciphertext.
 */
export const SALT_LEN = 16;
export const PWV_LEN = 2;
export const MAC_LEN = 10;

export interface AesKeys {
  aesKey: Buffer;
  macKey: Buffer;
  verifier: Buffer;
}

export function deriveKeys(password: string, salt: Buffer): AesKeys {
  const dk = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 1000, 66, 'sha1');
  return { aesKey: dk.subarray(0, 32), macKey: dk.subarray(32, 64), verifier: dk.subarray(64, 66) };
}

const CHUNK = 1 << 20;

/**
 * AES-CTR as WinZip does it: the counter is little-endian and starts at 1, which OpenSSL's CTR mode
 * (big-endian) cannot do, so the counter blocks are encrypted with ECB and XORed here, 8 bytes at a time.
 * XORs `src` into `dst` (which may be `src`), going on from `state.block`. Every piece but an entry's last
 * must be a multiple of 16 bytes. Self-contained (it uses only its arguments and globals), because the
 * export also runs it in a worker thread from its source text.
 */
export function winzipCtrXor(ecb: { update(b: Uint8Array): Uint8Array }, counters: Uint32Array, state: { block: number }, src: Uint8Array, dst: Uint8Array): void {
  const chunk = counters.length * 4;
  for (let off = 0; off < src.length; off += chunk) {
    const len = Math.min(chunk, src.length - off);
    const blocks = Math.ceil(len / 16);
    for (let i = 0; i < blocks; i++, state.block++) {
      counters[i * 4] = state.block >>> 0;
      counters[i * 4 + 1] = Math.floor(state.block / 4294967296);
    }
    const stream = ecb.update(new Uint8Array(counters.buffer, 0, blocks * 16));
    const words = len >>> 3;
    // 8-byte views (V8 XORs them about twice as fast as 4-byte ones) need alignment; pooled buffers may lack it.
    if ((src.byteOffset + off) % 8 === 0 && (dst.byteOffset + off) % 8 === 0 && stream.byteOffset % 8 === 0) {
      const a = new BigUint64Array(src.buffer, src.byteOffset + off, words);
      const b = new BigUint64Array(stream.buffer, stream.byteOffset, words);
      const o = new BigUint64Array(dst.buffer, dst.byteOffset + off, words);
      for (let i = 0; i < words; i++) o[i] = a[i] ^ b[i];
      for (let i = words << 3; i < len; i++) dst[off + i] = src[off + i] ^ stream[i];
    } else {
      for (let i = 0; i < len; i++) dst[off + i] = src[off + i] ^ stream[i];
    }
  }
}

export function ecbFor(aesKey: Uint8Array) {
  const ecb = createCipheriv('aes-256-ecb', aesKey, null);
  ecb.setAutoPadding(false);
  return ecb;
}

/** WinZip's CTR fed in pieces. */
class WinZipCtr {
  private readonly ecb;
  private readonly counters = new Uint32Array(CHUNK / 4);
  private readonly state = { block: 1 };
  private out = Buffer.alloc(0);
  private tail = false;

  constructor(aesKey: Buffer) {
    this.ecb = ecbFor(aesKey);
  }

  /** XORs `data` with the key stream. The result is reused by the next call: consume it first. */
  xor(data: Buffer): Buffer {
    if (this.tail) throw new Error('CTR input after a partial block');
    if (data.length % 16 !== 0) this.tail = true;
    if (this.out.length < data.length) this.out = Buffer.alloc(Math.max(data.length, CHUNK));
    const out = this.out.subarray(0, data.length);
    winzipCtrXor(this.ecb, this.counters, this.state, data, out);
    return out;
  }
}

/** One entry's encryption fed in pieces: `head` (salt ‖ password check), each `update`, then the MAC. */
export class AesEntryEncryptor {
  readonly head: Buffer;
  private readonly ctr: WinZipCtr;
  private readonly hmac;

  constructor(password: string) {
    const salt = randomBytes(SALT_LEN);
    const k = deriveKeys(password, salt);
    this.head = Buffer.concat([salt, k.verifier]);
    this.ctr = new WinZipCtr(k.aesKey);
    this.hmac = createHmac('sha1', k.macKey);
  }

  /** Ciphertext for `plain`, valid until the next call. */
  update(plain: Buffer): Buffer {
    const cipher = this.ctr.xor(plain);
    this.hmac.update(cipher);
    return cipher;
  }

  final(): Buffer {
    return this.hmac.digest().subarray(0, MAC_LEN);
  }
}

/** Bytes an entry of `size` plain bytes takes once encrypted. */
export const encryptedSize = (size: number) => SALT_LEN + PWV_LEN + size + MAC_LEN;

/** salt ‖ password check ‖ ciphertext ‖ MAC, ready to follow a local file header. */
export function encrypt(password: string, plain: Buffer): Buffer {
  const e = new AesEntryEncryptor(password);
  return Buffer.concat([e.head, e.update(plain), e.final()]);
}

export type DecryptResult = { ok: true; data: Buffer } | { ok: false; reason: 'password' | 'mac' | 'short' };

export function decrypt(password: string, payload: Buffer): DecryptResult {
  if (payload.length < SALT_LEN + PWV_LEN + MAC_LEN) return { ok: false, reason: 'short' };
  const salt = payload.subarray(0, SALT_LEN);
  const k = deriveKeys(password, salt);
  if (!timingSafeEqual(k.verifier, payload.subarray(SALT_LEN, SALT_LEN + PWV_LEN))) return { ok: false, reason: 'password' };
  const cipher = payload.subarray(SALT_LEN + PWV_LEN, payload.length - MAC_LEN);
  const mac = createHmac('sha1', k.macKey).update(cipher).digest().subarray(0, MAC_LEN);
  if (!timingSafeEqual(mac, payload.subarray(payload.length - MAC_LEN))) return { ok: false, reason: 'mac' };
  return { ok: true, data: Buffer.from(new WinZipCtr(k.aesKey).xor(cipher)) };
}
