import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allows } from '../../src/shared/ipc/access';
import { access, contract, PUBLIC_CHANNELS, type Channel } from '../../src/shared/ipc/contract';
import type { Result } from '../../src/shared/ipc/errors';
import { translate } from '../../src/shared/i18n';
import { can, ROLES, type Role } from '../../src/shared/permissions';
import { guards, handlers } from '../../src/main/features/index';
import { createDispatcher, type Dispatch, type Handler, type Handlers } from '../../src/main/kernel/dispatch';
import { createBorrower } from '../../src/main/features/borrowers/borrowers';
import { proposeClassification } from '../../src/main/features/repayments/classification';
import { addCollateral } from '../../src/main/features/loans/collateral';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { createFactoring } from '../../src/main/features/factoring/factoring';
import { proposeWriteOff } from '../../src/main/features/loanChanges/loanChanges';
import { getLoan } from '../../src/main/features/loans/loans';
import { confirmNotices, prepareNotices } from '../../src/main/features/collections/notices';
import { attachToReport, createReport } from '../../src/main/features/reports/reports';
import { createRepayment, reverseRepayment } from '../../src/main/features/repayments/repayments';
import { addBorrowerContact, addRelatedParty } from '../../src/main/features/borrowers/relatedParties';
import { addAssetLead } from '../../src/main/features/collections/assetLeads';
import { addWorklog } from '../../src/main/features/worklog/worklog';
import { addPreservation, openLegalCase, proposeNplPlan } from '../../src/main/features/legal/commands';
import { runBatchCommand } from '../../src/main/jobs/dailyBatch';
import { waitForRotation } from '../../src/main/features/keys/rotation';
import { sample } from '../helpers/payloads';
import { newEnv, setUp, type TestEnv } from '../helpers/context';
import { storeWrites } from '../helpers/storeSql';
import { actAs, borrower, createStaff, creditCode, loan, loginAs, residentId } from '../helpers/portfolio';

/**
 * The declarations in src/shared/ipc/<feature>.ts, walked over every role × every channel with the real
 * handlers on one seeded store, plus every officer-scoped channel called by one officer on another's records.
 */

// Who may ask for a document is the question here, not its typesetting: documents are built from the data
// as usual, but not laid out in CJK fonts (seconds each, a few dozen times over).
vi.mock('../../src/main/pdf/render', async (original) => ({ ...(await original<object>()), renderPdf: async () => Buffer.from('%PDF-1.4\n%%EOF\n') }));

const CHANNELS = Object.keys(contract) as Channel[];
const USER: Record<Role, string> = { officer: 'officer1', collector: 'collector1', supervisor: 'supervisor1', risk: 'risk1', archivist: 'archivist1', admin: 'admin' };
const FORBIDDEN = translate('zh-CN', 'errors.forbidden');

// officer2's borrower and loan: none of this may ever reach officer1.
const SECRET = { contractNo: 'HT-O2-SECRET-01', idNumber: residentId('11010119850203456'), phone: '13912345678', address: '上海市浦东新区世纪大道100号', partyPhone: '13787654321' };
const SECRETS = Object.values(SECRET);

let env: TestEnv;
/** The channels whose handler the dispatcher let a call through to, since the last reset. */
const reached = new Set<Channel>();
let dispatch: Dispatch;
/** officer2's records, by the input field that names them; and where one channel needs a particular one. */
let others: Record<string, number | string | number[]>;
let othersFor: Partial<Record<Channel, Record<string, number>>>;

/** These would end the test's session or fill the store with a demo portfolio: reaching them is enough. */
const NOT_RUN = new Set<Channel>(['session.logout', 'setup.create', 'demo.generate']);

function spyHandlers(): Handlers<Channel> {
  return Object.fromEntries(
    CHANNELS.map((c) => [
      c,
      (ctx: Parameters<Handler<Channel>>[0], input: never) => {
        reached.add(c);
        return NOT_RUN.has(c) ? null : (handlers[c] as Handler<Channel>)(ctx, input);
      },
    ]),
  ) as unknown as Handlers<Channel>;
}

