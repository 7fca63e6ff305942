import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { Locale } from '../../src/shared/ipc/app';
import { startBridge } from './bridge';
import { ADMIN_PW, firstRun, login, logout } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

/**
 * The administrator rotates the data key from the keys page: progress, the new recovery key with its one-page
 * PDF, and afterwards the recovery key printed at setup no longer opens anything while the new one does.
 */
for (const locale of ['zh-CN', 'en'] as Locale[]) {
  test(`keys page: rotate the data key, take the new recovery key; the old one is refused (${locale})`, async ({ page }, info) => {
    test.setTimeout(120_000);
    const zh = tr('zh-CN');
    const t = tr(locale);
    const bridge = await startBridge();
    try {
      await page.goto(bridge.url);
      let setupKey = '';
      await firstRun(page, {
        logout: false,
        beforeFinish: async () => {
          setupKey = (await page.getByTestId('recovery-key').textContent())!.trim();
        },
      });
      if (locale === 'en') await page.getByText('English', { exact: true }).click();
      const check = locale === 'en' ? () => expectNoChinese(page, ['星河小额贷款有限公司', '王管理']) : async () => {};

      // The password rule on the change-password form: its length from the contract's schema (before sending),
      // the rest from main, on the field.
      await page.getByRole('button', { name: t('app.changePassword') }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(t('password.old'), { exact: true }).fill(ADMIN_PW);
      await dialog.getByLabel(t('password.new'), { exact: true }).fill('Password1234');
      await dialog.getByLabel(t('password.confirm'), { exact: true }).fill('Password1234');
      await dialog.getByRole('button', { name: t('password.submit') }).click();
      await expect(dialog.getByText(t('passwordRule.common'))).toBeVisible();
      await dialog.getByLabel(t('password.new'), { exact: true }).fill('short-one');
      await dialog.getByRole('button', { name: t('password.submit') }).click();
      await expect(dialog.getByText(t('validation.tooShort', { min: 12 }), { exact: true })).toBeVisible();
      await dialog.getByRole('button', { name: t('app.cancel') }).click();

      await page.getByRole('button', { name: t('nav.keys'), exact: true }).click();
      await expect(page.getByTestId('recovery-kind')).toContainText(t('keysUi.recoveryWrapped', { id: '' }).slice(0, 6));
      await check();
      await shot(page, `${locale}-keys-01-page`);
      await page.getByRole('button', { name: t('keysUi.rotate'), exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: t('keysUi.rotate'), exact: true }).click();

      // The rotation screen ends on the new recovery key, shown and printed as at setup.
      await expect(page.getByText(t('keysUi.doneTitle'))).toBeVisible({ timeout: 60_000 });
      const keyBox = page.getByTestId('recovery-key');
      await expect(keyBox).toBeVisible();
      const newKey = (await keyBox.textContent())!.trim();
      expect(newKey).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
      expect(newKey).not.toBe(setupKey);
      await check();
      await shot(page, `${locale}-keys-02-new-recovery-key`);
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: t('setup.printPdf') }).click()]);
      const pdfFile = info.outputPath('recovery.pdf');
      await pdf.saveAs(pdfFile);
      expect(execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' }).replace(/[\s-]/g, '')).toContain(newKey.replace(/-/g, ''));
      await page.getByLabel(t('setup.confirmStored')).check();
      await page.getByRole('button', { name: t('keysUi.finish') }).click();
      await expect(page.getByTestId('keys-epoch')).toContainText(t('keysUi.epoch', { count: 1, at: '' }).trim().replace(/[：:]$/, '').slice(0, 8));
      await shot(page, `${locale}-keys-03-rotated`);

      // Back to Chinese for the shared sign-in helpers; the old key is refused, the new one works.
      if (locale === 'en') await page.getByText('中文', { exact: true }).click();
      await logout(page);
      await page.getByText(zh('login.forgot')).click();
      const recoverWith = async (key: string, password: string) => {
        await page.getByLabel(zh('login.recoveryKey'), { exact: true }).fill(key);
        await page.getByLabel(zh('login.username'), { exact: true }).fill('admin');
        await page.getByLabel(zh('login.newPassword'), { exact: true }).fill(password);
        await page.getByLabel(zh('password.confirm'), { exact: true }).fill(password);
        await page.getByRole('button', { name: zh('login.recoverSubmit') }).click();
      };
      await recoverWith(setupKey, 'Taken-over-2026');
      await expect(page.getByText(zh('errors.badRecoveryKey'))).toBeVisible();
      await recoverWith(newKey, 'After-rotation-2026');
      await expect(page.getByRole('button', { name: zh('app.logout') })).toBeVisible();
      await logout(page);
      await login(page, 'admin', 'After-rotation-2026');
    } finally {
      await bridge.stop();
    }
  });
}
