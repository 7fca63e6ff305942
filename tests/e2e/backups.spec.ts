import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startBridge } from './bridge';
import { ADMIN_PW, firstRun, INSTITUTION, login } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

test('the administrator backs up to a folder, sees it verified in the list, restores it and signs in again', async ({ page }) => {
  test.setTimeout(240_000);
  const bridge = await startBridge();
  const usb = mkdtempSync(join(tmpdir(), 'lk-usb-'));
  const auto = mkdtempSync(join(tmpdir(), 'lk-auto-'));
  try {
    await page.goto(bridge.url);
    await firstRun(page, { demoBorrowers: 5, logout: false });

    // Home: no backup yet, so a warning.
    const status = page.getByTestId('backup-status');
    await expect(status).toContainText(zh('backups.status.none'));
    await expect(status).toHaveAttribute('data-warn', 'true');
    await expect(status).toContainText(zh('backups.status.warnNone'));
    await shot(page, 'backups-01-home-no-backup');

    // 立即备份 into a folder (the bridge has no system picker, so the path is typed).
    await status.getByRole('button', { name: zh('backups.status.open') }).click();
    await expect(page.getByRole('heading', { name: zh('backups.title') })).toBeVisible();
    await page.getByLabel(zh('backups.now.folder'), { exact: true }).fill(usb);
    await page.getByRole('button', { name: zh('backups.now.submit') }).click();
    const result = page.getByTestId('backup-result');
    await expect(result).toHaveAttribute('data-status', 'verified', { timeout: 60_000 });
    // The backup and, beside it, the recovery key's wrap (which lets the recovery key open it elsewhere).
    const names = readdirSync(usb).filter((n) => !n.endsWith('.recovery.json'));
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^LoanKeeper-\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.lkbackup$/);
    expect(readdirSync(usb)).toContain(`${names[0]}.recovery.json`);
    const file = join(usb, names[0]);
    await expect(result).toContainText(zh('backups.now.done', { file }));
    const rows = page.getByTestId('backup-list').locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(file);
    await expect(rows.first()).toContainText(zh('backups.list.ok'));
    await expect(rows.first()).toContainText(zh('backups.trigger.manual'));

    // A change made after the backup: the automatic backup folder. The restore takes it back.
    await page.getByLabel(zh('backups.auto.folder'), { exact: true }).fill(auto);
    await page.getByRole('button', { name: zh('backups.auto.save') }).click();
    await expect(page.getByText(zh('backups.auto.saved'))).toBeVisible();
    await shot(page, 'backups-02-verified-zh');

    // 从备份恢复: a file that is not a backup is refused with its reason; the backup is checked and shown.
    const restoreFile = page.getByLabel(zh('backups.restore.file'), { exact: true });
    const inspection = page.getByTestId('backup-inspection');
    await restoreFile.fill(join(usb, 'nope.lkbackup'));
    await page.getByRole('button', { name: zh('backups.restore.check') }).click();
    await expect(inspection).toHaveAttribute('data-ok', 'false');
    await expect(inspection).toContainText(zh('backups.problems.missing', { file: join(usb, 'nope.lkbackup') }));
    await expect(page.getByRole('button', { name: zh('backups.restore.start') })).toBeDisabled();
    await restoreFile.fill(file);
    await page.getByRole('button', { name: zh('backups.restore.check') }).click();
    await expect(inspection).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
    await expect(inspection).toContainText(zh('backups.restore.institution', { name: INSTITUTION }));
    await expect(inspection).toContainText(zh('backups.restore.ok'));
    await shot(page, 'backups-03-checked-zh');

    await page.getByRole('button', { name: zh('backups.restore.start') }).click();
    const dialog = page.getByRole('dialog', { name: zh('backups.restore.confirmTitle') });
    await expect(dialog).toContainText(zh('backups.restore.confirmText'));
    await dialog.getByLabel(zh('backups.restore.password'), { exact: true }).fill('Wrong-pass-1');
    await dialog.getByRole('button', { name: zh('backups.restore.confirm') }).click();
    await expect(dialog).toContainText(zh('errors.badCredentials', { left: 4 }));
    await dialog.getByLabel(zh('backups.restore.password'), { exact: true }).fill(ADMIN_PW);
    await shot(page, 'backups-04-confirm-zh');
    await dialog.getByRole('button', { name: zh('backups.restore.confirm') }).click();

    // Done: signed out, told where the earlier data is, back on the sign-in page.
    await expect(page.getByLabel(zh('login.username'), { exact: true })).toBeVisible({ timeout: 60_000 });
    const done = page.locator('.mantine-Notification-root').filter({ hasText: zh('backups.restore.phase.done') });
    await expect(done).toContainText(join(bridge.dataDir, 'backups', 'before-restore-'));
    await shot(page, 'backups-05-restored-signin-zh');

    await login(page, 'admin');
    // Signed in again, the administrator is back on the page they were on; the home page shows the backup.
    await expect(page.getByRole('heading', { name: zh('backups.title') })).toBeVisible();
    // The page's reads were refused while the restore ran; none of those refusals is left on screen.
    await expect(page.locator('.mantine-Notification-root').filter({ hasText: zh('backups.errors.restoreRunning') })).toHaveCount(0);
    await page.getByRole('button', { name: zh('nav.home'), exact: true }).click();
    await expect(page.getByTestId('backup-status-last')).toBeVisible();
    await expect(page.getByTestId('backup-status')).toHaveAttribute('data-warn', 'false');
    await expect(page.getByTestId('backup-status')).toContainText(file);
    await shot(page, 'backups-06-home-after-zh');
    await page.getByRole('button', { name: zh('nav.backups'), exact: true }).click();
    await expect(page.getByLabel(zh('backups.auto.folder'), { exact: true })).toHaveValue('');
    const after = page.getByTestId('backup-list').locator('tbody tr');
    await expect(after).toHaveCount(2);
    await expect(after.nth(0)).toContainText(zh('backups.trigger.beforeRestore'));
    await expect(after.nth(1)).toContainText(file);

    // The same page in English.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('heading', { name: en('backups.title') })).toBeVisible();
    await expect(after.nth(0)).toContainText(en('backups.trigger.beforeRestore'));
    await expect(after.nth(0)).toContainText(en('backups.list.ok'));
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
    await expectNoChinese(page, [INSTITUTION, '王管理']);
    await shot(page, 'backups-07-list-en');
    await page.getByRole('button', { name: en('nav.home'), exact: true }).click();
    await expect(page.getByTestId('backup-status')).toContainText(en('backups.status.title'));
    await expectNoChinese(page, [INSTITUTION, '王管理']);
    await shot(page, 'backups-08-home-en');

    // Signed out: the sign-in page offers the restore for a store that cannot be opened.
    await page.getByRole('button', { name: en('app.logout') }).click();
    await page.getByRole('button', { name: en('backups.signedOut.link') }).click();
    await expect(page.getByText(en('backups.signedOut.intro'))).toBeVisible();
    await expectNoChinese(page, [INSTITUTION]);
    await shot(page, 'backups-09-signed-out-restore-en');
    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByText(zh('backups.signedOut.intro'))).toBeVisible();
    await page.getByRole('button', { name: zh('backups.signedOut.back') }).click();

    // Nobody in: the database is cut short while the app is closed to everyone; sign-in fails.
    const db = join(bridge.dataDir, 'loankeeper.db');
    truncateSync(db, Math.floor(statSync(db).size / 2) + 100);
    await page.getByLabel(zh('login.username'), { exact: true }).fill('admin');
    await page.getByLabel(zh('login.password'), { exact: true }).fill(ADMIN_PW);
    await page.getByRole('button', { name: zh('login.submit'), exact: true }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await shot(page, 'backups-10-damaged-signin-zh');
    // The administrator restores the backup from the sign-in page, then signs in.
    await page.getByRole('button', { name: zh('backups.signedOut.link') }).click();
    await page.getByLabel(zh('backups.restore.file'), { exact: true }).fill(file);
    await page.getByLabel(zh('login.username'), { exact: true }).fill('admin');
    await page.getByLabel(zh('login.password'), { exact: true }).fill(ADMIN_PW);
    await shot(page, 'backups-11-signed-out-restore-zh');
    await page.getByRole('button', { name: zh('backups.signedOut.submit') }).click();
    await expect(page.getByLabel(zh('login.username'), { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('.mantine-Notification-root').filter({ hasText: zh('backups.restore.phase.done') })).toContainText('as-found');
    await shot(page, 'backups-12-signed-out-restored-zh');
    await login(page, 'admin');
    await page.getByRole('button', { name: zh('nav.home'), exact: true }).click();
    await expect(page.getByTestId('backup-status')).toBeVisible();
  } finally {
    await bridge.stop();
    rmSync(usb, { recursive: true, force: true });
    rmSync(auto, { recursive: true, force: true });
  }
});