/** A valid payload from the schema; paths kept inside the test's folder, the batch run for today. */
function payload(ch: Channel): Record<string, unknown> {
  const p = sample(contract[ch] as never) as Record<string, unknown>;
  const none = join(env.root, 'nothing-here');
  const over: Partial<Record<Channel, Record<string, unknown>>> = {
    'archive.export': { targetDir: none },
    'archive.verify': { file: none },
    'archive.importPackage': { file: none },
    'archive.importStart': { file: none },
    'batch.run': { asOf: null },
    'session.login': { username: 'nobody' },
    // Refused here (this PC has a store); no server is reached.
    'setup.createOnServer': { url: 'postgresql://lk@127.0.0.1:9/nothing' },
    'setup.joinServer': { url: 'postgresql://lk@127.0.0.1:9/nothing' },
    // Nothing listens on port 9: the move and the switch fail to connect, after the access check.
    'backups.moveToServer': { url: 'postgresql://lk@127.0.0.1:9/nothing' },
    'backups.switchToServer': { url: 'postgresql://lk@127.0.0.1:9/nothing' },
  };
  return { ...p, ...over[ch] };
}

const changes = () => storeWrites(env.ctx);
const leaks = (r: unknown) => SECRETS.filter((s) => JSON.stringify(r).includes(s));

async function call(user: string | null, ch: Channel, input: unknown): Promise<{ r: Result<unknown>; reachedHandler: boolean; wrote: boolean }> {
  if (user) await actAs(env.ctx, user);
  else env.ctx.session = null;
  reached.clear();
  const before = await changes();
  const r = await dispatch(ch, input);
  // `keys.rotate` starts a rotation in the background; until it has finished, the store refuses other calls.
  await waitForRotation(env.ctx);
  return { r, reachedHandler: reached.has(ch), wrote: (await changes()) !== before };
}

