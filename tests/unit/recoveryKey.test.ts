import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeLegacyRecoveryKey, encodeRecoveryKey, openRecovery, parseRecoveryKey, recoveryCandidates, sealRecovery } from '../../src/main/db/recoveryKey';

describe('recovery key text', () => {
  it('round-trips 32 bytes through 11 groups of 5 characters, and says which kind it is', () => {
    for (let i = 0; i < 200; i++) {
      const secret = randomBytes(32);
      const text = encodeRecoveryKey(secret);
      expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{5}$/);
      const parsed = parseRecoveryKey(text)!;
      expect(parsed.secret!.equals(secret)).toBe(true);
      const legacy = parseRecoveryKey(encodeLegacyRecoveryKey(secret))!;
      expect(legacy.legacyDataKey!.equals(secret)).toBe(true);
    }
  });

  it('forgives case, spaces, dashes and I/L/O typed for 1/1/0', () => {
    const key = Buffer.alloc(32, 0);
    const text = encodeRecoveryKey(key);
    const sloppy = text.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseRecoveryKey(sloppy)!.secret!.equals(key)).toBe(true);
  });

  it('rejects a mistyped character (checksum), a short key and foreign characters', () => {
    const text = encodeRecoveryKey(randomBytes(32));
    const i = text.indexOf('-') - 1;
    const typo = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
    expect(parseRecoveryKey(typo)).toBeNull();
    expect(parseRecoveryKey(text.slice(0, -1))).toBeNull();
    expect(parseRecoveryKey(text.replace(/.$/, 'U'))).toBeNull();
    expect(parseRecoveryKey('')).toBeNull();
  });
});

describe('recovery wrap', () => {
  it('the recovery secret unwraps the data key; another secret, or an edited wrap, gets nothing', () => {
    const dataKey = randomBytes(32);
    const secret = randomBytes(32);
    const wrap = sealRecovery(dataKey, secret);
    expect(openRecovery(wrap, secret)!.equals(dataKey)).toBe(true);
    expect(openRecovery(wrap, randomBytes(32))).toBeNull();
    expect(openRecovery({ ...wrap, id: 'ffffffffffffffff' }, secret)).toBeNull();
    const data = Buffer.from(wrap.data, 'base64');
    data[0] ^= 1;
    expect(openRecovery({ ...wrap, data: data.toString('base64') }, secret)).toBeNull();
    // The secret is not the data key, and the wrap alone does not hold it in the clear.
    expect(secret.equals(dataKey)).toBe(false);
    expect(JSON.stringify(wrap)).not.toContain(dataKey.toString('base64'));
  });

  it('candidates: a wrapped key through each wrap at hand; a legacy key as it is', () => {
    const dataKey = randomBytes(32);
    const secret = randomBytes(32);
    const wrap = sealRecovery(dataKey, secret);
    const parsed = parseRecoveryKey(encodeRecoveryKey(secret))!;
    expect(recoveryCandidates(parsed, [null, wrap, wrap]).map((k) => k.toString('hex'))).toEqual([dataKey.toString('hex')]);
    expect(recoveryCandidates(parsed, [])).toEqual([]);
    const legacy = parseRecoveryKey(encodeLegacyRecoveryKey(dataKey))!;
    expect(recoveryCandidates(legacy, [wrap])[0].equals(dataKey)).toBe(true);
  });
});
