import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareNotices } from '../../src/main/features/collections/notices';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { getLoan } from '../../src/main/features/loans/loans';
import { concentration, kpis, trend, vintage } from '../../src/main/features/managementReports/reports';
import { takeSnapshot } from '../../src/main/features/managementReports/snapshots';
import { getDocument } from '../../src/main/features/reports/reports';
import { ensureArchiveDefaults } from '../../src/main/features/archive/archive';
import { decideClassification, pendingClassifications, proposeClassification } from '../../src/main/features/repayments/classification';
import { loanLedger } from '../../src/main/features/repayments/ledger';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { verifyAuditChain } from '../../src/main/kernel/audit';
import { openBranchStore } from '../../src/main/kernel/branchStore';
import { AppContext } from '../../src/main/kernel/context';
import type { BranchStore } from '../../src/main/kernel/store';
import { FakeClock, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs } from '../helpers/portfolio';
import { startPgServer, type PgServer } from '../support/pgServer';

/**
 * The same services on both stores, one code path: a loan is booked and repaid, an officer proposes a
 * reclassification and a supervisor approves it — on the single-PC store with both at one PC, and on the branch
 * server from two PCs (two contexts with their own connections). The ledgers and the decisions come out the same.
 * Signing in on the server is not built yet, so the branch contexts get their session by `actAs`.
 */

let server: PgServer;
let env: TestEnv;
let root: string;
const stores: BranchStore[] = [];

async function journey(officerPc: AppContext, supervisorPc: AppContext) {
  // On one PC both people use the same context in turn; on the branch server each has their own.
  const officer = async () => (await actAs(officerPc, 'officer1'), officerPc);
  const supervisor = async () => (await actAs(supervisorPc, 'supervisor1'), supervisorPc);
  const b = await borrower(await officer());
  const l = await loan(await officer(), b.id);
  await createRepayment(await officer(), { loanId: l.loan.id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '第一期' });
  const proposed = await proposeClassification(await officer(), { loanId: l.loan.id, level: 'substandard', reason: '借款人经营恶化' });
  const proposal = proposed.classifications.find((x) => x.status === 'pending')!;
  // The supervisor's list (at the other PC, on the branch server) shows the officer's proposal.
  const pending = (await pendingClassifications(await supervisor())).map((p) => ({ loanId: p.loanId, level: p.level, proposedBy: p.proposedBy }));
  await decideClassification(await supervisor(), { proposalId: proposal.id, approve: true, comment: '同意' });
  // Approving it again, as a second supervisor's stale screen would, is refused.
  const again = await decideClassification(await supervisor(), { proposalId: proposal.id, approve: true, comment: '同意' }).then(
    () => null,
    (e: { code: string; message: string }) => (e.message.includes('supervisor1') && e.message.includes('批准') ? e.code : `${e.code}: ${e.message}`),
  );
  // A reminder printed at the officer's PC: its serial comes from the store's counter, its PDF from the same code.
  const notice = await prepareNotices(await officer(), { items: [{ loanId: l.loan.id, docType: 'reminder' }], asOf: '2026-03-01', payBy: null });
  // A scan filed at the officer's PC and opened at the supervisor's.
  const scanBytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('借据扫描 张三 110105198001011234 '.repeat(200))]);
  const scan = await addDocument(await officer(), { loanId: l.loan.id, docType: 'iou', fileName: '借据扫描.jpg', base64: scanBytes.toString('base64') });
  const opened = await getDocument(await supervisor(), { documentId: scan.id });
  // The month-end snapshot and the management figures, at the supervisor's PC.
  const snapshot = await takeSnapshot(await supervisor(), { asOf: '2026-02-28' });
  const figures = {
    snapshot: { loans: snapshot.loans, balanceFen: snapshot.balanceFen, kind: snapshot.kind },
    kpis: await kpis(await supervisor(), { asOf: '2026-03-01' }),
    concentration: await concentration(await supervisor(), { asOf: '2026-03-01' }),
    vintage: await vintage(await supervisor(), { asOf: '2026-03-01' }),
    trend: await trend(await supervisor(), { asOf: '2026-03-01', months: 3 }),
  };
  const seen = await getLoan(await officer(), { id: l.loan.id, asOf: null });
  const ledger = await loanLedger(await officer(), { loanId: l.loan.id });
  return { pending, again, figures, scan: Buffer.from(opened.base64, 'base64').equals(scanBytes), serials: notice.notices.map((n) => n.serial), pdf: (notice.base64 ?? '').length > 1000, skipped: notice.skipped.map((x) => x.reason), level: seen.state.level, classifications: seen.classifications.map((c) => ({ level: c.level, status: c.status })), ledger: ledger.entries };
}

function branchContext(store: BranchStore, clock: FakeClock): AppContext {
  const ctx = new AppContext({ configDir: mkdtempSync(join(root, 'pc-')), defaultDataDir: join(root, 'unused'), resourcesDir: resolve('resources') }, clock);
  ctx.store = store;
  return ctx;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lk-branch-'));
  server = await startPgServer();
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
}, 120_000);

afterAll(() => {
  for (const s of stores) s.close();
  env?.cleanup();
  server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the same services on the branch server', () => {
  it('book, repay, propose at one PC and approve at another: the same results as on one PC', async () => {
    const local = await journey(env.ctx, env.ctx);

    const dataKey = randomBytes(32);
    const pc1 = await openBranchStore({ url: server.url }, dataKey);
    const pc2 = await openBranchStore({ url: server.url }, dataKey);
    stores.push(pc1, pc2);
    const now = env.clock.now().toISOString();
    for (const [username, roles] of [['officer1', ['officer']], ['supervisor1', ['supervisor']]] as const) {
      await pc1.db.insertInto('users').values({ username, display_name: username, roles: JSON.stringify(roles), disabled: 0, must_change_password: 0, created_at: now, updated_at: now }).execute();
    }
    // What signing in does on the single-PC store (sign-in on the server is not built yet).
    await ensureArchiveDefaults(pc1.db, now);
    const branch = await journey(branchContext(pc1, env.clock), branchContext(pc2, env.clock));

    expect(branch.pending).toEqual([{ loanId: 1, level: 'substandard', proposedBy: 'officer1' }]);
    expect(branch.again).toBe(local.again);
    // Refused as stale, naming who decided it and when.
    expect(branch.again).toBe('CONFLICT');
    expect(branch.level).toBe('substandard');
    expect(branch.serials).toEqual([expect.stringMatching(/^2026-\w+-000001$/)]);
    expect(branch.pdf).toBe(true);
    expect(branch.scan).toBe(true);
    expect(branch.figures.snapshot).toMatchObject({ loans: 1, kind: 'month-end' });
    expect(branch.figures.kpis).toEqual(local.figures.kpis);
    // The server holds the scan sealed: neither the text in it nor the ID number is in the row.
    const stored = await pc1.db.selectFrom('documents').select(['content', 'file_ref', 'size']).where('doc_type', '=', 'iou').executeTakeFirstOrThrow();
    expect(stored.file_ref).toBeNull();
    expect(stored.content.length).toBeGreaterThan(stored.size);
    expect(Buffer.from(stored.content).includes(Buffer.from('110105198001011234'))).toBe(false);
    expect(Buffer.from(stored.content).includes(Buffer.from('借据扫描'))).toBe(false);
    expect(branch).toEqual(local);
    expect(branch.ledger.length).toBeGreaterThan(2);

    // The chain the two PCs wrote verifies with the key the server never had.
    const check = await verifyAuditChain(pc2);
    expect(check.problem).toBeNull();
    expect(check.count).toBeGreaterThan(4);
  }, 120_000);
});