beforeAll(async () => {
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  // officer1's records come first: the payloads' ids (1) point at them.
  const a = await borrower(env.ctx, '张三');
  const l1 = await loan(env.ctx, a.id, { contractNo: 'HT-O1-0001', guaranteeModes: ['mortgage'] });
  await addCollateral(env.ctx, { loanId: l1.loan.id, kind: 'mortgage', type: '房产', description: '住宅', owner: '张三', registrationAuthority: '不动产登记中心', registrationNo: '京抵1', valueFen: 50_000_000, valuedOn: '2026-01-10', certificates: [{ certNo: 'C-1', certType: '不动产权证书' }] });

  await actAs(env.ctx, 'officer2');
  const b2 = await createBorrower(env.ctx, { kind: 'person', name: '王小五', idNumber: SECRET.idNumber, phone: SECRET.phone, address: SECRET.address, employer: '', legalRep: '', industry: '', registeredCapitalFen: null, tier: 'normal' });
  const l2 = (await loan(env.ctx, b2.id, { contractNo: SECRET.contractNo, officer: 'officer2', guaranteeModes: ['mortgage'] })).loan.id;
  const withCollateral = await addCollateral(env.ctx, { loanId: l2, kind: 'mortgage', type: '房产', description: '住宅', owner: '王小五', registrationAuthority: '不动产登记中心', registrationNo: '沪抵2', valueFen: 50_000_000, valuedOn: '2026-01-10', certificates: [{ certNo: 'C-2', certType: '不动产权证书' }] });
  const paid = await createRepayment(env.ctx, { loanId: l2, paidOn: '2026-02-15', amountFen: 100_000, note: '' });
  // A reversal of officer2's payment waiting for approval.
  await reverseRepayment(env.ctx, { repaymentId: paid.repayments[0].id, reason: '录入错误' });
  const seller = await createBorrower(env.ctx, { kind: 'enterprise', name: '福州恒信商贸有限公司', idNumber: creditCode('91350100M00010000'), phone: '', address: '福州市鼓楼区五一路1号', employer: '', legalRep: '林某', industry: '批发和零售业', registeredCapitalFen: null, tier: 'normal' });
  const factoring = await createFactoring(env.ctx, {
    financing: { contractNo: 'BL-O2-0001', borrowerId: seller.id, product: '国内保理', principalFen: 8_000_000, annualRate: '8', months: 3, method: 'bullet', startDate: '2026-02-10', penaltyUplift: '0.5', purpose: '', guaranteeModes: ['credit'], officer: 'officer2' },
    recourse: true,
    financingRatio: '80',
    feeFen: 0,
    receivables: [{ debtorName: '厦门鑫源建材有限公司', debtorCode: creditCode('91350200M00020000'), debtorAddress: '厦门市思明区湖滨南路100号', invoiceNo: 'FP001', invoiceAmountFen: 10_000_000, invoiceDate: '2026-01-05', dueDate: '2026-05-10' }],
  });
  // The day's batch: statuses, warnings and inspection plans; reads after this have nothing to recompute.
  await actAs(env.ctx, 'supervisor1');
  await runBatchCommand(env.ctx, { asOf: null });
  await actAs(env.ctx, 'officer2');
  const db = env.ctx.store!.db;
  const routine = await db.selectFrom('inspections').select('id').where('loan_id', '=', l2).where('kind', '=', 'routine').orderBy('due_date').executeTakeFirstOrThrow();
  const report = await createReport(env.ctx, {
    inspectionId: routine.id,
    visitDate: '2026-11-20',
    data: { operations: '经营正常。', revenueFen: 100_000, totalAssetsFen: 800_000, liabilitiesFen: 360_000, cashFen: 55_000, fundFlows: '采购原材料。', guarantorsCondition: '正常。', collateralState: 'intact', collateralValueFen: 2_000_000, warningsFound: '', firstRepaymentSource: '经营收入。', conclusion: '维持。', proposedLevel: 'normal' },
  });
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])]);
  const attached = await attachToReport(env.ctx, { reportId: report.id, fileName: '现场.jpg', base64: photo.toString('base64'), caption: '' });
  const doc = await addDocument(env.ctx, { loanId: l2, docType: 'contract', fileName: '借款合同.pdf', base64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') });
  const contacts = await addBorrowerContact(env.ctx, { borrowerId: b2.id, kind: 'phone', label: '单位电话', value: '021-55550000', note: '' });
  const parties = await addRelatedParty(env.ctx, { borrowerId: b2.id, relation: 'spouse', kind: 'person', name: '李小梅', idNumber: '', phone: SECRET.partyPhone, address: '', note: '' });
  const leads = await addAssetLead(env.ctx, { loanId: l2, kind: 'vehicle', description: '小型轿车 沪A12345', location: '上海', holder: '王小五', seizedByOthers: false, seizedNote: '', source: '走访', foundOn: '2026-11-20' });
  const entry = await addWorklog(env.ctx, { borrowerId: b2.id, loanId: l2, entryDate: '2026-11-20', kind: 'call', content: '电话催收' });
  await proposeClassification(env.ctx, { loanId: l2, level: 'loss', reason: '长期逾期' });
  await proposeWriteOff(env.ctx, { loanId: l2, reason: '无法收回', evidence: '法院终结执行裁定' });
  // Transferred to legal (the event the transfer writes; its evidence checklist is not the point here), with a case and a preservation.
  await db.insertInto('loan_events').values({ loan_id: l2, event_date: '2026-11-20', kind: 'legal-transfer', detail: '{}', created_by: 'officer2', created_at: env.ctx.nowIso() }).execute();
  await openLegalCase(env.ctx, { loanId: l2, court: '上海市浦东新区人民法院', caseNo: '' });
  await addPreservation(env.ctx, { loanId: l2, what: '冻结存款', rulingNo: '', fromDate: '2026-11-20', untilDate: '2027-11-19' });
  const legal = await proposeNplPlan(env.ctx, { loanId: l2, accountability: '调查不实', method: 'litigation', plan: '起诉' });
  const printed = await prepareNotices(env.ctx, { items: [{ loanId: l2, docType: 'overdue-notice' }], asOf: null, payBy: null });
  await confirmNotices(env.ctx, { batchId: printed.batchId! });
  const open = await prepareNotices(env.ctx, { items: [{ loanId: l2, docType: 'demand-letter' }], asOf: null, payBy: null });
  const detail = await getLoan(env.ctx, { id: l2, asOf: null });
  const one = async (table: 'warnings' | 'classifications' | 'loan_changes' | 'receivables') =>
    table === 'receivables'
      ? (await db.selectFrom('receivables as r').innerJoin('loans as l', 'l.id', 'r.loan_id').select('r.id').where('l.officer', '=', 'officer2').executeTakeFirstOrThrow()).id
      : (await db.selectFrom(table).select('id').where('loan_id', '=', l2).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  others = {
    loanId: l2,
    loanIds: [l2],
    borrowerId: b2.id,
    inspectionId: routine.id,
    reportId: report.id,
    documentId: doc.id,
    warningId: await one('warnings'),
    collateralId: withCollateral.collateral[0].id,
    certificateId: withCollateral.collateral[0].certificates[0].id,
    repaymentId: paid.repayments[0].id,
    proposalId: await one('classifications'),
    changeId: await one('loan_changes'),
    receivableId: await one('receivables'),
    entryId: entry.id,
    contactId: contacts.contacts[0].id,
    partyId: parties.relatedParties[0].id,
    leadId: leads[0].id,
    serial: printed.notices[0].serial,
    batchId: open.batchId!,
    reversalId: (await db.selectFrom('repayment_reversals').select('id').where('loan_id', '=', l2).executeTakeFirstOrThrow()).id,
    preservationId: legal.cases[0].preservations[0].id,
    planId: legal.plans[0].id,
    debtorId: (await db.selectFrom('receivables').select('debtor_id').where('loan_id', '=', factoring.loan.id).executeTakeFirstOrThrow()).debtor_id,
  };
  othersFor = {
    'factoring.get': { loanId: factoring.loan.id },
    'factoring.setDebtorRelatedParty': { loanId: factoring.loan.id },
    'factoring.addReceivables': { loanId: factoring.loan.id },
    'factoring.setCollectionAccount': { loanId: factoring.loan.id },
    'reports.detach': { documentId: attached.attachments[0].documentId },
  };
  expect(detail.loan.officer).toBe('officer2');
  dispatch = createDispatcher(env.ctx, spyHandlers(), { error: () => {} }, guards);
}, 120_000);
afterAll(() => env.cleanup());

/** Ids that name records, but not records anyone owns (a catalogue entry). */
const SHARED_IDS = new Set(['signalId']);

/** The payload with every record it names replaced by officer2's; fails on a field no officer2 record stands for. */
function othersPayload(ch: Channel, p: unknown, ids: Record<string, unknown>, key = ''): unknown {
  if (Array.isArray(p)) return key in ids ? ids[key] : p.map((x) => othersPayload(ch, x, ids));
  if (p === null || typeof p !== 'object') {
    if (key === 'id') return access[ch].scope === 'borrower' ? ids.borrowerId : ids.loanId;
    if (key in ids) return ids[key];
    if (/(Id|Ids)$/.test(key) && !SHARED_IDS.has(key)) throw new Error(`${ch}: no other officer's record for ${key}`);
    return p;
  }
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, othersPayload(ch, v, ids, k)]));
}

