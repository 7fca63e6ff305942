// A separate desktop for the branch-server concurrency test (bundled by it): connects to the server, waits for
// the start signal, then takes notice serials and appends audit entries the way the services do, each in its
// own transaction, and prints what it got. `plain` connects without the writer lock, to show what it prevents.
import { existsSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { auditKey } from '../../src/main/db/auditChain';
import { AuditKeyPlugin } from '../../src/main/db/auditLog';
import { openPostgres, poolConfig } from '../../src/main/db/pg/connect';
import type { Database } from '../../src/main/db/schema';
import { nextSerial } from '../../src/main/features/collections/serials';
import { recordAudit } from '../../src/main/kernel/audit';

const [url, keyHex, count, label, go, mode] = process.argv.slice(2);
const base = mode === 'plain' ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool(poolConfig({ url })) }) }) : openPostgres({ url });
const db = base.withPlugin(new AuditKeyPlugin(auditKey(Buffer.from(keyHex, 'hex'))));
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 5));
const serials: string[] = [];
let failures = 0;
for (let i = 0; i < Number(count); i++) {
  try {
    const serial = await db.transaction().execute(async (trx) => {
      const s = await nextSerial(trx, 2026, 'CS');
      // Hold the transaction open across a turn of the event loop, as a real service's would (it renders the PDF).
      await new Promise((r) => setImmediate(r));
      await recordAudit(trx, new Date().toISOString(), { actor: label, action: 'notices.prepare', entity: 'notice', entityId: s, detail: { i } });
      return s;
    });
    serials.push(serial);
  } catch {
    failures++;
  }
}
await base.destroy();
process.stdout.write(JSON.stringify({ serials, failures }));
