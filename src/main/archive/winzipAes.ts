import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * WinZip AES-256 (AE-2), the encryption 7-Zip and Windows tools open with a password (reading it is in
 * zipReader.ts, which the package worker runs from its source):
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

/**
 * AES-CTR as WinZip does it: the counter is little-endian and starts at 1, which OpenSSL's CTR mode
 * (big-endian) cannot do, so the counter blocks are encrypted with ECB and XORed here, 8 bytes at a time.
 * Returns a function that XORs the key stream into each piece it is given, in place, going on where the
 * last piece stopped (pieces may have any length). `firstBlock` > 1 starts part-way, for reading at an offset.
 *
 * The key stream is made 64 KiB at a time: OpenSSL allocates each output, and pieces that size are served
 * from memory already mapped, where larger ones cost a page fault every 4 KiB.
 *
 * Self-contained (it uses only its arguments and globals): the sealer and the package reader also run it in
 * worker threads from its source text.
 */
export function winzipCtrStream(ecb: { update(b: Uint8Array): Uint8Array }, firstBlock = 1): (data: Uint8Array) => void {
  const CHUNK = 65536;
  const counters = new Uint32Array(CHUNK / 4);
  let block = firstBlock;
  let spare: Uint8Array = new Uint8Array(0);
  let spareAt = 0;
  return (data) => {
    let off = 0;
    while (spareAt < spare.length && off < data.length) data[off++] ^= spare[spareAt++];
    while (off < data.length) {
      const len = Math.min(CHUNK, data.length - off);
      const blocks = Math.ceil(len / 16);
      for (let i = 0; i < blocks; i++, block++) {
        counters[i * 4] = block >>> 0;
        counters[i * 4 + 1] = Math.floor(block / 4294967296);
      }
      const stream = ecb.update(new Uint8Array(counters.buffer, 0, blocks * 16));
      const words = len >>> 3;
      // 8-byte views (V8 XORs them about twice as fast as 4-byte ones) need alignment; small pieces may lack it.
      if ((data.byteOffset + off) % 8 === 0 && stream.byteOffset % 8 === 0) {
        const a = new BigUint64Array(data.buffer, data.byteOffset + off, words);
        const b = new BigUint64Array(stream.buffer, stream.byteOffset, words);
        for (let i = 0; i < words; i++) a[i] ^= b[i];
        for (let i = words << 3; i < len; i++) data[off + i] ^= stream[i];
      } else {
        for (let i = 0; i < len; i++) data[off + i] ^= stream[i];
      }
      spare = stream;
      spareAt = len;
      off += len;
    }
  };
}

export function ecbFor(aesKey: Uint8Array) {
  const ecb = createCipheriv('aes-256-ecb', aesKey, null);
  ecb.setAutoPadding(false);
  return ecb;
}

/** One entry's encryption fed in pieces: `head` (salt ‖ password check), each `update`, then the MAC. */
export class AesEntryEncryptor {
  readonly head: Buffer;
  private readonly ctr;
  private readonly hmac;

  constructor(password: string) {
    const salt = randomBytes(SALT_LEN);
    const k = deriveKeys(password, salt);
    this.head = Buffer.concat([salt, k.verifier]);
    this.ctr = winzipCtrStream(ecbFor(k.aesKey));
    this.hmac = createHmac('sha1', k.macKey);
  }

  /** Ciphertext for `plain`, in a new buffer. */
  update(plain: Buffer): Buffer {
    const cipher = Buffer.from(plain);
    this.ctr(cipher);
    this.hmac.update(cipher);
    return cipher;
  }

  final(): Buffer {
    return this.hmac.digest().subarray(0, MAC_LEN);
  }
}

/** Bytes an entry of `size` plain bytes takes once encrypted. */
export const encryptedSize = (size: number) => SALT_LEN + PWV_LEN + size + MAC_LEN;
