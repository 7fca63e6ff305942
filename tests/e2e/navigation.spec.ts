import { expect, test, type Page } from '@playwright/test';
import { demoBridge, login, logout } from './flows';
import { shot, tr } from './helpers';
import { PASSWORD_MIN } from '../../src/shared/passwords';

const zh = tr('zh-CN');

async function countOf(page: Page, testId: string): Promise<number> {
  const el = page.getByTestId(testId);
  await expect(el).toBeVisible();
  return Number((await el.innerText()).replaceAll(',', ''));
}

test('home counts open their list filtered; the navbar opens it plain; dialogs check with the contract and submit by keyboard', async ({ page }) => {
  test.setTimeout(360_000);
  const bridge = await demoBridge(page);
  try {
    // officer1's 逾期贷款 opens the loan list at 逾期 (M1+), with as many loans as counted.
    await login(page, 'officer1');
    const overdue = await countOf(page, 'count-overdue');
    const mine = await countOf(page, 'count-mine');
    expect(overdue).toBeGreaterThan(0);
    await page.getByTestId('count-overdue').locator('xpath=..').getByRole('button', { name: zh('dashboard.openLoans') }).click();
    await expect(page.getByRole('heading', { name: zh('loans.title') })).toBeVisible();
    const bucket = page.getByRole('combobox', { name: zh('loans.bucket'), exact: true });
    await expect(bucket).toHaveValue(zh('loans.overdueBucket'));
    await expect(page.getByTestId('loan-count')).toHaveText(zh('portfolio.count', { count: overdue }));
    await shot(page, 'navigation-01-overdue-loans');

    // A loan and back: the filter is still there. The navbar: no filter left over.
    await page.getByTestId('loan-list').locator('tbody tr[data-index]').first().click();
    await expect(page.getByTestId('loan-contract-no')).toBeVisible();
    await page.getByRole('button', { name: zh('loan.back') }).click();
    await expect(bucket).toHaveValue(zh('loans.overdueBucket'));
    await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    await expect(bucket).toHaveValue(zh('portfolio.all'));
    await expect(page.getByTestId('loan-count')).toHaveText(zh('portfolio.count', { count: mine }));
    await logout(page);

    // 用户管理: the dialog checks with the contract's own rules before sending; Enter and Ctrl+Enter submit.
    await login(page, 'admin');
    await page.getByRole('button', { name: zh('nav.users'), exact: true }).click();
    await page.getByRole('button', { name: zh('users.add') }).click();
    const dialog = page.getByRole('dialog', { name: zh('users.add') });
    await dialog.getByLabel(zh('users.username'), { exact: true }).fill('new user');
    await dialog.getByLabel(zh('users.displayName'), { exact: true }).fill('赵六');
    await dialog.getByLabel(zh('roles.officer')).check();
    await dialog.getByLabel(zh('users.initialPassword'), { exact: true }).fill('short');
    await dialog.getByLabel(zh('users.initialPassword'), { exact: true }).press('Enter');
    await expect(dialog.getByText(zh('validation.username'))).toBeVisible();
    await expect(dialog.getByText(zh('validation.tooShort', { min: PASSWORD_MIN }), { exact: true })).toBeVisible();
    await shot(page, 'navigation-02-user-form-errors');
    await dialog.getByLabel(zh('users.username'), { exact: true }).fill('officer9');
    await dialog.getByLabel(zh('users.initialPassword'), { exact: true }).fill('Officer9-pass');
    await dialog.getByLabel(zh('users.initialPassword'), { exact: true }).press('Enter');
    await expect(dialog).toHaveCount(0);
    const row = page.locator('tr', { hasText: 'officer9' });
    await expect(row).toContainText('赵六');

    // Disabling needs a reason; Ctrl+Enter in the reason sends it.
    await row.getByRole('button', { name: zh('users.disable') }).click();
    const disable = page.getByRole('dialog', { name: zh('users.disableTitle', { username: 'officer9' }) });
    await disable.getByLabel(zh('users.reason'), { exact: true }).press('Control+Enter');
    await expect(disable.getByText(zh('validation.required'))).toBeVisible();
    await disable.getByLabel(zh('users.reason'), { exact: true }).fill('调离本支行');
    await disable.getByLabel(zh('users.reason'), { exact: true }).press('Control+Enter');
    await expect(disable).toHaveCount(0);
    await expect(row).toContainText(zh('users.disabled'));
  } finally {
    await bridge.stop();
  }
});
