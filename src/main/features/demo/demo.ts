import type { Insertable } from 'kysely';
import { AppError } from '../../../shared/ipc/errors';
import type { ClassificationsTable } from '../../db/schema';
import { demoSteps, generateDemo, DEMO_OFFICERS, type DemoCounts, type DemoOptions } from '../../demo/generate';
import { demoRowBuffer } from '../../db/pg/demoRows';
import { recordAudit } from '../../kernel/audit';
import type { AuditInput } from '../../db/auditChain';
import { runBatch } from '../../domain/batch';
import { type AppContext, today } from '../../kernel/context';
import { requirePermission } from '../../kernel/authz';
import { requireStore, type BranchStore, type Store } from '../../kernel/store';
import { readSettings } from '../../kernel/settings';
import { storeDocument } from '../documents/documents';
import { ensureArchiveDefaults } from '../archive/archive';
import { demoContractPdf, demoScans, type DemoDocLoan } from '../../demo/documents';
import { createUser } from '../users/users';

/** Loans that get a demo file (contract PDF and scans): enough to show archives, checklists and exports. */
export const DEMO_DOCUMENT_LOANS = 24;

async function addDemoDocuments(ctx: AppContext, store: Store, actor: string): Promise<number> {
  const settings = await readSettings(store.db);
  const loans: DemoDocLoan[] = await store.db
    .selectFrom('loans as l')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select([
      'l.id',
      'l.borrower_id as borrowerId',
      'l.contract_no as contractNo',
      'b.name as borrower',
      'l.principal_fen as principalFen',
      'l.start_date as startDate',
      'l.maturity_date as maturityDate',
      'l.annual_rate as annualRate',
    ])
    .orderBy('l.id')
    .limit(DEMO_DOCUMENT_LOANS)
    .execute();
  const files: { loan: DemoDocLoan; docType: string; fileName: string; bytes: Buffer }[] = [];
  for (const l of loans) {
    files.push({ loan: l, docType: 'contract', fileName: `借款合同_${l.contractNo}.pdf`, bytes: await demoContractPdf(ctx.paths.resourcesDir, l, settings.institution) });
    for (const scan of demoScans(l)) files.push({ loan: l, ...scan });
  }
  await ensureArchiveDefaults(store.db, ctx.nowIso());
  await store.db.transaction().execute(async (trx) => {
    for (const f of files) {
      await storeDocument(ctx, trx, { loanId: f.loan.id, borrowerId: f.loan.borrowerId, docType: f.docType, fileName: f.fileName, base64: f.bytes.toString('base64') }, { allowed: ['pdf', 'jpeg'], maxBytes: 20 * 1024 * 1024, actor });
    }
    await recordAudit(trx, ctx.nowIso(), { actor, action: 'demo.documents', entity: 'portfolio', entityId: 'documents', detail: { documents: files.length } });
  });
  return files.length;
}

export const DEMO_STAFF = [
  { username: 'officer1', displayName: '李明（信贷员）', roles: ['officer'] as const },
  { username: 'officer2', displayName: '陈静（信贷员）', roles: ['officer'] as const },
  { username: 'collector1', displayName: '孙伟（催收员）', roles: ['collector'] as const },
  { username: 'supervisor1', displayName: '王强（信贷主管）', roles: ['supervisor'] as const },
  { username: 'risk1', displayName: '赵敏（风险管理）', roles: ['risk'] as const },
  { username: 'archivist1', displayName: '周红（档案管理员）', roles: ['archivist'] as const },
];

/**
 * The same rows on the branch server, in one write transaction: the portfolio is checked empty again inside it
 * (another PC may have added a loan since), the rows are sent every few thousand borrowers, the audit entry last.
 */
