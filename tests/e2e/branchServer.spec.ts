import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addDays, todayIn } from '../../src/shared/domain';
import { residentIdCheckChar } from '../../src/shared/domain/ids';
import { startPgServer, type PgServer } from '../support/pgServer';
import { startBridge, type RunningBridge } from './bridge';
import { ADMIN_PW, INSTITUTION, login, logout } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');
const STAFF_PW = 'Staff-pass-2026';
const OFFICER_PW = 'Officer-new-2026';
const CONTRACT = 'HT-BR-0001';

/** A channel called by the page, as the page itself calls it (the signed-in user's rights apply). */
async function call<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([c, i]) => (window as unknown as { api: { invoke(c: string, i: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> } }).api.invoke(c as string, i),
    [channel, input] as const,
  );
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** The wizard's server step, filled in for the test's server (on this PC: no TLS, no CA certificate). */
async function serverStep(page: Page, pg: URL, action: 'create' | 'join'): Promise<void> {
  await page.getByLabel(zh('setup.modeServer')).check();
  await page.getByLabel(zh('setup.server.host'), { exact: true }).fill(pg.hostname);
  await page.getByLabel(zh('setup.server.port'), { exact: true }).fill(pg.port);
  await page.getByLabel(zh('setup.server.database'), { exact: true }).fill(pg.pathname.slice(1));
  await page.getByLabel(zh('setup.server.user'), { exact: true }).fill(decodeURIComponent(pg.username));
  await page.getByLabel(zh('setup.server.dbPassword'), { exact: true }).fill(decodeURIComponent(pg.password));
  await page.getByLabel(zh(action === 'create' ? 'setup.server.create' : 'setup.server.join')).check();
}

async function openLoan(page: Page, tab: 'classification' | null = 'classification'): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: zh('nav.loans'), exact: true }).click();
  await page.getByLabel(zh('loans.query'), { exact: true }).fill(CONTRACT);
  await page.getByRole('button', { name: CONTRACT }).click();
  await expect(page.getByTestId('loan-contract-no')).toHaveText(CONTRACT);
  if (tab) await page.getByRole('tab', { name: zh('loan.tabs.classification') }).click();
}

