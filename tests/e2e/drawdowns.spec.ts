import { expect, test } from '@playwright/test';
import { addDays, addMonthsClamped, amountInWords, residentIdCheckChar, todayIn } from '../../src/shared/domain';
import { startBridge } from './bridge';
import { firstRun, INSTITUTION, login } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');
const FIRST17 = '11010519850505123';
const ID = FIRST17 + residentIdCheckChar(FIRST17);
const BORROWER = '周建华';
const CONTRACT = 'HT-E2E-FK-01';

test('officer: a loan drawn in two disbursements; the second reschedules and shows in the ledger', async ({ page }) => {
  const bridge = await startBridge();
  const today = todayIn();
  const start = addDays(addMonthsClamped(today, -1), -3);
  try {
    await page.goto(bridge.url);
    await firstRun(page, { demoBorrowers: 5 });
    await login(page, 'officer1');

    await page.getByRole('button', { name: zh('nav.borrowers') }).click();
    await page.getByRole('button', { name: zh('borrowers.add') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('borrowers.personName'), { exact: true }).fill(BORROWER);
    await dialog.getByLabel(zh('borrowers.residentId'), { exact: true }).fill(ID);
    await dialog.getByLabel(zh('borrowers.phone'), { exact: true }).fill('13900139000');
    await dialog.getByLabel(zh('borrowers.address'), { exact: true }).fill('杭州市西湖区文三路 8 号');
    await dialog.getByRole('button', { name: zh('portfolio.save') }).click();
    await page.getByRole('button', { name: zh('borrowers.newLoan') }).click();

    // Contract 200,000 drawn 80,000 first; a contract amount below the first drawdown is caught.
    await page.getByLabel(zh('loans.contractNo'), { exact: true }).fill(CONTRACT);
    await page.getByLabel(zh('loans.product'), { exact: true }).fill('个人经营贷');
    await page.getByLabel(zh('loans.amount'), { exact: true }).fill('80000');
    await page.getByLabel(zh('loans.annualRate'), { exact: true }).fill('9.6');
    await page.getByLabel(zh('loans.startDate'), { exact: true }).fill(start);
    await page.getByLabel(zh('loans.contractAmount'), { exact: true }).fill('50000');
    await page.getByRole('button', { name: zh('loans.save') }).click();
    await expect(page.getByText(zh('errors.contractBelowFirstDrawdown'))).toBeVisible();
    await page.getByLabel(zh('loans.contractAmount'), { exact: true }).fill('200000');
    await shot(page, 'drawdowns-01-new-loan');
    await page.getByRole('button', { name: zh('loans.save') }).click();
    await expect(page.getByTestId('loan-contract-no')).toHaveText(CONTRACT);

    await page.getByRole('tab', { name: zh('loan.tabs.drawdowns') }).click();
    await expect(page.getByTestId('drawdown-available')).toContainText('120,000.00');
    // More than is left under the contract: refused with the rule, nothing recorded.
    await page.getByLabel(zh('loan.drawdowns.amount'), { exact: true }).fill('120000.01');
    await page.getByRole('button', { name: zh('loan.drawdowns.submit') }).click();
    await expect(page.getByText(zh('errors.drawdownOverContract', { contract: '200,000.00', drawn: '80,000.00', available: '120,000.00' }))).toBeVisible();
    await expect(page.getByTestId('drawdowns-table').locator('tbody tr')).toHaveCount(1);
    await page.getByLabel(zh('loan.drawdowns.amount'), { exact: true }).fill('70000');
    await expect(page.getByTestId('amount-in-words')).toHaveText(zh('portfolio.inWords', { words: amountInWords(7_000_000) }));
    await page.getByLabel(zh('loan.drawdowns.voucherNo'), { exact: true }).fill('FK-2026-0002');
    await page.getByRole('button', { name: zh('loan.drawdowns.submit') }).click();
    await expect(page.getByTestId('drawdowns-table').locator('tbody tr')).toHaveCount(2);
    await expect(page.getByTestId('drawdown-available')).toContainText('50,000.00');
    await expect(page.getByTestId('state-balance')).toHaveText('150,000.00');
    await shot(page, 'drawdowns-02-second-drawdown');

    // The ledger shows both disbursements and the balance after the second.
    await page.getByRole('tab', { name: zh('loan.tabs.ledger') }).click();
    const ledger = page.getByTestId('ledger');
    await expect(ledger.getByText(zh('ledger.drawdown', { seq: 2, voucher: 'FK-2026-0002' }))).toBeVisible();
    await expect(ledger.locator('tbody tr').filter({ hasText: 'FK-2026-0002' }).locator('td').nth(7)).toHaveText('150,000.00');
    await shot(page, 'drawdowns-03-ledger');

    await page.getByText('English', { exact: true }).click();
    await page.getByRole('tab', { name: en('loan.tabs.drawdowns') }).click();
    await expect(page.getByTestId('drawdowns-table')).toContainText('FK-2026-0002');
    // Toasts shown in Chinese are cleared by the switch (they fade out).
    await expect(page.getByText(zh('loan.drawdowns.saved'))).toHaveCount(0);
    await expectNoChinese(page, [INSTITUTION, BORROWER, '个人经营贷', '李明（信贷员）', amountInWords(15_000_000)]);
    await shot(page, 'drawdowns-04-en');
  } finally {
    await bridge.stop();
  }
});