describe('the declaration covers every channel', () => {
  it('public channels are those declared public; every other channel needs a session', () => {
    expect([...PUBLIC_CHANNELS].sort()).toEqual(CHANNELS.filter((c) => access[c].who === 'public').sort());
    expect([...PUBLIC_CHANNELS].sort()).toEqual(['app.info', 'app.setLocale', 'backups.restoreStart', 'backups.restoreStatus', 'session.heartbeat', 'session.login', 'session.logout', 'session.recover', 'session.unlock', 'setup.confirmRecoveryKey', 'setup.create', 'setup.createOnServer', 'setup.defaults', 'setup.forgetDataDir', 'setup.joinServer', 'setup.recoveryKeyPdf', 'setup.useDataDir', 'shell.pickFile', 'shell.pickFolder']);
    for (const c of CHANNELS) expect(Object.keys(access), c).toContain(c);
  });

  // A new loan (or factoring financing) may go to any borrower an officer finds, so that nobody is registered twice;
  // the officer may only make themselves its officer, and from then on manages the borrower too.
  const NEW_LOAN = new Set<Channel>(['loans.create', 'factoring.create']);

  it('an officer-scoped channel is declared for every channel that names a loan or a borrower', () => {
    const names = (p: unknown, key = ''): string[] =>
      Array.isArray(p) ? [key, ...p.flatMap((x) => names(x))] : p && typeof p === 'object' ? Object.entries(p).flatMap(([k, v]) => names(v, k)) : [key];
    const owned = /^(loanId|loanIds|borrowerId|inspectionId|reportId|documentId|warningId|collateralId|certificateId|repaymentId|proposalId|changeId|receivableId|entryId|serial|batchId|reversalId|preservationId|planId|contactId|partyId|leadId)$/;
    const unscoped = CHANNELS.filter((c) => !NEW_LOAN.has(c) && !access[c].scope && names(sample(contract[c] as never)).some((k) => owned.test(k)));
    expect(unscoped).toEqual([]);
  });
});

