import { createHash } from 'node:crypto';

// Crockford base32: no I, L, O, U, so a printed key reads back unambiguously.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The recovery key is the 32-byte data key with a 2-byte checksum, as 55 base32 characters in groups. */
export function encodeRecoveryKey(dataKey: Buffer): string {
  if (dataKey.length !== 32) throw new Error('data key must be 32 bytes');
  const bytes = Buffer.concat([dataKey, checksum(dataKey)]);
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

/** Returns the data key, or null when the text is not a well-formed recovery key. */
export function decodeRecoveryKey(text: string): Buffer | null {
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
  const key = buf.subarray(0, 32);
  return checksum(key).equals(buf.subarray(32, 34)) ? Buffer.from(key) : null;
}

function checksum(key: Buffer): Buffer {
  return createHash('sha256').update('loankeeper-recovery').update(key).digest().subarray(0, 2);
}
