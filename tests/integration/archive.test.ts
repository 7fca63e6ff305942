import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  approveDestruction,
  checklist,
  destructionPdf,
  executeDestruction,
  labelsPdf,
  lendFile,
  listLendings,
  proposeDestruction,
  returnFile,
  saveDocType,
  setLocation,
} from '../../src/main/features/archive/archive';
import { addDocument, listDocuments, removeDocument, replaceDocument, restoreDocument } from '../../src/main/features/documents/archiveDocuments';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { getDocument } from '../../src/main/features/reports/reports';
import { fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { documentBytesHeld } from '../helpers/storeSql';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';
import { addCollateral } from '../../src/main/features/loans/collateral';
import { collectionStage } from '../../src/main/features/collections/collections';

let env: TestEnv;
afterEach(() => env?.cleanup());

const PDF = (s: string) => Buffer.from(`%PDF-1.4\n% ${s}\n%%EOF\n`).toString('base64');

async function world() {
  env = newEnv();
  env.clock.t = Date.parse('2026-03-01T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const l = await loan(env.ctx, (await borrower(env.ctx)).id, { guaranteeModes: ['guarantee'] });
  return l.loan.id;
}

describe('archive', () => {
  it('the checklist follows the security the loan has: a mortgage registered on a 保证 contract asks for its contract and certificates too', async () => {
    const id = await world();
    expect((await checklist(env.ctx, { loanId: id })).items.map((i) => i.docType)).not.toContain('security-contract');
    await addCollateral(env.ctx, { loanId: id, kind: 'mortgage', type: '房产', description: '朝阳区住宅一套', owner: '张三', registrationAuthority: '不动产登记中心', registrationNo: '京抵2026第1号', valueFen: 50_000_000, valuedOn: '2026-03-01', certificates: [] });
    const c = await checklist(env.ctx, { loanId: id });
    expect(c.products).toEqual(['guarantee', 'mortgage']);
    expect(c.items.filter((i) => i.stage === 'disbursement').map((i) => i.docType)).toEqual(['application', 'credit-report', 'approval', 'contract', 'iou', 'guarantee-contract', 'security-contract', 'disbursement']);
    // So does the evidence a suit would need.
    expect((await collectionStage(env.ctx, { loanId: id })).checklist.map((i) => i.item)).toContain('security-contract');
  });

  it('the checklist follows the product and changes as documents are added, replaced, removed and restored', async () => {
    const id = await world();
    let c = await checklist(env.ctx, { loanId: id });
    expect(c.products).toEqual(['guarantee']);
    expect(c.items.map((i) => i.docType)).toEqual(['application', 'credit-report', 'approval', 'contract', 'iou', 'guarantee-contract', 'disbursement']);
    expect(c.missing).toBe(7);
    const doc = await addDocument(env.ctx, { loanId: id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF('v1') });
    await addDocument(env.ctx, { loanId: id, docType: 'guarantee-contract', fileName: '保证合同.pdf', base64: PDF('g') });
    c = await checklist(env.ctx, { loanId: id });
    expect(c.missing).toBe(5);
    const v2 = await replaceDocument(env.ctx, { documentId: doc.id, fileName: '借款合同（补签）.pdf', base64: PDF('v2') });
    expect(v2.replacesId).toBe(doc.id);
    const all = await listDocuments(env.ctx, { loanId: id, includeRemoved: true });
    expect(all.find((d) => d.id === doc.id)?.superseded).toBe(true);
    expect((await fail(replaceDocument(env.ctx, { documentId: doc.id, fileName: 'x.pdf', base64: PDF('v3') }))).code).toBe('RULE_VIOLATION');
    await removeDocument(env.ctx, { documentId: v2.id, reason: '误传' });
    expect((await listDocuments(env.ctx, { loanId: id, includeRemoved: false })).map((d) => d.fileName)).toEqual(['借款合同.pdf', '保证合同.pdf']);
    const restored = await restoreDocument(env.ctx, { documentId: v2.id, reason: '原件确认' });
    expect(restored.removed).toBeNull();
    // Refused: a type outside the catalogue, an empty file, an executable.
    expect((await fail(addDocument(env.ctx, { loanId: id, docType: 'nonsense', fileName: 'a.pdf', base64: PDF('x') }))).code).toBe('VALIDATION');
    expect((await fail(addDocument(env.ctx, { loanId: id, docType: 'iou', fileName: 'a.exe', base64: Buffer.from('MZ....').toString('base64') }))).message).toContain('类型不允许');
  });

  it('the archivist edits the catalogue; an officer may not', async () => {
    await world();
    expect((await fail(saveDocType(env.ctx, { code: 'tax', nameZh: '完税证明', nameEn: 'Tax certificate', sort: 200, active: true }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'archivist1');
    const types = await saveDocType(env.ctx, { code: 'tax', nameZh: '完税证明', nameEn: 'Tax certificate', sort: 200, active: true });
    expect(types.at(-1)).toMatchObject({ code: 'tax', nameZh: '完税证明' });
  });

  it('lending: a file out cannot be lent again, a file not out cannot be returned, overdue shows', async () => {
    const id = await world();
    await loginAs(env.ctx, 'archivist1');
    await setLocation(env.ctx, { loanId: id, room: '档案室A', cabinet: '03', shelf: '2', box: 'B-0107' });
    const lent = await lendFile(env.ctx, { loanId: id, borrowerUser: 'officer1', purpose: '贷后检查调阅', dueBack: '2026-03-05' });
    expect(lent).toMatchObject({ borrowerUser: 'officer1', lentOn: '2026-03-01', overdue: false });
    const again = await fail(lendFile(env.ctx, { loanId: id, borrowerUser: 'officer2', purpose: '调阅', dueBack: '2026-03-10' }));
    expect(again).toMatchObject({ code: 'RULE_VIOLATION' });
    // Who has it, by name, and until when, as the screens show them.
    expect(again.message).toBe(env.ctx.t('errors.fileAlreadyOut', { user: 'officer1', due: '2026年3月5日' }));
    await env.ctx.store!.db.updateTable('users').set({ display_name: '李明' }).where('username', '=', 'officer1').execute();
    expect((await fail(lendFile(env.ctx, { loanId: id, borrowerUser: 'officer2', purpose: '调阅', dueBack: '2026-03-10' }))).message).toContain('李明');
    env.clock.t = Date.parse('2026-03-09T02:00:00Z');
    await loginAs(env.ctx, 'archivist1');
    expect((await listLendings(env.ctx, { status: 'overdue' })).map((l) => l.loanId)).toEqual([id]);
    await returnFile(env.ctx, { loanId: id });
    expect((await fail(returnFile(env.ctx, { loanId: id }))).message).toContain('未借出');
    expect(await listLendings(env.ctx, { status: 'out' })).toEqual([]);
  });

  it('destruction needs retention to have ended and two different approvers; the archivist then carries it out once', async () => {
    const id = await world();
    const kept = await addDocument(env.ctx, { loanId: id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF('personal data') });
    const old = await addDocument(env.ctx, { loanId: id, docType: 'iou', fileName: '借据.pdf', base64: PDF('iou') });
    await removeDocument(env.ctx, { documentId: old.id, reason: '误传' });
    const db = () => env.ctx.store!.db;
    const held = await documentBytesHeld(env.ctx, [kept.id, old.id]);
    expect(await held()).toEqual([true, true]);
    await createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 20_000_000, note: '提前结清', excess: 'settle', confirm: true });
    await loginAs(env.ctx, 'archivist1');
    const early = await fail(proposeDestruction(env.ctx, { loanIds: [id], reason: '到期销毁' }));
    expect(early.message).toContain('2056年3月1日');
    env.clock.t = Date.parse('2056-03-02T02:00:00Z');
    await loginAs(env.ctx, 'archivist1');
    const list = await proposeDestruction(env.ctx, { loanIds: [id], reason: '保管期满' });
    expect((await fail(approveDestruction(env.ctx, { listId: list.id, approve: true }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'supervisor1');
    expect((await approveDestruction(env.ctx, { listId: list.id, approve: true })).status).toBe('approved-once');
    expect((await fail(approveDestruction(env.ctx, { listId: list.id, approve: true }))).code).toBe('RULE_VIOLATION');
    await loginAs(env.ctx, 'risk1');
    const done = await approveDestruction(env.ctx, { listId: list.id, approve: true });
    expect(done.status).toBe('approved');
    expect(done.approvals.map((a) => a.by)).toEqual(['supervisor1', 'risk1']);
    // Approvers do not carry it out; the archivist does, once: every electronic copy (the removed one too) is gone,
    // the rows stay as the record, marked with who, when and the list.
    expect((await fail(executeDestruction(env.ctx, { listId: list.id }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'archivist1');
    const carried = await executeDestruction(env.ctx, { listId: list.id });
    expect(carried).toMatchObject({ status: 'destroyed', destroyed: { by: 'archivist1', files: 2 } });
    expect(await held()).toEqual([false, false]);
    const rows = await db().selectFrom('documents').selectAll().where('loan_id', '=', id).orderBy('id').execute();
    expect(rows.map((r) => [r.id, r.file_ref, r.content.length, r.removed_by, r.removed_reason])).toEqual([
      [kept.id, null, 0, 'archivist1', `销毁清单 #${list.id}`],
      [old.id, null, 0, 'archivist1', `销毁清单 #${list.id}`],
    ]);
    // Gone for good: not readable, not restorable.
    expect((await fail(restoreDocument(env.ctx, { documentId: old.id, reason: '恢复' }))).message).toContain('已按销毁清单销毁');
    expect(await fail(getDocument(env.ctx, { documentId: kept.id }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('借款合同.pdf') });
    const again = await fail(executeDestruction(env.ctx, { listId: list.id }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain('不能重复执行');
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'archive.executeDestruction').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].detail)).toEqual({ loans: [id], documents: [kept.id, old.id] });
    // The certificate (销毁清单) from the records kept.
    const { fileName, base64 } = await destructionPdf(env.ctx, { listId: list.id });
    expect(fileName).toBe(`档案销毁清单_第${list.id}号.pdf`);
    const file = join(env.root, 'destruction.pdf');
    writeFileSync(file, Buffer.from(base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const s of ['档案销毁清单', '保管期满', 'HT-2026-0001', '张三', '借款合同.pdf', '借据.pdf', 'supervisor1', 'risk1', 'archivist1']) expect(text, s).toContain(s);
  });

  it('prints a box label and the file cover with its catalogue of contents', async () => {
    const id = await world();
    await addDocument(env.ctx, { loanId: id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF('c') });
    await loginAs(env.ctx, 'archivist1');
    await setLocation(env.ctx, { loanId: id, room: '档案室A', cabinet: '03', shelf: '2', box: 'B-0107' });
    const { base64 } = await labelsPdf(env.ctx, { loanIds: [id] });
    const file = join(env.root, 'labels.pdf');
    writeFileSync(file, Buffer.from(base64, 'base64'));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('卷内目录');
    expect(text).toContain('HT-2026-0001');
    expect(text).toContain('B-0107');
    expect(text).toContain('借款合同.pdf');
    expect(readFileSync(file).length).toBeGreaterThan(1000);
  });
});

describe('handover', () => {
  it('a supervisor moves loans to another officer and prints the handover list; an officer may not', async () => {
    const id = await world();
    const { reassignLoans } = await import('../../src/main/features/archive/archive');
    expect((await fail(reassignLoans(env.ctx, { loanIds: [id], toOfficer: 'officer2', reason: '岗位调整' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'supervisor1');
    expect((await fail(reassignLoans(env.ctx, { loanIds: [id], toOfficer: 'archivist1', reason: '岗位调整' }))).code).toBe('VALIDATION');
    const { base64 } = await reassignLoans(env.ctx, { loanIds: [id], toOfficer: 'officer2', reason: '岗位调整' });
    const file = join(env.root, 'handover.pdf');
    writeFileSync(file, Buffer.from(base64, 'base64'));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('移交清单');
    expect(text).toContain('HT-2026-0001');
    expect(text).toContain('接收人：officer2');
    await loginAs(env.ctx, 'officer2');
    expect((await checklist(env.ctx, { loanId: id })).loanId).toBe(id);
  });
});