describe("an officer on another officer's loans and borrowers", () => {
  const scoped = () => CHANNELS.filter((c) => access[c].scope);

  it("gets FORBIDDEN or NOT_FOUND on every scoped channel (or, where a list skips, the same as for a record that does not exist), never the data, and nothing is written", async () => {
    const problems: string[] = [];
    const missing = Object.fromEntries(Object.entries(others).map(([k, v]) => [k, Array.isArray(v) ? [999_999] : typeof v === 'number' ? 999_999 : 'NONE-0000']));
    for (const ch of scoped()) {
      const input = othersPayload(ch, payload(ch), { ...others, ...othersFor[ch] });
      const { r, wrote } = await call('officer1', ch, input);
      if (leaks(r).length) problems.push(`${ch}: shows ${leaks(r).join(', ')}`);
      if (wrote) problems.push(`${ch}: wrote`);
      if (r.ok) {
        // Only as if the record were not there at all.
        const gone = await call('officer1', ch, othersPayload(ch, payload(ch), missing));
        const norm = (x: unknown, ids: Record<string, unknown>) => {
          const vals = new Set(Object.values(ids).flat().flatMap((v) => [v, String(v)]));
          return JSON.parse(JSON.stringify(x), (_k, v) => (vals.has(v) ? '<record>' : v));
        };
        if (JSON.stringify(norm(r, { ...others, ...othersFor[ch] })) !== JSON.stringify(norm(gone.r, missing))) problems.push(`${ch}: answered ${JSON.stringify(r).slice(0, 160)}`);
      } else if (r.error.code !== 'FORBIDDEN' && r.error.code !== 'NOT_FOUND') problems.push(`${ch}: ${r.error.code} ${r.error.message}`);
    }
    expect(problems).toEqual([]);
  });

  it('while the officer who holds them is not refused (the records above are real)', async () => {
    const problems: string[] = [];
    const notYours = new Set([translate('zh-CN', 'errors.notYourLoan'), translate('zh-CN', 'errors.notYourBorrower')]);
    for (const ch of scoped()) {
      if (!allows(access[ch], (p) => can(['officer'], p))) continue;
      const { r } = await call('officer2', ch, othersPayload(ch, payload(ch), { ...others, ...othersFor[ch] }));
      if (!r.ok && (r.error.code === 'NOT_FOUND' || notYours.has(r.error.message))) problems.push(`${ch}: ${r.error.code} ${r.error.message}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('role × channel', () => {
  it.each(ROLES)('a user with only the %s role gets FORBIDDEN exactly where the declaration says so', async (role) => {
    const problems: string[] = [];
    for (const ch of CHANNELS) {
      const declared = access[ch];
      const allowed = allows(declared, (p) => can([role], p));
      const { r, reachedHandler, wrote } = await call(USER[role], ch, payload(ch));
      if (reachedHandler !== allowed) problems.push(`${ch}: handler ${reachedHandler ? 'reached' : 'not reached'}, declaration ${allowed ? 'allows' : 'forbids'}`);
      if (!allowed) {
        if (r.ok || r.error.code !== 'FORBIDDEN' || r.error.message !== FORBIDDEN) problems.push(`${ch}: refused with ${JSON.stringify(r).slice(0, 120)}`);
        if (wrote) problems.push(`${ch}: wrote although refused`);
      } else {
        // A handler's own permission check stricter than the declaration: the declaration would lie.
        if (!r.ok && r.error.code === 'FORBIDDEN' && r.error.message === FORBIDDEN) problems.push(`${ch}: declared allowed, the handler says forbidden`);
        if (!declared.write && wrote) problems.push(`${ch}: declared a read, but wrote`);
      }
      if (role === 'officer' && leaks(r).length) problems.push(`${ch}: shows officer2's ${leaks(r).join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('roles add up: a user with two roles may call what either may', async () => {
    const plain = createDispatcher(env.ctx, Object.fromEntries(CHANNELS.map((c) => [c, () => 'reached'])) as unknown as Handlers<Channel>, { error: () => {} });
    const problems: string[] = [];
    for (const [i, r1] of ROLES.entries()) {
      for (const r2 of ROLES.slice(i + 1)) {
        for (const ch of CHANNELS) {
          env.ctx.session = { username: USER[r1], displayName: '', roles: [r1, r2], mustChangePassword: false, locked: false, lastActivity: env.clock.now().getTime(), idleMinutes: 240 };
          const r = await plain(ch, payload(ch));
          const allowed = allows(access[ch], (p) => can([r1], p) || can([r2], p));
          if ((r.ok && r.value === 'reached') !== allowed) problems.push(`${r1}+${r2} ${ch}: ${JSON.stringify(r).slice(0, 80)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("a refusal crosses as {code, message} in the user's language", async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      env.ctx.saveConfig({ locale });
      const { r } = await call('officer1', 'users.list', {});
      expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: translate(locale, 'errors.forbidden') } });
      const locked = await call(null, 'loans.list', payload('loans.list'));
      expect(locked.r).toEqual({ ok: false, error: { code: 'LOCKED', message: translate(locale, 'errors.notLoggedIn') } });
    }
  });

  it('without a session only public channels are reached; the rest answer LOCKED', async () => {
    const problems: string[] = [];
    for (const ch of CHANNELS) {
      const { r, reachedHandler, wrote } = await call(null, ch, payload(ch));
      const isPublic = access[ch].who === 'public';
      if (reachedHandler !== isPublic) problems.push(`${ch}: handler ${reachedHandler ? 'reached' : 'not reached'}`);
      if (!isPublic && (r.ok || r.error.code !== 'LOCKED')) problems.push(`${ch}: ${JSON.stringify(r).slice(0, 120)}`);
      if (!isPublic && wrote) problems.push(`${ch}: wrote without a session`);
    }
    expect(problems).toEqual([]);
  });
});
