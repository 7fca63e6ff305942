// A separate writer process for the concurrency test (bundled by it): opens the store with the data key, waits
// for the start signal, then appends entries the way services do, each in its own transaction.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordAudit } from '../../src/main/kernel/audit';
import { AppContext } from '../../src/main/kernel/context';
import { openStore } from '../../src/main/kernel/store';

const [dir, keyHex, count, label, go] = process.argv.slice(2);
const ctx = new AppContext({ configDir: mkdtempSync(join(tmpdir(), 'lk-writer-')), defaultDataDir: dir, resourcesDir: '.' });
const store = await openStore(ctx, dir, Buffer.from(keyHex, 'hex'));
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 5));
for (let i = 0; i < Number(count); i++) {
  await store.db.transaction().execute(async (trx) => {
    await recordAudit(trx, new Date().toISOString(), { actor: label, action: 'test.write', entity: 'test', entityId: `${label}-${i}` });
    // Hold the transaction open across a turn of the event loop, as a real service's would.
    await new Promise((r) => setImmediate(r));
  });
}
store.close();
