import { expect, test, type Page } from '@playwright/test';
import { ADMIN_PW, demoBridge, login } from './flows';
import { shot, tr } from './helpers';

const zh = tr('zh-CN');
const OPERATIONS = '门店经营正常，客流稳定';
const MORE = '；新开一家分店';
const FUND_FLOWS = '贷款资金用于采购原材料';

/** Opens the officer's first routine (or pre-maturity) inspection that has no report yet: a 贷后检查报告 form. */
async function openNewReport(page: Page): Promise<void> {
  await page.getByRole('button', { name: zh('nav.inspections'), exact: true }).click();
  await expect(page.getByRole('heading', { name: zh('inspections.title') })).toBeVisible();
  const row = page
    .getByTestId('inspections')
    .locator('tbody tr')
    .filter({ hasText: new RegExp(`${zh('warnings.inspectionKind.routine')}|${zh('warnings.inspectionKind.pre-maturity')}`) })
    .filter({ has: page.getByRole('button', { name: zh('inspections.start') }) })
    .first();
  await row.getByRole('button', { name: zh('inspections.start') }).click();
  await expect(page.getByTestId('report-title')).toHaveText(zh('reports.postTitle'));
}

const field = (page: Page, key: Parameters<typeof zh>[0]) => page.getByLabel(zh(key), { exact: true });

test('a half-written report: leaving asks first; the draft survives leaving, the lock screen and a reload', async ({ page }) => {
  test.setTimeout(360_000);
  const bridge = await demoBridge(page);
  try {
    await login(page, 'officer1');
    await openNewReport(page);

    await field(page, 'reports.field.operations').fill(OPERATIONS);
    await field(page, 'reports.field.fundFlows').fill(FUND_FLOWS);

    // 首页 with unsaved changes asks; staying keeps everything as typed.
    await page.getByRole('button', { name: zh('nav.home'), exact: true }).click();
    const prompt = page.getByRole('dialog', { name: zh('forms.unsaved.title') });
    await expect(prompt).toBeVisible();
    await shot(page, 'drafts-01-leave-prompt');
    await prompt.getByRole('button', { name: zh('forms.unsaved.stay') }).click();
    await expect(prompt).toHaveCount(0);
    await expect(field(page, 'reports.field.operations')).toHaveValue(OPERATIONS);

    // Leaving anyway: the draft is there when the report is opened again.
    await page.getByRole('button', { name: zh('nav.home'), exact: true }).click();
    await page.getByRole('dialog', { name: zh('forms.unsaved.title') }).getByRole('button', { name: zh('forms.unsaved.leave') }).click();
    await expect(page.getByRole('heading', { name: zh('todayUi.title') })).toBeVisible();
    await openNewReport(page);
    await expect(page.getByTestId('draft-restored')).toBeVisible();
    await expect(field(page, 'reports.field.operations')).toHaveValue(OPERATIONS);
    await expect(field(page, 'reports.field.fundFlows')).toHaveValue(FUND_FLOWS);
    await shot(page, 'drafts-02-restored');

    // An edit to the draft, then 锁屏 at once: unlocking returns to the form with the edit.
    await field(page, 'reports.field.operations').fill(OPERATIONS + MORE);
    await page.getByRole('button', { name: zh('app.lock') }).click();
    await expect(page.getByText(zh('lock.title')).first()).toBeVisible();
    await page.getByLabel(zh('login.password'), { exact: true }).fill(ADMIN_PW);
    await page.getByRole('button', { name: zh('lock.submit') }).click();
    await expect(field(page, 'reports.field.operations')).toHaveValue(OPERATIONS + MORE);

    // A reload (as after a restart of the window): the draft is still there.
    await page.reload();
    await expect(page.getByRole('button', { name: zh('app.logout') })).toBeVisible();
    await openNewReport(page);
    await expect(field(page, 'reports.field.operations')).toHaveValue(OPERATIONS + MORE);
    await expect(page.getByTestId('draft-restored')).toBeVisible();

    // Saved for real, the draft is gone: the report opens as saved, without the note, and leaving asks nothing.
    await page.getByRole('button', { name: zh('reports.saveDraft') }).click();
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.draft'));
    await expect(page.getByTestId('draft-restored')).toHaveCount(0);
    await page.getByRole('button', { name: zh('nav.home'), exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('todayUi.title') })).toBeVisible();
  } finally {
    await bridge.stop();
  }
});
