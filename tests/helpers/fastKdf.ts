import { SCRYPT } from '../../src/main/db/keyring';

// The tests sign in and create users thousands of times; at the shipped scrypt cost (2^16, about 0.3 s a
// guess on this machine) that was most of the suite's time. Each password wrap records the N it was made
// with and is opened with that N, so a lower cost here runs the same code. The shipped cost is kept for
// `keyring.test.ts` to check, and the browser and desktop tests run the built app at the shipped cost.
(globalThis as { __shippedScrypt?: typeof SCRYPT }).__shippedScrypt ??= { ...SCRYPT };
SCRYPT.N = 1 << 10;
