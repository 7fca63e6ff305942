import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Locale } from '../../src/shared/ipc/app';
import { startBridge } from './bridge';
import { ADMIN_PW } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const NEW_PW = 'Changed-pass-2026';

for (const locale of ['zh-CN', 'en'] as Locale[]) {
  test(`first run → login → idle lock → unlock → change password → logout (${locale})`, async ({ page }, info) => {
    const t = tr(locale);
    const institution = locale === 'en' ? 'Riverside Microcredit Co.' : '星河小额贷款有限公司';
    const check = locale === 'en' ? () => expectNoChinese(page, [institution]) : async () => {};
    const bridge = await startBridge();
    try {
      await page.clock.install();
      await page.goto(bridge.url);
      await expect(page.getByText(tr('zh-CN')('setup.title')).first()).toBeVisible();
      if (locale === 'en') {
        await page.getByText('English', { exact: true }).click();
        await expect(page.getByText(t('setup.title')).first()).toBeVisible();
      }
      await check();
      await shot(page, `${locale}-01-setup`);

      await page.getByLabel(t('setup.institution'), { exact: true }).fill(institution);
      await page.getByLabel(t('setup.branch'), { exact: true }).fill(locale === 'en' ? 'Head office' : '营业部');
      await expect(page.getByLabel(t('setup.dataDir'), { exact: true })).toHaveValue(bridge.dataDir);
      await page.getByRole('button', { name: t('setup.next') }).click();
      await page.getByLabel(t('setup.adminUsername'), { exact: true }).fill('admin');
      await page.getByLabel(t('setup.adminName'), { exact: true }).fill(locale === 'en' ? 'Wang' : '王管理');
      await page.getByLabel(t('setup.password'), { exact: true }).fill(ADMIN_PW);
      await page.getByLabel(t('setup.passwordConfirm'), { exact: true }).fill('something else');
      await page.getByRole('button', { name: t('setup.create') }).click();
      await expect(page.getByText(t('setup.passwordMismatch'))).toBeVisible();
      await page.getByLabel(t('setup.passwordConfirm'), { exact: true }).fill(ADMIN_PW);
      await shot(page, `${locale}-02-admin`);
      await page.getByRole('button', { name: t('setup.create') }).click();

      const keyBox = page.getByTestId('recovery-key');
      await expect(keyBox).toBeVisible();
      const key = (await keyBox.textContent())!.trim();
      expect(key).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
      await check();
      await shot(page, `${locale}-03-recovery-key`);
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: t('setup.printPdf') }).click()]);
      expect(pdf.suggestedFilename()).toBe(t('recoveryPdf.fileName'));
      const pdfFile = info.outputPath('recovery.pdf');
      await pdf.saveAs(pdfFile);
      expect(execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' }).replace(/[\s-]/g, '')).toContain(key.replace(/-/g, ''));
      const [txt] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: t('setup.saveFile') }).click()]);
      const txtFile = info.outputPath('recovery.txt');
      await txt.saveAs(txtFile);
      expect(readFileSync(txtFile, 'utf8')).toContain(key);
      const finish = page.getByRole('button', { name: t('setup.finish') });
      await expect(finish).toBeDisabled();
      await page.getByLabel(t('setup.confirmStored')).check();
      await finish.click();

      await expect(page.getByText(t('home.welcome', { name: locale === 'en' ? 'Wang' : '王管理' }))).toBeVisible();
      await expect(page.getByRole('button', { name: t('nav.users') })).toBeVisible();
      await check();
      await shot(page, `${locale}-04-home`);

      // Logout, a wrong password, then the right one.
      await page.getByRole('button', { name: t('app.logout') }).click();
      await page.getByLabel(t('login.username'), { exact: true }).fill('admin');
      await page.getByLabel(t('login.password'), { exact: true }).fill('wrong-password');
      await page.getByRole('button', { name: t('login.submit') }).click();
      await expect(page.getByRole('alert')).toContainText(t('errors.badCredentials', { left: 4 }));
      await check();
      await shot(page, `${locale}-05-login-error`);
      await page.getByLabel(t('login.password'), { exact: true }).fill(ADMIN_PW);
      await page.getByRole('button', { name: t('login.submit') }).click();
      await expect(page.getByRole('button', { name: t('app.lock') })).toBeVisible();

      // Fifteen idle minutes lock the screen; only the password unlocks it.
      await page.clock.fastForward('16:00');
      await expect(page.getByText(t('lock.title')).first()).toBeVisible();
      await check();
      await shot(page, `${locale}-06-locked`);
      await page.getByLabel(t('login.password'), { exact: true }).fill('not-the-password');
      await page.getByRole('button', { name: t('lock.submit') }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      await page.getByLabel(t('login.password'), { exact: true }).fill(ADMIN_PW);
      await page.getByRole('button', { name: t('lock.submit') }).click();
      await expect(page.getByRole('button', { name: t('app.lock') })).toBeVisible();

      // Change the password, log out, and sign in with the new one.
      await page.getByRole('button', { name: t('app.changePassword') }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(t('password.old'), { exact: true }).fill(ADMIN_PW);
      await dialog.getByLabel(t('password.new'), { exact: true }).fill(NEW_PW);
      await dialog.getByLabel(t('password.confirm'), { exact: true }).fill(NEW_PW);
      await shot(page, `${locale}-07-change-password`);
      await dialog.getByRole('button', { name: t('password.submit') }).click();
      await expect(page.getByText(t('password.changed'))).toBeVisible();
      await page.getByRole('button', { name: t('app.logout') }).click();
      await page.getByLabel(t('login.username'), { exact: true }).fill('admin');
      await page.getByLabel(t('login.password'), { exact: true }).fill(NEW_PW);
      await page.getByRole('button', { name: t('login.submit') }).click();
      await expect(page.getByRole('button', { name: t('app.logout') })).toBeVisible();
      await page.getByRole('button', { name: t('app.logout') }).click();
      await expect(page.getByRole('button', { name: t('login.submit') })).toBeVisible();
      await check();
      await shot(page, `${locale}-08-logged-out`);
      // The keyring on disk: confirmed, one wrap for the administrator, and no password in it.
      const keyring = readFileSync(join(bridge.dataDir, 'keyring.json'), 'utf8');
      expect(JSON.parse(keyring)).toMatchObject({ format: 'loankeeper-keyring', setupConfirmed: true, users: { admin: expect.any(Object) } });
      expect(keyring).not.toContain(NEW_PW);
      expect(keyring).not.toContain(ADMIN_PW);
    } finally {
      await bridge.stop();
    }
  });
}
