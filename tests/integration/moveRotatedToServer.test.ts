import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditCheck } from '../../src/shared/ipc/audit';
import type { MoveReport } from '../../src/shared/ipc/backups';
import type { LedgerEntry } from '../../src/shared/ipc/repayments';
import { SEGMENT } from '../../src/main/db/fileStore';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { documentBytes } from '../../src/main/features/documents/documents';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { confirmPendingRecoveryKey, keysStatus, startRotation, waitForRotation } from '../../src/main/features/keys/rotation';
import { appInfo } from '../../src/main/features/app/setup';
import { openBranchStore } from '../../src/main/kernel/branchStore';
import { AppContext } from '../../src/main/kernel/context';
import { channelCaller, localStoreOf, newEnv, setUp, ADMIN_PASSWORD, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs, PASSWORDS } from '../helpers/portfolio';
import { joinDetails, startPgServer, type PgServer } from '../support/pgServer';

/**
 * A single-PC store whose data key was rotated twice, with documents and audit entries from under each key, moved
 * onto an empty branch database: the read-back passes, the audit chain verifies on the server across both
 * rotations, every document opens there byte for byte, and neither retired key opens one.
 */

let server: PgServer;
let env: TestEnv;
let url: string;
let dbPassword: string;
const contexts: AppContext[] = [];
const docs: { id: number; bytes: Buffer }[] = [];
const retired: Buffer[] = [];

const caller = channelCaller;

const scan = (n: number, size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`扫描-${n}`), randomBytes(size)]);

async function addScan(loanId: number, n: number, size: number): Promise<void> {
  await loginAs(env.ctx, 'officer1');
  const bytes = scan(n, size);
  const d = await addDocument(env.ctx, { loanId, docType: 'iou', fileName: `借据${n}.jpg`, base64: bytes.toString('base64') });
  docs.push({ id: d.id, bytes });
  await loginAs(env.ctx, 'admin');
}

beforeAll(async () => {
  server = await startPgServer();
  ({ url, dbPassword } = joinDetails(server.url));
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const l = await loan(env.ctx, (await borrower(env.ctx, '张三')).id, { contractNo: 'HT-2026-101' });
  await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '第一期' });
  // One document over a segment, then one more under each key.
  await addScan(l.loan.id, 0, SEGMENT + 77);
  for (let i = 1; i <= 2; i++) {
    retired.push(Buffer.from(localStoreOf(env.ctx).dataKey));
    await startRotation(env.ctx, { resetLegacyUsers: false });
    expect((await waitForRotation(env.ctx))?.phase).toBe('done');
    await confirmPendingRecoveryKey(env.ctx, () => appInfo(env.ctx));
    await addScan(l.loan.id, i, 5000 + i);
  }
  expect((await keysStatus(env.ctx)).epoch).toBe(2);
}, 240_000);

afterAll(() => {
  for (const c of contexts) c.close();
  env?.cleanup();
  server?.stop();
});

describe('moving a store whose data key was rotated onto the branch server', () => {
  it('moves and reads back; the chain verifies there across both rotations, the documents open, and the retired keys open nothing', async () => {
    const call = caller(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const localLedger = await call<{ entries: LedgerEntry[] }>('ledger.get', { loanId: 1 });
    await loginAs(env.ctx, 'admin');
    const localAudit = await call<AuditCheck>('audit.verify', {});
    expect(localAudit).toMatchObject({ ok: true, problem: null });
    const report = await call<MoveReport>('backups.moveToServer', { url, dbPassword, ca: null, password: ADMIN_PASSWORD });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.documents).toBe(docs.length);

    // Every document on the server is sealed under the current key: it opens with that key, and with neither
    // retired one.
    const current = Buffer.from(localStoreOf(env.ctx).dataKey);
    const contentWith = async (key: Buffer) => {
      const store = await openBranchStore({ url: server.url }, key);
      try {
        const rows = await store.db.selectFrom('documents').select(['id', 'file_name', 'content', 'file_ref', 'sha256']).orderBy('id').execute();
        expect(rows.map((r) => r.file_ref)).toEqual(docs.map(() => null));
        return rows.map((r) => {
          try {
            return documentBytes(env.ctx, store, r);
          } catch {
            return null;
          }
        });
      } finally {
        store.close();
      }
    };
    const opened = await contentWith(current);
    expect(opened.map((b, i) => !!b?.equals(docs[i].bytes))).toEqual(docs.map(() => true));
    for (const key of retired) expect(await contentWith(key)).toEqual(docs.map(() => null));

    // Another PC joins; the officer reads the ledger and every document, the administrator verifies the chain.
    const configDir = mkdtempSync(join(tmpdir(), 'lk-move-rotated-'));
    const pc = new AppContext({ configDir, defaultDataDir: join(configDir, 'data'), resourcesDir: resolve('resources') }, env.clock);
    contexts.push(pc);
    const remote = caller(pc);
    await remote('setup.joinServer', { url, dbPassword, ca: null, locale: 'zh-CN' });
    await remote('session.login', { username: 'officer1', password: PASSWORDS.officer1 });
    expect((await remote<{ entries: LedgerEntry[] }>('ledger.get', { loanId: 1 })).entries).toEqual(localLedger.entries);
    for (const d of docs) {
      const got = await remote<{ base64: string }>('documents.get', { documentId: d.id });
      expect(Buffer.from(got.base64, 'base64').equals(d.bytes), `document ${d.id}`).toBe(true);
    }
    await remote('session.logout', {});
    await remote('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    // Every entry, from under each of the three keys, plus the move's own and the sign-ins here.
    const audit = await remote<AuditCheck>('audit.verify', {});
    expect(audit).toMatchObject({ ok: true, problem: null, brokenAt: null });
    expect(audit.count).toBeGreaterThan(localAudit.count);
    rmSync(configDir, { recursive: true, force: true });
  }, 240_000);
});
