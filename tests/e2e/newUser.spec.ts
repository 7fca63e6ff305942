import { expect, test } from '@playwright/test';
import { amountInWords } from '../../src/shared/domain';
import { demoBridge, login } from './flows';
import { shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

test('a new officer at 1366×768: an overdue loan says so, its tabs stay on one row, amounts take 万 and full-width digits, dates take 2026/12/05', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const bridge = await demoBridge(page);
  try {
    await login(page, 'officer1');
    await page.getByTestId('count-overdue').locator('xpath=..').getByRole('button', { name: zh('dashboard.openLoans') }).click();
    await page.getByTestId('loan-list').locator('tbody tr[data-index]').first().click();
    await expect(page.getByTestId('loan-contract-no')).toBeVisible();

    // The header gives the loan's real state: days past due, as the DPD card.
    const dpd = Number(await page.getByTestId('state-dpd').innerText());
    expect(dpd).toBeGreaterThan(0);
    await expect(page.getByTestId('header-overdue')).toHaveText(zh('loan.overdueDays', { days: dpd }));

    // Every loan tab on one row, in Chinese and in English (the list scrolls sideways if it must).
    const oneRow = async () => {
      const ys = await page
        .getByTestId('loan-tabs')
        .getByRole('tab')
        .evaluateAll((tabs) => tabs.map((t) => Math.round(t.getBoundingClientRect().top)));
      expect(ys.length).toBeGreaterThan(10);
      expect(new Set(ys).size).toBe(1);
    };
    await oneRow();
    await shot(page, 'newuser-01-overdue-loan-1366');
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('tab', { name: en('documentsUi.tab'), exact: true })).toBeVisible();
    await expect(page.getByTestId('header-overdue')).toHaveText(en('loan.overdueDays', { days: dpd }));
    await oneRow();
    await shot(page, 'newuser-02-loan-tabs-en-1366');
    // The selected tab is scrolled into the row's view: the loan reopened on 诉讼时效, beyond the row's right edge.
    await page.getByRole('tab', { name: en('limitationUi.tab'), exact: true }).click();
    await page.getByRole('button', { name: en('loan.back'), exact: true }).click();
    await page.getByTestId('loan-list').locator('tbody tr[data-index]').first().click();
    const selected = page.getByTestId('loan-tabs').getByRole('tab', { selected: true });
    await expect(selected).toHaveText(en('limitationUi.tab'));
    const inView = await selected.evaluate((tab) => {
      const list = tab.closest('[role="tablist"]')!.getBoundingClientRect();
      const box = tab.getBoundingClientRect();
      return box.left >= list.left - 0.5 && box.right <= list.right + 0.5;
    });
    expect(inView).toBe(true);
    await shot(page, 'newuser-02b-selected-tab-en-1366');
    await page.getByText('中文', { exact: true }).click();

    // Amounts as a Chinese IME types them: what will be saved and its 大写 are shown before saving.
    await page.getByRole('tab', { name: zh('loan.tabs.repayments'), exact: true }).click();
    const amount = page.getByLabel(zh('loan.repayments.amount'), { exact: true });
    await amount.fill('５万');
    await expect(page.getByTestId('amount-parsed')).toHaveText(zh('portfolio.parsedAs', { amount: '50,000.00' }));
    await expect(page.getByTestId('amount-in-words')).toHaveText(zh('portfolio.inWords', { words: amountInWords(5_000_000) }));
    await shot(page, 'newuser-03-amount-wan');
    await amount.fill('1.5万元');
    await expect(page.getByTestId('amount-parsed')).toHaveText(zh('portfolio.parsedAs', { amount: '15,000.00' }));
    await amount.fill('１,０００．５');
    await expect(page.getByTestId('amount-parsed')).toHaveText(zh('portfolio.parsedAs', { amount: '1,000.50' }));
    await expect(page.getByTestId('amount-in-words')).toHaveText(zh('portfolio.inWords', { words: amountInWords(100_050) }));
    // A plain amount needs no restating; only its 大写.
    await amount.fill('1000.5');
    await expect(page.getByTestId('amount-parsed')).toHaveCount(0);
    await expect(page.getByTestId('amount-in-words')).toHaveText(zh('portfolio.inWords', { words: amountInWords(100_050) }));
    // Finer than a fen in 万 is refused, not rounded.
    await amount.fill('1.2345678万');
    await expect(page.getByTestId('amount-in-words')).toHaveCount(0);
    await amount.fill('');

    // Dates: 2026/12/05 and 20261205 become 2026-12-05.
    await page.getByRole('tab', { name: zh('worklogUi.tab'), exact: true }).click();
    const date = page.getByLabel(zh('worklogUi.entryDate'), { exact: true });
    for (const typed of ['2026/12/05', '20261205']) {
      await date.fill(typed);
      await date.blur();
      await expect(date).toHaveValue('2026-12-05');
    }
    await shot(page, 'newuser-04-date-typed');
  } finally {
    await bridge.stop();
  }
});