async function generateOnServer(ctx: AppContext, store: BranchStore, opts: DemoOptions, audit: (c: DemoCounts) => AuditInput): Promise<DemoCounts> {
  return store.db.transaction().execute(async (trx) => {
    const again = await trx.selectFrom('loans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(again.n) > 0) throw new AppError('CONFLICT', ctx.t('errors.demoNotEmpty'));
    const buffer = await demoRowBuffer(trx);
    const steps = demoSteps(buffer.ins, opts);
    let r = steps.next();
    for (; !r.done; r = steps.next()) await buffer.flush();
    await buffer.flush();
    await buffer.finish();
    await recordAudit(trx, opts.now, audit(r.value));
    return r.value;
  });
}

/** An administrator's command: demo staff and a seeded demo portfolio, only into an empty portfolio. */
export async function generateDemoPortfolio(ctx: AppContext, input: { borrowers: number; staffPassword: string }): Promise<DemoCounts & { batchMs: number; documents: number }> {
  const s = requirePermission(ctx, 'users.manage');
  const store = requireStore(ctx);
  const existing = await store.db.selectFrom('loans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) throw new AppError('CONFLICT', ctx.t('errors.demoNotEmpty'));
  for (const u of DEMO_STAFF) {
    const has = await store.db.selectFrom('users').select('username').where('username', '=', u.username).executeTakeFirst();
    if (!has) await createUser(ctx, { username: u.username, displayName: u.displayName, roles: [...u.roles], password: input.staffPassword });
  }
  // Demo staff can sign in straight away with the password given here.
  await store.db.updateTable('users').set({ must_change_password: 0 }).where('username', 'in', DEMO_STAFF.map((u) => u.username)).execute();
  const now = ctx.nowIso();
  const asOf = today(ctx);
  const audit = (c: DemoCounts) => ({ actor: s.username, action: 'demo.generate', entity: 'portfolio', entityId: asOf, detail: { ...c, officers: DEMO_OFFICERS } });
  const opts = { borrowers: input.borrowers, today: asOf, actor: s.username, now };
  let generated: DemoCounts;
  if (store.kind === 'branch') generated = await generateOnServer(ctx, store, opts, audit);
  else {
    generated = generateDemo(store, { ...opts, audit });
    store.afterCommit();
  }
  const counts: DemoCounts & { documents: number } = { ...generated, documents: 0 };
  await runBatch(ctx, store, asOf, 'system');
  // A few approved downgrades and pending proposals, so the maker–checker history has something to show.
  const current = await store.db
    .selectFrom('loans as l')
    .innerJoin('loan_status as s', 's.loan_id', 'l.id')
    .select(['l.id', 'l.officer', 's.floor_level', 's.floor_reasons'])
    .where('s.level', '=', 'normal')
    .orderBy('l.id')
    .execute();
  const proposals: Insertable<ClassificationsTable>[] = [];
  const made = { approved: 0, pending: 0 };
  current.forEach((l, i) => {
    const row = { loan_id: l.id, level: 'special-mention' as const, floor_level: l.floor_level, floor_reasons: l.floor_reasons, proposed_by: l.officer, proposed_at: now };
    if (i % 97 === 5) {
      proposals.push({ ...row, reason: '借款人主营收入明显下降，列入关注', status: 'approved', decided_by: 'supervisor1', decided_at: now, decision_comment: '同意列入关注类' });
      made.approved++;
    } else if (i % 211 === 7) {
      proposals.push({ ...row, reason: '保证人涉诉，建议下调', status: 'pending', decided_by: null, decided_at: null, decision_comment: null });
      made.pending++;
    }
  });
  await store.db.transaction().execute(async (trx) => {
    // Some rows a statement (12 values each, well under SQLite's bound-parameter limit).
    for (let i = 0; i < proposals.length; i += 500) await trx.insertInto('classifications').values(proposals.slice(i, i + 500)).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'demo.classifications', entity: 'portfolio', entityId: asOf, detail: made });
  });
  const batch = await runBatch(ctx, store, asOf, 'system');
  counts.documents = await addDemoDocuments(ctx, store, s.username);
  return { ...counts, batchMs: batch.ms };
}
