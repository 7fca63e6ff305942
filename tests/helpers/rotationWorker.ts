// A separate process for the rotation kill test (bundled by it): signs in as the administrator and rotates
// the data key, saying when it starts; the test kills it with SIGKILL at a moment of its choosing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppContext } from '../../src/main/kernel/context';
import { startRotation, waitForRotation } from '../../src/main/features/keys/rotation';
import { login } from '../../src/main/features/session/session';

const [dir, password] = process.argv.slice(2);
const ctx = new AppContext({ configDir: mkdtempSync(join(tmpdir(), 'lk-rotor-')), defaultDataDir: dir, resourcesDir: '.' });
ctx.config.dataDir = dir;
await login(ctx, { username: 'admin', password });
await startRotation(ctx, { resetLegacyUsers: false });
process.stdout.write('started\n');
const job = await waitForRotation(ctx);
process.stdout.write(`${job?.phase}\n`);
ctx.close();
