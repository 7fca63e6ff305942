import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cmdDemo } from '../../src/main/cli/commands';
import { verifyAudit } from '../../src/main/features/audit/audit';
import { DEMO_DOCUMENT_LOANS, DEMO_STAFF, generateDemoPortfolio } from '../../src/main/features/demo/demo';
import { translate } from '../../src/shared/i18n';
import { listLoans } from '../../src/main/features/loans/loans';
import { login, logout } from '../../src/main/features/session/session';
import { ADMIN_PASSWORD, fail, newEnv, setUp, storeFlags, type TestEnv } from '../helpers/context';
import { actAs, borrower, loan } from '../helpers/portfolio';

/**
 * The demo portfolio (an administrator's `demo.generate`, the CLI's `demo`) on the store at hand: on the branch
 * pass the rows are made with ids given on the desktop and sent in batches inside one write transaction.
 */
let env: TestEnv;
afterEach(() => {
  vi.restoreAllMocks();
  env?.cleanup();
});

const STAFF_PASSWORD = 'Demo-staff-2026';
const n = async (table: 'loans' | 'borrowers' | 'repayments' | 'documents' | 'collateral' | 'loan_guarantees') =>
  Number((await env.ctx.store!.db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('the demo portfolio', () => {
  it('the setup page and its confirmation name every demo account that is made, in both languages', async () => {
    env = newEnv();
    await setUp(env);
    await generateDemoPortfolio(env.ctx, { borrowers: 20, staffPassword: STAFF_PASSWORD });
    const made = (await env.ctx.store!.db.selectFrom('users').select('username').where('username', '!=', 'admin').execute()).map((u) => u.username);
    expect(made.sort()).toEqual(DEMO_STAFF.map((u) => u.username).sort());
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const key of ['demo.staffNotice', 'demo.done'] as const) for (const u of made) expect(translate(locale, key)).toContain(u);
    }
  });

  it('fills an empty portfolio as reported, in one audited step, and new rows get ids after its own', async () => {
    env = newEnv();
    await setUp(env);
    const r = await generateDemoPortfolio(env.ctx, { borrowers: 120, staffPassword: STAFF_PASSWORD });
    expect(r.borrowers).toBe(120);
    expect(await n('borrowers')).toBe(r.borrowers);
    expect(await n('loans')).toBe(r.loans);
    expect(await n('repayments')).toBe(r.repayments);
    expect(await n('loan_guarantees')).toBe(r.guarantees);
    expect(await n('collateral')).toBe(r.collateral);
    expect(await n('documents')).toBe(r.documents);
    expect(r.loans).toBeGreaterThan(r.borrowers);
    expect(r.factoring).toBeGreaterThan(0);
    expect(r.documents).toBeGreaterThanOrEqual(DEMO_DOCUMENT_LOANS);
    // Every loan has its schedule and a status from the batch; some are overdue.
    const db = env.ctx.store!.db;
    const unscheduled = await db.selectFrom('loans as l').select('l.id').where((eb) => eb.not(eb.exists(eb.selectFrom('schedule_rows as s').select('s.loan_id').whereRef('s.loan_id', '=', 'l.id')))).execute();
    expect(unscheduled).toEqual([]);
    const overdue = await db.selectFrom('loan_status').select((e) => e.fn.countAll<number>().as('n')).where('dpd', '>', 0).executeTakeFirstOrThrow();
    expect(Number(overdue.n)).toBeGreaterThan(0);
    const actions = (await db.selectFrom('audit_log').select('action').where('action', 'like', 'demo.%').execute()).map((a) => a.action);
    expect(actions.filter((a) => a === 'demo.generate')).toHaveLength(1);
    expect((await verifyAudit(env.ctx)).ok).toBe(true);

    // The identities moved past the demo's ids: a borrower and a loan entered by hand get the next ones.
    const before = await db.selectFrom('loans').select((e) => e.fn.max('id').as('m')).executeTakeFirstOrThrow();
    await actAs(env.ctx, 'officer1');
    const b = await borrower(env.ctx, '新客户', '11010519900101123');
    const l = await loan(env.ctx, b.id, { contractNo: 'HT-DEMO-AFTER' });
    expect(l.loan.id).toBe(Number(before.m) + 1);

    // The demo's officers sign in with the password given and see their own loans only.
    logout(env.ctx);
    await login(env.ctx, { username: 'officer1', password: STAFF_PASSWORD });
    const page = await listLoans(env.ctx, { query: '', officer: null, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc', limit: 500, offset: 0 });
    expect(page.total).toBeGreaterThan(0);
    expect(page.rows.every((x) => x.officer === 'officer1')).toBe(true);

    // Only into an empty portfolio.
    logout(env.ctx);
    await login(env.ctx, { username: 'admin', password: ADMIN_PASSWORD });
    expect((await fail(generateDemoPortfolio(env.ctx, { borrowers: 5, staffPassword: STAFF_PASSWORD }))).code).toBe('CONFLICT');
    expect(await n('borrowers')).toBe(121);
  });

  it('the command line fills the store it is given (--data-dir, or --database on the branch server)', async () => {
    env = newEnv();
    await setUp(env);
    env.ctx.close();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, `${ADMIN_PASSWORD}\n`);
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await cmdDemo({ ...storeFlags(env), user: 'admin', 'password-file': pw, borrowers: '30' });
    expect(out.join('')).toMatch(/已生成演示数据：借款人 30，贷款 \d+/);
    const ctx = env.restart();
    await login(ctx, { username: 'officer2', password: ADMIN_PASSWORD });
    const loans = Number((await ctx.store!.db.selectFrom('loans').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(out.join('')).toContain(`贷款 ${loans}`);
    ctx.close();
  });
});
