import { afterEach, describe, expect, it } from 'vitest';
import { updateBorrower } from '../../src/main/features/borrowers/borrowers';
import { importCalendar, listCalendar, workingCalendar } from '../../src/main/features/inspections/calendar';
import { listInspections } from '../../src/main/features/inspections/inspections';
import { addWorkingDays } from '../../src/shared/domain';
import { fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('inspection plan', () => {
  it('a change of tier re-plans future routine inspections and keeps the past ones', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-01-05T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const b = await borrower(env.ctx);
    const l = await loan(env.ctx, b.id, { startDate: '2026-01-05', months: 24, method: 'equal-installment' });
    const before = await listInspections(env.ctx, { loanId: l.loan.id, status: 'planned', dueBefore: null });
    expect(before.filter((i) => i.kind === 'routine').slice(0, 2).map((i) => i.dueDate)).toEqual(['2026-04-03', '2026-07-03']);
    env.clock.t = Date.parse('2026-05-10T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    await updateBorrower(env.ctx, { ...b, tier: 'risk' });
    const after = await listInspections(env.ctx, { loanId: l.loan.id, status: null, dueBefore: null });
    // The April one (past) stays planned and shows as overdue; the future quarterly ones are cancelled.
    expect(after.find((i) => i.dueDate === '2026-04-03')).toMatchObject({ status: 'planned', overdue: true });
    expect(after.filter((i) => i.status === 'cancelled').map((i) => i.dueDate)[0]).toBe('2026-07-03');
    const monthly = after.filter((i) => i.status === 'planned' && i.kind === 'routine' && i.dueDate > '2026-05-10').map((i) => i.dueDate);
    expect(monthly.slice(0, 3)).toEqual(['2026-06-10', '2026-07-10', '2026-08-10']);
  });

  it('imports a year of holidays from a file, and working-day deadlines follow it', async () => {
    env = newEnv();
    await setUp(env);
    const text = ['# 2027 年节假日安排（示例）', '2027-01-01,休', '2027-02-06,休', '2027-02-07,班', '2027-10-01,holiday', '2027-10-09,workday'].join('\n');
    const years = await importCalendar(env.ctx, { fileName: '2027.txt', text });
    expect(years.map((y) => [y.year, y.imported])).toEqual([
      [2025, false],
      [2026, false],
      [2027, true],
    ]);
    const cal = await workingCalendar(env.ctx.store!.db);
    // Fri 5 Feb 2027 + 1 working day: Sat 6 Feb is a holiday in this file, Sun 7 Feb a make-up working day.
    expect(addWorkingDays('2027-02-05', 1, cal)).toBe('2027-02-07');
    const bad = await fail(importCalendar(env.ctx, { fileName: 'x.txt', text: '2027-02-30,休\n2027-03-01,maybe\n2027-03-02,班' }));
    expect(bad.code).toBe('VALIDATION');
    expect(bad.issues?.map((i) => i.message)).toEqual([env.ctx.t('errors.calendarNoSuchDay', { line: 1, date: '2027-02-30' }), env.ctx.t('errors.calendarLine', { line: 2, text: '2027-03-01,maybe' })]);
    const mixed = await fail(importCalendar(env.ctx, { fileName: 'x.txt', text: '2027-01-01,休\n2028-01-01,休' }));
    expect(mixed.message).toContain('同一年');
    expect((await listCalendar(env.ctx)).find((y) => y.year === 2027)?.holidays).toEqual(['2027-01-01', '2027-02-06', '2027-10-01']);
  });
});
