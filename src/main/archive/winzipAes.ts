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
 * Returns a function that XORs the key stream into each piece it is given, in place. Without `at`, a piece goes
 * on where the last one stopped; with it, the piece starts at that byte of the entry's data (CTR is positional,
 * so another thread may encrypt some pieces of a stream and this one the rest). Pieces may have any length and
 * start anywhere in their buffers. `firstBlock` > 1 starts part-way, for reading at an offset.
 *
 * The key stream is made 64 KiB at a time: OpenSSL allocates each output, and pieces that size are served
 * from memory already mapped, where larger ones cost a page fault every 4 KiB.
 *
 * The XOR runs on 8-byte words, which need the piece and the key stream at the same offset modulo 8. A piece
 * that is not (the package reader's ciphertext starts 18 bytes into its buffer) gets a copy of the key stream
 * shifted to match: copying costs about a tenth of XORing byte by byte, which is what such pieces took before.
 *
 * Self-contained (it uses only its arguments and globals): the sealer, the store reader and the package reader
 * also run it in worker threads from its source text.
 */
export function winzipCtrStream(ecb: { update(b: Uint8Array): Uint8Array }, firstBlock = 1): (data: Uint8Array, at?: number) => void {
  const CHUNK = 65536;
  const TWO_32 = 4294967296;
  const counters = new Uint32Array(CHUNK / 4);
  const shifted = new Uint8Array(CHUNK + 8);
  let next = (firstBlock - 1) * 16;
  // The key stream last made, for the bytes from `madeFrom` on: a piece that ends mid-block leaves the rest here.
  let made: Uint8Array = new Uint8Array(0);
  let madeFrom = 0;
  return (data, at = next) => {
    let off = 0;
    while (off < data.length) {
      const p = at + off;
      if (p < madeFrom || p >= madeFrom + made.length) {
        const first = Math.floor(p / 16);
        const blocks = Math.min(CHUNK / 16, Math.ceil(((p % 16) + data.length - off) / 16));
        // Counter values first + 1 … as two 32-bit words (the high 64 bits stay zero); the high word changes
        // only every 64 GiB.
        const c = first + 1;
        const hi = Math.floor(c / TWO_32);
        if (Math.floor((c + blocks - 1) / TWO_32) === hi) {
          const lo = c - hi * TWO_32;
          for (let i = 0; i < blocks; i++) {
            counters[i * 4] = lo + i;
            counters[i * 4 + 1] = hi;
          }
        } else {
          for (let i = 0; i < blocks; i++) {
            counters[i * 4] = (c + i) % TWO_32;
            counters[i * 4 + 1] = Math.floor((c + i) / TWO_32);
          }
        }
        made = ecb.update(new Uint8Array(counters.buffer, 0, blocks * 16));
        madeFrom = first * 16;
      }
      const from = p - madeFrom;
      const len = Math.min(made.length - from, data.length - off);
      let key = made.subarray(from, from + len);
      const addr = data.byteOffset + off;
      const lead = Math.min(len, (8 - (addr % 8)) % 8);
      if ((key.byteOffset + lead) % 8 !== 0) {
        shifted.set(key, addr % 8);
        key = shifted.subarray(addr % 8, (addr % 8) + len);
      }
      for (let i = 0; i < lead; i++) data[off + i] ^= key[i];
      const words = (len - lead) >>> 3;
      if (words > 0) {
        const a = new BigUint64Array(data.buffer, addr + lead, words);
        const b = new BigUint64Array(key.buffer, key.byteOffset + lead, words);
        for (let i = 0; i < words; i++) a[i] ^= b[i];
      }
      for (let i = lead + words * 8; i < len; i++) data[off + i] ^= key[i];
      off += len;
    }
    next = at + data.length;
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
