import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { up as reasonCodes } from '../../src/main/db/migrations/0024_reason_codes';
import { listInspections } from '../../src/main/features/inspections/inspections';
import { readFloorReasons } from '../../src/main/domain/floorReasons';
import { translate } from '../../src/shared/i18n';
import { wordInspectionReason } from '../../src/shared/i18n/inspectionReasons';
import { newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('reasons are codes from main, worded by the reader', () => {
  it('plans inspections with codes, and the catalogue words them in either language', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-01-15T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const l = await loan(env.ctx, (await borrower(env.ctx)).id, { method: 'bullet' });
    const rows = await listInspections(env.ctx, { loanId: l.loan.id, status: null, dueBefore: null });
    expect(rows.map((r) => r.reason.code)).toEqual(expect.arrayContaining(['first', 'routine', 'preMaturity']));
    const first = rows.find((r) => r.kind === 'first')!;
    expect(first.reason).toEqual({ code: 'first', days: 15 });
    expect(wordInspectionReason((k, p) => translate('zh-CN', k, p), first.reason, null)).toBe('首次检查：放款后 15 天内');
    expect(wordInspectionReason((k, p) => translate('en', k, p), first.reason, null)).toMatch(/15/);
    expect(wordInspectionReason((k, p) => translate('en', k, p), first.reason, null)).not.toMatch(/[\u4e00-\u9fff]/);
    expect(wordInspectionReason((k, p) => translate('zh-CN', k, p), { code: 'special', warningId: 7 }, '停产停业')).toBe('专项检查：严重预警“停产停业”（预警 #7）');
  });

  it('migration 0024 turns older rows’ sentences into codes, and keeps what it does not recognise', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-01-15T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const l = await loan(env.ctx, (await borrower(env.ctx)).id);
    const db = env.ctx.store!.db;
    // As a store written before codes: sentences in inspections.reason and in floor_reasons.
    const [a, b] = (await db.selectFrom('inspections').select('id').where('loan_id', '=', l.loan.id).orderBy('due_date').execute()).map((r) => r.id);
    await db.updateTable('inspections').set({ reason: '首次检查：放款后 15 天内' }).where('id', '=', a).execute();
    await db.updateTable('inspections').set({ reason: '客户要求上门核实' }).where('id', '=', b).execute();
    const old = JSON.stringify(['逾期 95 天，超过 90 天，至少为次级（《商业银行金融资产风险分类办法》）', '逾期九十五天，次级']);
    await db.updateTable('loan_status').set({ floor_reasons: old }).where('loan_id', '=', l.loan.id).execute();
    await sql`UPDATE classifications SET floor_reasons = ${old} WHERE loan_id = ${l.loan.id}`.execute(db);

    await reasonCodes(db);

    const rows = await listInspections(env.ctx, { loanId: l.loan.id, status: null, dueBefore: null });
    expect(rows.find((r) => r.id === a)!.reason).toEqual({ code: 'first', days: 15 });
    expect(rows.find((r) => r.id === b)!.reason).toEqual({ code: 'legacy', text: '客户要求上门核实' });
    const expected = [
      { code: 'substandard', params: { dpd: 95 } },
      { code: 'legacy', params: { text: '逾期九十五天，次级' } },
    ];
    const status = await db.selectFrom('loan_status').select('floor_reasons').where('loan_id', '=', l.loan.id).executeTakeFirstOrThrow();
    expect(JSON.parse(status.floor_reasons)).toEqual(expected);
    expect(readFloorReasons(status.floor_reasons)).toEqual(expected);
    const history = await db.selectFrom('classifications').select('floor_reasons').where('loan_id', '=', l.loan.id).execute();
    expect(history.length).toBeGreaterThan(0);
    for (const h of history) expect(JSON.parse(h.floor_reasons)).toEqual(expected);
    // Running it again changes nothing.
    await reasonCodes(db);
    expect((await db.selectFrom('loan_status').select('floor_reasons').where('loan_id', '=', l.loan.id).executeTakeFirstOrThrow()).floor_reasons).toBe(status.floor_reasons);
  });
});
