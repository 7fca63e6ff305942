import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SCRYPT, unwrapKey, wrapKey } from '../../src/main/db/keyring';

// The suite runs at a lower scrypt cost (tests/helpers/fastKdf.ts); this file checks what ships and that a
// wrap is opened with the cost it records, which is what makes the lower cost the same code path.
const shipped = (globalThis as { __shippedScrypt?: typeof SCRYPT }).__shippedScrypt!;
const testCost = SCRYPT.N;

afterEach(() => {
  SCRYPT.N = testCost;
});

describe('the password wrap’s scrypt cost', () => {
  it('ships at N = 2^16, r = 8: 64 MiB of memory a guess', () => {
    expect(shipped).toEqual({ N: 1 << 16, r: 8, p: 1 });
    expect(128 * shipped.N * shipped.r).toBe(64 * 1024 * 1024);
  });

  it('a wrap records the cost it was made with and opens at that cost after the setting changes', () => {
    const dataKey = randomBytes(32);
    const wrap = wrapKey(dataKey, 'Correct-horse-2026');
    expect(wrap).toMatchObject({ kdf: 'scrypt', N: testCost, r: 8, p: 1 });
    SCRYPT.N = testCost * 2;
    expect(unwrapKey(wrap, 'Correct-horse-2026')?.equals(dataKey)).toBe(true);
    expect(unwrapKey(wrap, 'Correct-horse-2027')).toBeNull();
  });

  it('a wrap whose recorded cost was edited opens nothing, even with the right password', () => {
    const wrap = wrapKey(randomBytes(32), 'Correct-horse-2026');
    expect(unwrapKey({ ...wrap, N: wrap.N / 2 }, 'Correct-horse-2026')).toBeNull();
  });
});
