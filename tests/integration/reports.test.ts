import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatFen } from '../../src/shared/domain';
import type { PostReportData } from '../../src/shared/ipc/reports';
import { listInspections } from '../../src/main/features/inspections/inspections';
import { cardPdfByContract, reportPdf } from '../../src/main/features/loans/printing';
import { acceptReport, attachToReport, correctReport, createReport, getDocument, reportQueue, returnReport, returnSignedReport, signReport, submitReport, updateReport } from '../../src/main/features/reports/reports';
import { getSettings, updateSettings } from '../../src/main/features/settings/settings';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { documentsAtRest } from '../helpers/storeSql';
import { createBorrower } from '../../src/main/features/borrowers/borrowers';
import { borrower, createStaff, creditCode, loan, loginAs, residentId } from '../helpers/portfolio';
import { addCollateral, addGuarantee } from '../../src/main/features/loans/collateral';

let env: TestEnv;
afterEach(() => env?.cleanup());

/** A printed PDF's text in reading order, whitespace removed (a wrapped cell's lines stay together). */
function pdfText(pdf: { base64: string }, name: string): string {
  const file = join(env.root, `${name}.pdf`);
  writeFileSync(file, Buffer.from(pdf.base64, 'base64'));
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}
const count = (text: string, word: string) => text.split(word).length - 1;

/** A small file that starts like a real JPEG (the type is read from the bytes). */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0现场照片-PHOTO-PROBE'), Buffer.alloc(2000, 7), Buffer.from([0xff, 0xd9])]);

const full: PostReportData = {
  operations: '经营正常，订单饱满，主要客户稳定。',
  revenueFen: 1_250_000_00,
  totalAssetsFen: 800_000_00,
  liabilitiesFen: 360_000_00,
  cashFen: 55_000_00,
  fundFlows: '贷款资金用于采购原材料，有购销合同和发票。',
  guarantorsCondition: '保证人工作稳定，收入正常。',
  collateralState: 'intact',
  collateralValueFen: 2_000_000_00,
  warningsFound: '',
  firstRepaymentSource: '经营收入，月均回款约 10 万元。',
  conclusion: '借款人经营正常，还款来源充足，维持正常类。',
  proposedLevel: 'normal',
};

