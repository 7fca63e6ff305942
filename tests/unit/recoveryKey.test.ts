import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeRecoveryKey, encodeRecoveryKey } from '../../src/main/db/recoveryKey';

describe('recovery key text', () => {
  it('round-trips 32 bytes through 11 groups of 5 characters', () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(32);
      const text = encodeRecoveryKey(key);
      expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{5}$/);
      expect(decodeRecoveryKey(text)!.equals(key)).toBe(true);
    }
  });

  it('forgives case, spaces, dashes and I/L/O typed for 1/1/0', () => {
    const key = Buffer.alloc(32, 0);
    const text = encodeRecoveryKey(key);
    const sloppy = text.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(decodeRecoveryKey(sloppy)!.equals(key)).toBe(true);
  });

  it('rejects a mistyped character (checksum), a short key and foreign characters', () => {
    const text = encodeRecoveryKey(randomBytes(32));
    const i = text.indexOf('-') - 1;
    const typo = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
    expect(decodeRecoveryKey(typo)).toBeNull();
    expect(decodeRecoveryKey(text.slice(0, -1))).toBeNull();
    expect(decodeRecoveryKey(text.replace(/.$/, 'U'))).toBeNull();
    expect(decodeRecoveryKey('')).toBeNull();
  });
});