test('two PCs on the branch server: one sets the branch up, the other joins; an officer proposes a reclassification, the supervisor approves it; the data key is rotated', async ({ browser }) => {
  test.setTimeout(300_000);
  let server: PgServer | null = null;
  const bridges: RunningBridge[] = [];
  const autoDir = mkdtempSync(join(tmpdir(), 'lk-branch-auto-'));
  try {
    server = await startPgServer();
    const pg = new URL(server.url);
    const [bridge1, bridge2] = await Promise.all([startBridge(), startBridge()]);
    bridges.push(bridge1, bridge2);
    const pc1 = await (await browser.newContext()).newPage();
    const pc2 = await (await browser.newContext()).newPage();

    // PC1: the server's step refuses a server on another PC without the branch's CA certificate (TLS is required).
    await pc1.goto(bridge1.url);
    await serverStep(pc1, pg, 'create');
    await pc1.getByLabel(zh('setup.server.host'), { exact: true }).fill('db.branch.example');
    await expect(pc1.getByTestId('server-tls')).toHaveText(zh('setup.server.tlsOn'));
    await pc1.getByRole('button', { name: zh('setup.next') }).click();
    await expect(pc1.getByText(zh('validation.caRequired'))).toBeVisible();
    await shot(pc1, 'branch-01-server-step');
    // The same step in English: only what was typed stays as it is.
    await pc1.getByText('English', { exact: true }).click();
    await expect(pc1.getByText(en('validation.caRequired'))).toBeVisible();
    await expectNoChinese(pc1);
    await shot(pc1, 'branch-01b-server-step-en');
    await pc1.getByText('中文', { exact: true }).click();
    // On this PC (loopback) no TLS is needed: a new branch is set up there.
    await pc1.getByLabel(zh('setup.server.host'), { exact: true }).fill(pg.hostname);
    await expect(pc1.getByTestId('server-tls')).toHaveText(zh('setup.server.tlsLocal'));
    await pc1.getByRole('button', { name: zh('setup.next') }).click();
    await pc1.getByLabel(zh('setup.institution'), { exact: true }).fill(INSTITUTION);
    await pc1.getByLabel(zh('setup.branch'), { exact: true }).fill('营业部');
    await expect(pc1.getByLabel(zh('setup.dataDir'), { exact: true })).toHaveCount(0);
    await pc1.getByRole('button', { name: zh('setup.next') }).click();
    await pc1.getByLabel(zh('setup.adminUsername'), { exact: true }).fill('admin');
    await pc1.getByLabel(zh('setup.adminName'), { exact: true }).fill('王管理');
    await pc1.getByLabel(zh('setup.password'), { exact: true }).fill(ADMIN_PW);
    await pc1.getByLabel(zh('setup.passwordConfirm'), { exact: true }).fill(ADMIN_PW);
    await pc1.getByRole('button', { name: zh('setup.create') }).click();
    await expect(pc1.getByTestId('recovery-key')).toBeVisible({ timeout: 60_000 });
    await pc1.getByLabel(zh('setup.confirmStored')).check();
    await pc1.getByRole('button', { name: zh('setup.finish') }).click();
    await expect(pc1.getByText(zh('home.welcome', { name: '王管理' }))).toBeVisible();
    const serverName = `${pg.hostname}:${pg.port}${pg.pathname}`;
    await expect(pc1.getByText(serverName, { exact: true })).toBeVisible();
    await expect(pc1.getByTestId('server-label')).toContainText(serverName);

    // The administrator gives this PC a folder for the server's automatic backups: this PC's own.
    await pc1.getByTestId('backup-status').getByRole('button', { name: zh('backups.status.open') }).click();
    await expect(pc1.getByTestId('auto-backups-on-server')).toHaveText(zh('backups.auto.onServer'));
    await pc1.getByLabel(zh('backups.auto.folder'), { exact: true }).fill(autoDir);
    await pc1.getByRole('button', { name: zh('backups.auto.save') }).click();
    await expect(pc1.getByText(zh('backups.auto.saved'))).toBeVisible();
    await shot(pc1, 'branch-01c-auto-backups');

    // The keys page on the server: the recovery key can be replaced, and the data key rotated (with everyone else out).
    await pc1.getByRole('button', { name: zh('nav.keys'), exact: true }).click();
    await expect(pc1.getByTestId('recovery-kind')).toContainText(zh('keysUi.recoveryWrapped', { id: '' }).slice(0, 6));
    await expect(pc1.getByTestId('rotate-on-server')).toHaveText(zh('keysUi.rotateOnServer'));
    await expect(pc1.getByRole('button', { name: zh('keysUi.rotate'), exact: true })).toHaveCount(1);
    await shot(pc1, 'branch-01d-keys');

    // The audit check on the server: the head held outside the database is what this PC last saw there, not a keyring.
    await pc1.getByRole('navigation').getByRole('button', { name: zh('nav.audit'), exact: true }).click();
    await pc1.getByRole('button', { name: zh('audit.verify'), exact: true }).click();
    const check = pc1.getByRole('status').filter({ hasText: zh('audit.verifyOk', { count: 0 }).slice(0, 6) });
    await expect(check).toContainText(zh('audit.witnessOutside', { count: 0, hash: '' }).split('：')[0]!);
    await expect(check).not.toContainText('密钥环');
    await shot(pc1, 'branch-01e-audit-check');

    // The administrator adds the officer and the supervisor (as the users page does).
    await call(pc1, 'users.create', { username: 'officer1', displayName: '李明', roles: ['officer'], password: STAFF_PW });
    await call(pc1, 'users.create', { username: 'supervisor1', displayName: '赵主管', roles: ['supervisor'], password: STAFF_PW });
    await logout(pc1);
    await expect(pc1.getByTestId('server-label')).toContainText(serverName);

    // PC2 joins the branch already on the server: the sign-in page follows, naming the server.
    await pc2.goto(bridge2.url);
    await serverStep(pc2, pg, 'join');
    // A password the server refuses is said on its field.
    await pc2.getByLabel(zh('setup.server.dbPassword'), { exact: true }).fill('not-the-password');
    await pc2.getByRole('button', { name: zh('setup.server.joinSubmit') }).click();
    await expect(pc2.getByText(zh('errors.serverBadPassword'))).toBeVisible();
    await pc2.getByLabel(zh('setup.server.dbPassword'), { exact: true }).fill(decodeURIComponent(pg.password));
    await pc2.getByRole('button', { name: zh('setup.server.joinSubmit') }).click();
    await expect(pc2.getByLabel(zh('login.username'), { exact: true })).toBeVisible();
    await expect(pc2.getByTestId('server-label')).toContainText(serverName);
    await expect(pc2.getByText(INSTITUTION)).toBeVisible();
    await shot(pc2, 'branch-02-joined-sign-in');

    // The officer signs in at PC2 (a first password is changed at once), books a borrower and a loan…
    await pc2.getByLabel(zh('login.username'), { exact: true }).fill('officer1');
    await pc2.getByLabel(zh('login.password'), { exact: true }).fill(STAFF_PW);
    await pc2.getByRole('button', { name: zh('login.submit') }).click();
    await expect(pc2.getByLabel(zh('login.username'), { exact: true })).toHaveCount(0);
    await call(pc2, 'session.changePassword', { oldPassword: STAFF_PW, newPassword: OFFICER_PW });
    await pc2.reload();
    await expect(pc2.getByRole('button', { name: zh('app.logout') })).toBeVisible();
    const first17 = '11010519800101123';
    const borrower = await call<{ id: number }>(pc2, 'borrowers.create', {
      kind: 'person',
      name: '张三',
      idNumber: first17 + residentIdCheckChar(first17),
      phone: '13800000000',
      address: '北京市朝阳区建国路1号',
      employer: '某某科技有限公司',
      legalRep: '',
      industry: '',
      registeredCapitalFen: null,
      tier: 'normal',
    });
    await call(pc2, 'loans.create', {
      contractNo: CONTRACT,
      borrowerId: borrower.id,
      product: '个人经营贷',
      principalFen: 12_000_000,
      annualRate: '12',
      months: 12,
      method: 'equal-principal',
      startDate: addDays(todayIn(), -10),
      penaltyUplift: '0.5',
      purpose: '购买原材料',
      guaranteeModes: ['guarantee'],
      officer: 'officer1',
    });

    // …and proposes a downgrade on the loan page.
    await openLoan(pc2);
    await pc2.getByRole('combobox', { name: zh('loan.classification.proposeLevel'), exact: true }).click();
    await pc2.getByRole('option', { name: '次级' }).click();
    await pc2.getByLabel(zh('loan.classification.proposeReason'), { exact: true }).fill('借款人经营的门店已停业');
    await pc2.getByRole('button', { name: zh('loan.classification.submit') }).click();
    await expect(pc2.getByTestId('classifications').getByText(zh('loan.classification.statusLabel.pending'))).toBeVisible();

    // PC1: the supervisor sees the officer's proposal and approves it.
    await login(pc1, 'supervisor1', STAFF_PW);
    // The day's first sign-in at the PC with a folder backs the server up there (pg_dump, sealed, verified).
    await expect.poll(() => readdirSync(autoDir).filter((n) => /^LoanKeeper-auto-.*\.lkbackup$/.test(n)).length, { timeout: 60_000 }).toBe(1);
    await call(pc1, 'session.changePassword', { oldPassword: STAFF_PW, newPassword: 'Supervisor-new-2026' });
    await pc1.reload();
    await pc1.getByRole('button', { name: zh('nav.classification'), exact: true }).click();
    const pending = pc1.getByTestId('pending-classifications').locator('tbody tr').filter({ hasText: CONTRACT });
    await expect(pending).toContainText('借款人经营的门店已停业');
    await pending.getByRole('button', { name: zh('loan.classification.approve') }).click();
    await pc1.getByRole('dialog').getByLabel(zh('loan.classification.comment'), { exact: true }).fill('同意下调');
    await shot(pc1, 'branch-03-approve');
    await pc1.getByRole('dialog').getByRole('button', { name: zh('loan.classification.approve') }).click();
    await expect(pending).toHaveCount(0);
    await openLoan(pc1, null);
    await expect(pc1.getByTestId('state-level')).toHaveText('次级');
    await shot(pc1, 'branch-04-approved');

    // PC2 reloads and sees the supervisor's decision.
    await pc2.reload();
    await openLoan(pc2);
    await expect(pc2.getByTestId('state-level')).toHaveText('次级');
    await expect(pc2.getByTestId('classifications').getByText(zh('loan.classification.statusLabel.approved'))).toBeVisible();
    await expect(pc2.getByTestId('classifications')).toContainText('同意下调');

    // The officer leaves PC2 (signed out, the app holds no connection); the administrator rotates the data key at PC1.
    await logout(pc2);
    await logout(pc1);
    await login(pc1, 'admin', ADMIN_PW);
    await pc1.getByRole('button', { name: zh('nav.keys'), exact: true }).click();
    await pc1.getByRole('button', { name: zh('keysUi.rotate'), exact: true }).click();
    await pc1.getByRole('dialog').getByRole('button', { name: zh('keysUi.rotate'), exact: true }).click();
    await expect(pc1.getByText(zh('keysUi.doneTitle'))).toBeVisible({ timeout: 60_000 });
    await expect(pc1.getByText(zh('keysUi.doneIntroServer'))).toBeVisible();
    const newKey = (await pc1.getByTestId('recovery-key').textContent())!.trim();
    expect(newKey).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
    await shot(pc1, 'branch-05-rotated-new-recovery-key');
    await pc1.getByLabel(zh('setup.confirmStored')).check();
    await pc1.getByRole('button', { name: zh('keysUi.finish') }).click();
    await expect(pc1.getByTestId('keys-epoch')).toContainText(zh('keysUi.epoch', { count: 1, at: '' }).trim().replace(/[：:]$/, '').slice(0, 8));
    // The officer signs in again at PC2 with the same password: the loan and its decision are there, under the new key.
    await login(pc2, 'officer1', OFFICER_PW);
    await openLoan(pc2);
    await expect(pc2.getByTestId('state-level')).toHaveText('次级');
    await expect(pc2.getByTestId('classifications')).toContainText('同意下调');
  } finally {
    for (const b of bridges) await b.stop();
    server?.stop();
    rmSync(autoDir, { recursive: true, force: true });
  }
});