async function world() {
  env = newEnv();
  env.clock.t = Date.parse('2026-06-15T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  // Entered the day it was disbursed, so the whole plan lies ahead.
  env.clock.t = Date.parse('2026-03-02T02:00:00Z');
  const l = await loan(env.ctx, b.id, { startDate: '2026-03-02', method: 'equal-installment' });
  env.clock.t = Date.parse('2026-06-15T02:00:00Z');
  // Months passed: the session has idled out, so sign in again.
  await loginAs(env.ctx, 'officer1');
  return l;
}

describe('inspection reports', () => {
  it('plans the first and routine inspections for a new loan', async () => {
    const l = await world();
    const plan = await listInspections(env.ctx, { loanId: l.loan.id, status: null, dueBefore: null });
    expect(plan[0]).toMatchObject({ kind: 'first', dueDate: '2026-03-17', overdue: true });
    expect(plan.filter((p) => p.kind === 'routine').map((p) => p.dueDate).slice(0, 2)).toEqual(['2026-06-02', '2026-09-02']);
  });

  it('runs draft → return → resubmit → sign → accept with every role, and refuses the forbidden paths', async () => {
    const l = await world();
    const routine = (await listInspections(env.ctx, { loanId: l.loan.id, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const draft = await createReport(env.ctx, { inspectionId: routine.id, visitDate: '2026-06-10', data: { operations: '经营正常', revenueFen: 100 } });
    expect(draft).toMatchObject({ status: 'draft', reportDue: '2026-06-17' });
    // Submitting an incomplete report names every missing field.
    const incomplete = await fail(submitReport(env.ctx, { reportId: draft.id }));
    expect(incomplete.code).toBe('VALIDATION');
    expect(incomplete.issues!.find((i) => i.path === 'data.fundFlows')?.message).toBe('此项必填');
    // A personal borrower keeps no company balance sheet, and a guaranteed loan without collateral has no
    // 抵质押物 to report on: only the loan's own sections are named.
    expect(incomplete.issues!.map((i) => i.path).sort()).toEqual(['data.conclusion', 'data.firstRepaymentSource', 'data.fundFlows', 'data.guarantorsCondition', 'data.proposedLevel'].sort());
    await updateReport(env.ctx, { reportId: draft.id, visitDate: '2026-06-10', data: full });
    const withPhoto = await attachToReport(env.ctx, { reportId: draft.id, fileName: '现场照片.jpg', base64: JPEG.toString('base64'), caption: '厂区' });
    expect(withPhoto.attachments).toMatchObject([{ fileName: '现场照片.jpg', mime: 'image/jpeg', caption: '厂区' }]);
    expect(withPhoto.debtRatio).toBe('45.0');
    await submitReport(env.ctx, { reportId: draft.id });
    expect((await fail(updateReport(env.ctx, { reportId: draft.id, visitDate: '2026-06-10', data: full }))).code).toBe('RULE_VIOLATION');

    // The officer cannot review; an archivist cannot review; the supervisor returns it.
    expect((await fail(returnReport(env.ctx, { reportId: draft.id, comment: '自审' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'archivist1');
    expect((await fail(signReport(env.ctx, { reportId: draft.id, comment: '' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'supervisor1');
    expect((await reportQueue(env.ctx)).toReview.map((q) => q.reportId)).toEqual([draft.id]);
    const returned = await returnReport(env.ctx, { reportId: draft.id, comment: '请补充应收账款回款情况' });
    expect(returned).toMatchObject({ status: 'returned', reviewComment: '请补充应收账款回款情况' });

    await loginAs(env.ctx, 'officer1');
    expect((await reportQueue(env.ctx)).toWrite.some((q) => q.reportId === draft.id && q.status === 'returned')).toBe(true);
    await updateReport(env.ctx, { reportId: draft.id, visitDate: '2026-06-10', data: { ...full, fundFlows: `${full.fundFlows} 应收账款回款正常。` } });
    await submitReport(env.ctx, { reportId: draft.id });

    await loginAs(env.ctx, 'supervisor1');
    const signed = await signReport(env.ctx, { reportId: draft.id, comment: '同意' });
    expect(signed.status).toBe('signed');
    expect((await fail(acceptReport(env.ctx, { reportId: draft.id }))).code).toBe('FORBIDDEN');
    // Only risk returns a signed report, and only with a reason; it goes back to its author, the inspection open again.
    expect((await fail(returnSignedReport(env.ctx, { reportId: draft.id, comment: '不是我' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'risk1');
    expect(await dispatcherFor(env.ctx)('reports.returnSigned', { reportId: draft.id, comment: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const back = await returnSignedReport(env.ctx, { reportId: draft.id, comment: '抵押物价值未附评估依据' });
    expect(back).toMatchObject({ status: 'returned', reviewer: 'risk1', reviewComment: '抵押物价值未附评估依据' });
    expect((await fail(acceptReport(env.ctx, { reportId: draft.id }))).code).toBe('RULE_VIOLATION');
    expect((await listInspections(env.ctx, { loanId: l.loan.id, status: 'done', dueBefore: null })).map((p) => p.id)).toEqual([]);
    const audited = await env.ctx.store!.db.selectFrom('audit_log').selectAll().where('action', '=', 'reports.returnSigned').executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ actor: 'risk1', reason: '抵押物价值未附评估依据', entity_id: String(draft.id) });
    await loginAs(env.ctx, 'officer1');
    await updateReport(env.ctx, { reportId: draft.id, visitDate: '2026-06-10', data: { ...full, collateralState: 'intact', conclusion: `${full.conclusion} 附评估报告。` } });
    await submitReport(env.ctx, { reportId: draft.id });
    await loginAs(env.ctx, 'supervisor1');
    await signReport(env.ctx, { reportId: draft.id, comment: '同意' });
    await loginAs(env.ctx, 'risk1');
    const accepted = await acceptReport(env.ctx, { reportId: draft.id });
    expect(accepted.status).toBe('accepted');
    expect(accepted.events.map((e) => e.step)).toEqual(['create', 'update', 'attach', 'submit', 'return', 'update', 'submit', 'sign', 'returnSigned', 'update', 'submit', 'sign', 'accept']);

    // Filed reports are read-only; a correction is a new version linked to the old one.
    await loginAs(env.ctx, 'officer1');
    expect((await fail(updateReport(env.ctx, { reportId: draft.id, visitDate: '2026-06-10', data: full }))).message).toContain('只读');
    const v2 = await correctReport(env.ctx, { reportId: draft.id });
    expect(v2).toMatchObject({ version: 2, previousId: draft.id, status: 'draft' });
    expect(v2.attachments).toHaveLength(1);
    const plan = await listInspections(env.ctx, { loanId: l.loan.id, status: 'done', dueBefore: null });
    expect(plan.map((p) => p.id)).toEqual([routine.id]);
  });

  it('asks of each loan only what applies: no 担保情况 for a 信用 loan, no balance sheet for a person', async () => {
    await world();
    const company = await createBorrower(env.ctx, { kind: 'enterprise', name: '福州恒信商贸有限公司', idNumber: creditCode('91350100M00010000'), phone: '', address: '福州市鼓楼区五一路1号', employer: '', legalRep: '林某', industry: '批发和零售业', registeredCapitalFen: null, tier: 'normal' });
    const credit = await loan(env.ctx, company.id, { contractNo: 'HT-2026-0002', startDate: '2026-03-02', guaranteeModes: ['credit'] });
    const routine = (await listInspections(env.ctx, { loanId: credit.loan.id, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const { guarantorsCondition: _g, collateralState: _s, collateralValueFen: _v, ...noGuarantees } = full;
    // The company's figures are still required of a company.
    const { cashFen: _c, ...noCash } = noGuarantees;
    const r = await createReport(env.ctx, { inspectionId: routine.id, visitDate: '2026-06-10', data: noCash });
    const e = await fail(submitReport(env.ctx, { reportId: r.id }));
    expect(e.code).toBe('VALIDATION');
    expect(e.issues!.map((i) => i.path)).toEqual(['data.cashFen']);
    await updateReport(env.ctx, { reportId: r.id, visitDate: '2026-06-10', data: noGuarantees });
    expect((await submitReport(env.ctx, { reportId: r.id })).status).toBe('submitted');

    // The same company on a guaranteed loan is asked about its guarantor again, and only about its guarantor.
    const secured = await loan(env.ctx, company.id, { contractNo: 'HT-2026-0003', startDate: '2026-03-02', guaranteeModes: ['credit', 'guarantee'] });
    const insp = (await listInspections(env.ctx, { loanId: secured.loan.id, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const r2 = await createReport(env.ctx, { inspectionId: insp.id, visitDate: '2026-06-10', data: noGuarantees });
    const e2 = await fail(submitReport(env.ctx, { reportId: r2.id }));
    expect(e2.issues!.map((i) => i.path).sort()).toEqual(['data.guarantorsCondition']);

    // Printed, what was not asked says 不适用 (and why), never （未填写）: 担保情况 of the 信用 loan…
    const creditText = pdfText(await reportPdf(env.ctx, { reportId: r.id }), 'credit');
    expect(creditText).toContain('三、保证人情况不适用（信用贷款，无保证人和抵质押物）');
    expect(creditText).not.toContain('（未填写）');
    expect(creditText).not.toContain('个人借款人');
    // …the company's own figures are printed as given.
    expect(creditText).toContain(formatFen(full.revenueFen));
    expect(count(creditText, '不适用')).toBe(3);

    // …and the company's figures of a personal borrower, whose guarantor is reported on.
    const person = await borrower(env.ctx, '王芳', '11010519850101456');
    const personal = await loan(env.ctx, person.id, { contractNo: 'HT-2026-0004', startDate: '2026-03-02' });
    const pInsp = (await listInspections(env.ctx, { loanId: personal.loan.id, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const { revenueFen: _r, totalAssetsFen: _t, liabilitiesFen: _l, cashFen: _c2, ...noFigures } = full;
    const r3 = await createReport(env.ctx, { inspectionId: pInsp.id, visitDate: '2026-06-10', data: noFigures });
    expect((await submitReport(env.ctx, { reportId: r3.id })).status).toBe('submitted');
    const personText = pdfText(await reportPdf(env.ctx, { reportId: r3.id }), 'personal');
    expect(personText).toContain('财务数据：不适用（个人借款人）');
    expect(personText).toContain(`三、保证人情况${full.guarantorsCondition}`);
    expect(personText).not.toContain('（未填写）');
    // Four figures and two debt ratios, and the note above them.
    expect(count(personText, '不适用')).toBe(7);
  });

  it('asks about the guarantor only when the loan has one, and about collateral only when it has some', async () => {
    await world();
    const company = await createBorrower(env.ctx, { kind: 'enterprise', name: '福州恒信商贸有限公司', idNumber: creditCode('91350100M00010000'), phone: '', address: '福州市鼓楼区五一路1号', employer: '', legalRep: '林某', industry: '批发和零售业', registeredCapitalFen: null, tier: 'normal' });
    const routineOf = async (loanId: number) => (await listInspections(env.ctx, { loanId, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const { guarantorsCondition: _g, ...noGuarantor } = full;
    const { collateralState: _s, collateralValueFen: _v, ...noCollateral } = full;

    // A 信用 contract on which a mortgage was then registered: 抵质押物 is asked, 保证人情况 is not.
    const mortgaged = await loan(env.ctx, company.id, { contractNo: 'HT-2026-0005', startDate: '2026-03-02', guaranteeModes: ['credit'] });
    await addCollateral(env.ctx, { loanId: mortgaged.loan.id, kind: 'mortgage', type: '房产', description: '鼓楼区商铺一间', owner: '福州恒信商贸有限公司', registrationAuthority: '不动产登记中心', registrationNo: '闽抵2026第8号', valueFen: 300_000_000, valuedOn: '2026-03-02', certificates: [] });
    const r1 = await createReport(env.ctx, { inspectionId: (await routineOf(mortgaged.loan.id)).id, visitDate: '2026-06-10', data: noCollateral });
    expect((await fail(submitReport(env.ctx, { reportId: r1.id }))).issues!.map((i) => i.path).sort()).toEqual(['data.collateralState', 'data.collateralValueFen']);
    await updateReport(env.ctx, { reportId: r1.id, visitDate: '2026-06-10', data: noGuarantor });
    expect((await submitReport(env.ctx, { reportId: r1.id })).status).toBe('submitted');
    const mortgagedText = pdfText(await reportPdf(env.ctx, { reportId: r1.id }), 'mortgaged');
    expect(mortgagedText).toContain('三、保证人情况不适用（无保证人）');
    expect(mortgagedText).toContain(`抵质押物状态存在且完好现值¥${formatFen(full.collateralValueFen!)}`);
    expect(mortgagedText).not.toContain('（未填写）');

    // A guaranteed contract with a guarantor registered and no collateral: the other way round.
    const guaranteed = await loan(env.ctx, company.id, { contractNo: 'HT-2026-0006', startDate: '2026-03-02', guaranteeModes: ['guarantee'] });
    await addGuarantee(env.ctx, { loanId: guaranteed.loan.id, guarantor: { kind: 'person', name: '王保证', idNumber: residentId('11010519750808123'), phone: '13900000000', address: '北京市海淀区中关村大街1号' }, guaranteeType: 'joint', amountFen: 12_000_000, periodEnd: '2027-07-15' });
    const r2 = await createReport(env.ctx, { inspectionId: (await routineOf(guaranteed.loan.id)).id, visitDate: '2026-06-10', data: noGuarantor });
    expect((await fail(submitReport(env.ctx, { reportId: r2.id }))).issues!.map((i) => i.path)).toEqual(['data.guarantorsCondition']);
    await updateReport(env.ctx, { reportId: r2.id, visitDate: '2026-06-10', data: noCollateral });
    expect((await submitReport(env.ctx, { reportId: r2.id })).status).toBe('submitted');
    const guaranteedText = pdfText(await reportPdf(env.ctx, { reportId: r2.id }), 'guaranteed');
    expect(guaranteedText).toContain(`三、保证人情况${full.guarantorsCondition}`);
    expect(guaranteedText).toContain('抵质押物状态不适用（无抵质押物）现值不适用');
    expect(guaranteedText).not.toContain('（未填写）');
  });

  it('a supervisor cannot review a report they wrote', async () => {
    const l = await world();
    await loginAs(env.ctx, 'supervisor1');
    const insp = (await listInspections(env.ctx, { loanId: l.loan.id, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const r = await createReport(env.ctx, { inspectionId: insp.id, visitDate: '2026-06-10', data: full });
    await submitReport(env.ctx, { reportId: r.id });
    const e = await fail(signReport(env.ctx, { reportId: r.id, comment: '' }));
    expect(e).toMatchObject({ code: 'RULE_VIOLATION' });
    expect(e.message).toContain('自己');
  });

  it('refuses bad visit dates, negative figures, wrong files and oversized files, storing nothing', async () => {
    const l = await world();
    const insp = (await listInspections(env.ctx, { loanId: l.loan.id, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const early = await fail(createReport(env.ctx, { inspectionId: insp.id, visitDate: '2026-03-01', data: {} }));
    expect(early.issues?.[0]).toMatchObject({ path: 'visitDate' });
    const future = await fail(createReport(env.ctx, { inspectionId: insp.id, visitDate: '2026-06-16', data: {} }));
    expect(future.message).toContain('不能晚于今天');
    const dispatch = dispatcherFor(env.ctx);
    const neg = await dispatch('reports.create', { inspectionId: insp.id, visitDate: '2026-06-10', data: { revenueFen: -5 } });
    expect(neg).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const r = await createReport(env.ctx, { inspectionId: insp.id, visitDate: '2026-06-10', data: {} });
    const docsBefore = await env.ctx.store!.db.selectFrom('documents').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const exe = await fail(attachToReport(env.ctx, { reportId: r.id, fileName: 'photo.jpg', base64: Buffer.from('MZ\x90\x00 not a picture').toString('base64'), caption: '' }));
    expect(exe.message).toContain('类型不允许');
    const empty = await fail(attachToReport(env.ctx, { reportId: r.id, fileName: 'a.jpg', base64: '', caption: '' }));
    expect(empty.message).toContain('是空的');
    // The limit is the administrators' setting, and the refusal states it.
    await loginAs(env.ctx, 'admin');
    await updateSettings(env.ctx, { ...(await getSettings(env.ctx)), attachmentMaxMb: 2 });
    await loginAs(env.ctx, 'officer1');
    const big = Buffer.concat([JPEG.subarray(0, 20), Buffer.alloc(2 * 1024 * 1024 + 1)]);
    const tooBig = await fail(attachToReport(env.ctx, { reportId: r.id, fileName: 'big.jpg', base64: big.toString('base64'), caption: '' }));
    expect(tooBig.message).toContain('2 MB');
    const docsAfter = await env.ctx.store!.db.selectFrom('documents').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(docsAfter.n).toBe(docsBefore.n);
  });

  it('stores photos encrypted: no JPEG bytes in the database or the document files', async () => {
    const l = await world();
    const insp = (await listInspections(env.ctx, { loanId: l.loan.id, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const r = await createReport(env.ctx, { inspectionId: insp.id, visitDate: '2026-06-10', data: full });
    await attachToReport(env.ctx, { reportId: r.id, fileName: '现场照片.jpg', base64: JPEG.toString('base64'), caption: '' });
    const atRest = await documentsAtRest(env.ctx);
    expect(atRest.database.includes(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(false);
    expect(atRest.database.includes(Buffer.from('JFIF'))).toBe(false);
    expect(atRest.database.includes(Buffer.from('PHOTO-PROBE'))).toBe(false);
    expect(atRest.documents).toHaveLength(1);
    const [onDisk] = atRest.documents;
    expect(onDisk.length).toBeGreaterThan(JPEG.length);
    expect(onDisk.includes(Buffer.from('JFIF')) || onDisk.includes(Buffer.from('PHOTO-PROBE'))).toBe(false);
    const stored = await env.ctx.store!.db.selectFrom('documents').select('id').executeTakeFirstOrThrow();
    expect(Buffer.from((await getDocument(env.ctx, { documentId: stored.id })).base64, 'base64').equals(JPEG)).toBe(true);
  });

  it('prints the report and the post-loan card as PDFs with Chinese text, uppercase amounts and embedded fonts', async () => {
    const l = await world();
    const insp = (await listInspections(env.ctx, { loanId: l.loan.id, status: 'planned', dueBefore: null })).find((p) => p.kind === 'routine')!;
    const r = await createReport(env.ctx, { inspectionId: insp.id, visitDate: '2026-06-10', data: full });
    expect((await fail(reportPdf(env.ctx, { reportId: r.id }))).code).toBe('RULE_VIOLATION');
    await submitReport(env.ctx, { reportId: r.id });
    const pdfs = [await reportPdf(env.ctx, { reportId: r.id }), await cardPdfByContract(env.ctx, l.loan.contractNo)];
    const texts = pdfs.map((p, i) => {
      const file = join(env.root, `doc${i}.pdf`);
      writeFileSync(file, Buffer.from(p.base64, 'base64'));
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      expect(fonts.length).toBeGreaterThan(0);
      for (const f of fonts) expect(f).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
      // Reading order, not layout: a wrapped cell's lines stay together once whitespace is removed.
      return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    });
    const [report, card] = texts;
    expect(report).toContain('贷后检查报告（常规检查）');
    expect(report).toContain('张三');
    expect(report).toContain('人民币壹佰贰拾伍万元整');
    expect(report).toMatch(/检查人（签字）/);
    expect(report).toMatch(/审核人（签字）/);
    expect(card).toContain('贷后管理卡');
    expect(card).toContain('HT-2026-0001');
    expect(card).toContain('人民币壹拾贰万元整');
    expect(card).toMatch(/第1页\/共\d+页/);
    expect(card).toContain('测试小额贷款有限公司');
  });
});
