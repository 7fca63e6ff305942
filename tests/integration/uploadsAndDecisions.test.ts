import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/ipc/contract';
import type { DocumentView } from '../../src/shared/ipc/documents';
import type { LoanDetail } from '../../src/shared/ipc/loans';
import type { LoanChangeView } from '../../src/shared/ipc/loanChanges';
import type { Result } from '../../src/shared/ipc/errors';
import { checklist } from '../../src/main/features/archive/archive';
import { listDocuments } from '../../src/main/features/documents/archiveDocuments';
import { pendingClassifications, proposeClassification } from '../../src/main/features/repayments/classification';
import { applyExtension } from '../../src/main/features/loanChanges/loanChanges';
import { getSettings, updateSettings } from '../../src/main/features/settings/settings';
import { DEFAULT_SETTINGS } from '../../src/main/kernel/settings';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const JPEG = (bytes: number) => {
  const b = Buffer.alloc(bytes, 0x20);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  return b.toString('base64');
};

async function world(now = '2026-03-01') {
  env = newEnv();
  env.clock.t = Date.parse(`${now}T02:00:00Z`);
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  const l = await loan(env.ctx, b.id, { guaranteeModes: ['guarantee'] });
  return { loanId: l.loan.id, borrowerId: b.id, d: dispatcherFor(env.ctx) };
}

