import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstRun, login } from '../e2e/flows';
import { tr } from '../e2e/helpers';
import { expect, shot, test } from './fixtures';

const zh = tr('zh-CN');

test('an officer opens an overdue loan, previews the overdue notice and prints it through main', async ({ launch }) => {
  test.setTimeout(300_000);
  const app = await launch();
  const page = await app.mainPage();
  await firstRun(page, { demoBorrowers: 40, timeout: 180_000 });
  await login(page, 'officer1');

  // One of officer1's overdue loans, found as the loan list finds it.
  await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
  const contractNo = await page.evaluate(async () => {
    const r = await (window as any).api.invoke('loans.list', { query: '', officer: null, bucket: null, level: null, status: 'active', overdueOnly: true, sort: 'dpd', direction: 'desc', limit: 1, offset: 0 });
    return r.value.rows[0].contractNo as string;
  });
  await page.getByLabel(zh('loans.query'), { exact: true }).fill(contractNo);
  await page.getByRole('button', { name: contractNo }).click();
  await expect(page.getByTestId('loan-contract-no')).toHaveText(contractNo);

  await page.getByRole('tab', { name: zh('collectionsUi.tab') }).click();
  await page.getByRole('button', { name: zh('collectionsUi.printMenu') }).click();
  await page.getByRole('menuitem', { name: zh('noticesUi.docType.overdue-notice' as never) }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('print-job')).toBeVisible({ timeout: 60_000 });

  // The preview: pdf.js draws the notice in the page, in the built app, under its CSP.
  await dialog.getByRole('button', { name: zh('noticesUi.preview') }).click();
  const preview = dialog.getByTestId('notice-preview');
  await expect(preview.locator('canvas').first()).toBeVisible();
  await expect(preview).toContainText(contractNo);
  await shot(page, 'officer-notice-preview');

  // Printed through main: one job, the system dialog answers "printed".
  app.onPrint = () => ({ success: true });
  await dialog.getByRole('button', { name: zh('noticesUi.printAll', { count: 1 }) }).click();
  await expect(dialog.getByRole('button', { name: zh('noticesUi.printed') })).toBeVisible();
  expect(app.prints).toHaveLength(1);
  expect(app.prints[0].plugins).toBe(true);
  const f = join(mkdtempSync(join(tmpdir(), 'lk-notice-')), 'printed.pdf');
  writeFileSync(f, app.prints[0].pdf!);
  const text = execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' });
  expect(text).toContain(contractNo);
  expect(text).toContain('逾期催收通知书');
  expect(text).toMatch(/人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+/);
  await dialog.getByRole('button', { name: zh('noticesUi.printed') }).click();
  await expect(dialog.getByTestId('print-job')).toHaveAttribute('data-step', 'decided');
  await shot(page, 'officer-notice-printed');
  await dialog.getByRole('button', { name: zh('noticesUi.done') }).click();
  await expect(page.getByTestId('loan-notices')).toContainText(zh('collectionsUi.noticeStatus.printed' as never));
});
