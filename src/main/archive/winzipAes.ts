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
 * (big-endian) cannot do, so the counter blocks are encrypted with ECB and XORed here, 4 bytes at a time.
 */
function ctr(aesKey: Buffer, data: Buffer): Buffer {
  const out = Buffer.from(new ArrayBuffer(data.length));
  const ecb = createCipheriv('aes-256-ecb', aesKey, null);
  ecb.setAutoPadding(false);
  const counterBytes = new Uint8Array(CHUNK);
  // Little-endian counter blocks as 32-bit words: [low, high, 0, 0]; up to 2^64 blocks.
  const counters = new Uint32Array(counterBytes.buffer);
  let block = 1;
  for (let off = 0; off < data.length; off += CHUNK) {
    const len = Math.min(CHUNK, data.length - off);
    const blocks = Math.ceil(len / 16);
    for (let i = 0; i < blocks; i++, block++) {
      counters[i * 4] = block >>> 0;
      counters[i * 4 + 1] = Math.floor(block / 4294967296);
    }
    const stream = new Uint8Array(ecb.update(counterBytes.subarray(0, blocks * 16)));
    const src = new Uint8Array(len);
    src.set(data.subarray(off, off + len));
    const words = len >>> 2;
    const a = new Uint32Array(src.buffer, 0, words);
    const b = new Uint32Array(stream.buffer, stream.byteOffset, words);
    const o = new Uint32Array(out.buffer, out.byteOffset + off, words);
    for (let i = 0; i < words; i++) o[i] = a[i] ^ b[i];
    for (let i = words << 2; i < len; i++) out[off + i] = src[i] ^ stream[i];
  }
  return out;
}

/** salt ‖ password check ‖ ciphertext ‖ MAC, ready to follow a local file header. */
export function encrypt(password: string, plain: Buffer): Buffer {
  const salt = randomBytes(SALT_LEN);
  const k = deriveKeys(password, salt);
  const cipher = ctr(k.aesKey, plain);
  const mac = createHmac('sha1', k.macKey).update(cipher).digest().subarray(0, MAC_LEN);
  return Buffer.concat([salt, k.verifier, cipher, mac]);
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
  return { ok: true, data: ctr(k.aesKey, cipher) };
}