function refusal(r: Result<unknown>) {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

describe('archive uploads', () => {
  it('an upload without a type is refused and files nothing; the checklist stays short', async () => {
    const { loanId, d } = await world();
    const missing = (await checklist(env.ctx, { loanId })).missing;
    const docx = Buffer.from('PK\x03\x04fake-docx').toString('base64'); // the 11-byte “docx” of the report
    for (const input of [
      { loanId, fileName: '借款申请书.docx', base64: docx },
      { loanId, docType: '', fileName: '借款申请书.docx', base64: docx },
      { loanId, docType: null, fileName: '借款申请书.docx', base64: docx },
    ]) {
      const e = refusal(await d('documents.add', input));
      expect(e.code).toBe('VALIDATION');
      expect(e.issues?.map((i) => i.path)).toContain('docType');
    }
    expect(await listDocuments(env.ctx, { loanId, includeRemoved: true })).toEqual([]);
    expect((await checklist(env.ctx, { loanId })).missing).toBe(missing);
    // With the type chosen, the same call files it under that type.
    const r = (await d('documents.add', { loanId, docType: 'contract', fileName: '借款合同.pdf', base64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') })) as Result<DocumentView>;
    expect(r.ok && r.value.docType).toBe('contract');
    expect((await checklist(env.ctx, { loanId })).missing).toBe(missing - 1);
  });

  it('an empty file and a HEIC photo are refused by name, on the file field; the bytes decide, not the extension', async () => {
    const { loanId, d } = await world();
    const empty = refusal(await d('documents.add', { loanId, docType: 'contract', fileName: '空白扫描.pdf', base64: '' }));
    expect(empty).toMatchObject({ code: 'VALIDATION', message: '文件“空白扫描.pdf”是空的，未保存。' });
    expect(empty.issues).toEqual([{ path: 'file', message: empty.message }]);
    // An iPhone photo renamed to .jpg is still HEIC.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(40, 1)]);
    for (const name of ['IMG_0001.HEIC', 'IMG_0002.jpg']) {
      const e = refusal(await d('documents.add', { loanId, docType: 'inspection-photo', fileName: name, base64: heic.toString('base64') }));
      expect(e.code).toBe('VALIDATION');
      expect(e.message).toContain(`“${name}”是 HEIC/HEIF 格式`);
      expect(e.message).toContain('JPEG');
    }
    // A JPEG named .heic is a JPEG.
    const ok = (await d('documents.add', { loanId, docType: 'inspection-photo', fileName: 'IMG_0003.heic', base64: JPEG(100) })) as Result<DocumentView>;
    expect(ok.ok && ok.value.mime).toBe('image/jpeg');
    const fake = refusal(await d('documents.add', { loanId, docType: 'contract', fileName: '合同.docx', base64: Buffer.from('hello world').toString('base64') }));
    expect(fake.message).toContain('“合同.docx”的类型不允许');
    expect((await listDocuments(env.ctx, { loanId, includeRemoved: true })).map((x) => x.fileName)).toEqual(['IMG_0003.heic']);
  });

  it('the size limit is the setting (50 MB unless changed, 1–100), and the refusal states it in MB', async () => {
    const { loanId, d } = await world();
    expect(DEFAULT_SETTINGS.attachmentMaxMb).toBe(50);
    await loginAs(env.ctx, 'admin');
    expect((await getSettings(env.ctx)).attachmentMaxMb).toBe(50);
    expect(refusal(await d('settings.update', { ...(await getSettings(env.ctx)), attachmentMaxMb: 101 })).code).toBe('VALIDATION');
    await updateSettings(env.ctx, { ...(await getSettings(env.ctx)), attachmentMaxMb: 1 });
    await loginAs(env.ctx, 'officer1');
    expect((await d('settings.limits', {})) as Result<unknown>).toMatchObject({ ok: true, value: { attachmentMaxMb: 1 } });
    const big = refusal(await d('documents.add', { loanId, docType: 'contract', fileName: '合同扫描.jpg', base64: JPEG(1024 * 1024 + 1) }));
    expect(big.message).toBe('文件“合同扫描.jpg”超过 1 MB 的上限，未保存。');
    expect(((await d('documents.add', { loanId, docType: 'contract', fileName: '合同扫描.jpg', base64: JPEG(1024 * 1024) })) as Result<DocumentView>).ok).toBe(true);
  });
});

describe('approving needs no comment; rejecting does', () => {
  const decisions = ['changes.decide', 'classification.decide', 'repayments.decideReversal'] as const;
  const idOf = { 'changes.decide': 'changeId', 'classification.decide': 'proposalId', 'repayments.decideReversal': 'reversalId' } as const;

  it.each(decisions)('%s: the contract takes an empty comment on approval only', (ch) => {
    const schema = contract[ch];
    expect(schema.safeParse({ [idOf[ch]]: 1, approve: true, comment: '' }).success).toBe(true);
    const rejected = schema.safeParse({ [idOf[ch]]: 1, approve: false, comment: '   ' });
    expect(rejected.success).toBe(false);
    expect(rejected.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['comment', 'validation.rejectComment']]);
    expect(schema.safeParse({ [idOf[ch]]: 1, approve: false, comment: '材料不全' }).success).toBe(true);
  });

  it('a supervisor approves an extension and a classification without a word, and must say why to reject', async () => {
    const env0 = await world('2026-05-01');
    const l = await loan(env.ctx, env0.borrowerId, { contractNo: 'HT-2026-0002', method: 'monthly-interest', months: 6, startDate: '2026-01-10' });
    const ext = await applyExtension(env.ctx, { loanId: l.loan.id, newMaturity: '2026-12-10', reason: '订单回款延迟' });
    await proposeClassification(env.ctx, { loanId: env0.loanId, level: 'substandard', reason: '经营停滞' });
    const [p] = await pendingClassifications(env.ctx);
    await loginAs(env.ctx, 'supervisor1');
    const d = env0.d;
    const noWhy = refusal(await d('changes.decide', { changeId: ext.id, approve: false, comment: '' }));
    expect(noWhy.code).toBe('VALIDATION');
    expect(noWhy.issues).toEqual([{ path: 'comment', message: '退回或不同意时须写明理由' }]);
    const approved = (await d('changes.decide', { changeId: ext.id, approve: true, comment: '' })) as Result<LoanChangeView>;
    expect(approved.ok && approved.value.status).toBe('approved');
    expect(refusal(await d('classification.decide', { proposalId: p.id, approve: false, comment: ' ' })).code).toBe('VALIDATION');
    const cls = (await d('classification.decide', { proposalId: p.id, approve: true, comment: '' })) as Result<LoanDetail>;
    expect(cls.ok && cls.value.state.level).toBe('substandard');
  });
});
