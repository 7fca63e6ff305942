import { afterEach, describe, expect, it } from 'vitest';
import { archiveGaps } from '../../src/main/features/archive/archive';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { listInspections } from '../../src/main/features/inspections/inspections';
import { exportInspections } from '../../src/main/features/listExport/listExports';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';
import { readSheet } from '../helpers/xlsx';

let env: TestEnv;
afterEach(() => env?.cleanup());

const PDF = (s: string) => Buffer.from(`%PDF-1.4\n% ${s}\n%%EOF\n`).toString('base64');

/** officer1 holds HT-1 (guaranteed), officer2 HT-2 (credit), both started 2026-01-05; HT-1's contract is filed. */
async function world() {
  env = newEnv();
  env.clock.t = Date.parse('2026-01-05T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const zhang = await borrower(env.ctx, '张三', '11010519800101123');
  const l1 = await loan(env.ctx, zhang.id, { contractNo: 'HT-1', startDate: '2026-01-05', months: 24, method: 'equal-installment' });
  await addDocument(env.ctx, { loanId: l1.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF('c') });
  await loginAs(env.ctx, 'officer2');
  const wang = await borrower(env.ctx, '王五', '11010519800101158');
  const l2 = await loan(env.ctx, wang.id, { contractNo: 'HT-2', officer: 'officer2', startDate: '2026-01-05', months: 24, method: 'equal-installment', guaranteeModes: ['credit'] });
  return { l1: l1.loan.id, l2: l2.loan.id };
}

const dues = async (dueFrom: string | null, dueBefore: string | null) =>
  (await listInspections(env.ctx, { loanId: null, status: null, dueFrom, dueBefore })).map((i) => `${i.contractNo} ${i.dueDate}`);

describe('inspections by due date', () => {
  it('keeps those due within the range, both ends included, in main; officers only their own', async () => {
    await world();
    await loginAs(env.ctx, 'supervisor1');
    const all = await dues(null, null);
    expect(all.length).toBeGreaterThan(8);
    const inRange = await dues('2026-04-03', '2026-07-03');
    // Both loans' quarterly routine inspections fall on the range's two ends.
    expect(inRange).toEqual(['HT-1 2026-04-03', 'HT-2 2026-04-03', 'HT-1 2026-07-03', 'HT-2 2026-07-03']);
    expect(await dues('2026-04-04', '2026-07-02')).toEqual([]);
    expect((await dues('2026-07-03', null)).every((d) => d.slice(5) >= '2026-07-03')).toBe(true);
    expect((await dues('2026-07-03', null)).length + (await dues(null, '2026-07-02')).length).toBe(all.length);
    await loginAs(env.ctx, 'officer1');
    expect(await dues('2026-04-03', '2026-07-03')).toEqual(['HT-1 2026-04-03', 'HT-1 2026-07-03']);
    const bad = await dispatcherFor(env.ctx)('inspections.list', { loanId: null, status: null, dueFrom: '2026-07-03', dueBefore: '2026-04-03' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'dueBefore' }] } });
  });

  it('the export narrows the same way and names the range', async () => {
    await world();
    await loginAs(env.ctx, 'supervisor1');
    const file = await exportInspections(env.ctx, { loanId: null, status: null, dueFrom: '2026-04-03', dueBefore: '2026-07-03', kind: null, officer: null, overdueOnly: false });
    const sheet = await readSheet(file.base64);
    expect(sheet[1][0]).toBe('筛选条件：应检查日期不早于：2026-04-03；应检查日期不晚于：2026-07-03');
    expect(sheet.slice(4).map((r) => `${r[0]} ${r[4]}`)).toEqual(['HT-1 2026-04-03', 'HT-2 2026-04-03', 'HT-1 2026-07-03', 'HT-2 2026-07-03']);
  });
});

describe('files missing an item', () => {
  it('lists the loans whose file misses that document type; officers only their own', async () => {
    await world();
    await loginAs(env.ctx, 'supervisor1');
    const gaps = async (docType: string | null) => (await archiveGaps(env.ctx, { docType })).map((g) => g.contractNo);
    expect(await gaps(null)).toEqual(['HT-2', 'HT-1']);
    expect(await gaps('contract')).toEqual(['HT-2']);
    // Only a guaranteed loan's file needs a guarantee contract; nothing needs a payoff paper before payoff.
    expect(await gaps('guarantee-contract')).toEqual(['HT-1']);
    expect(await gaps('payoff')).toEqual([]);
    const ht1 = (await archiveGaps(env.ctx, {})).find((g) => g.contractNo === 'HT-1')!;
    expect(ht1.missingTypes).toEqual(['application', 'credit-report', 'approval', 'iou', 'guarantee-contract', 'disbursement']);
    expect(ht1.missing).toBe(6);
    await loginAs(env.ctx, 'officer2');
    expect(await gaps('guarantee-contract')).toEqual([]);
    expect(await gaps('contract')).toEqual(['HT-2']);
    await loginAs(env.ctx, 'officer1');
    expect(await gaps('contract')).toEqual([]);
    expect(await dispatcherFor(env.ctx)('archive.gaps', { docType: 'Contract; --' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
