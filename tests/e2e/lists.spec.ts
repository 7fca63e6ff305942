import { expect, test, type Locator } from '@playwright/test';
import { pinyinColumns } from '../../src/main/db/pinyin';
import { startBridge } from './bridge';
import { firstRun, INSTITUTION, login } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const BORROWERS = 3000;
const zh = tr('zh-CN');
const en = tr('en');

async function total(list: Locator): Promise<number> {
  await expect(list).toHaveAttribute('data-total', /^\d+$/);
  return Number(await list.getAttribute('data-total'));
}

async function scrollToEnd(list: Locator): Promise<void> {
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
}

/** The texts of one column for the rows in the DOM, found by its header. */
async function column(list: Locator, header: string): Promise<string[]> {
  const headers = await list.locator('thead th').allInnerTexts();
  const i = headers.findIndex((h) => h.includes(header));
  expect(i, header).toBeGreaterThanOrEqual(0);
  return list.locator(`tbody tr[data-index] td:nth-child(${i + 1})`).allInnerTexts();
}

test('a few thousand loans and borrowers scroll with only a window of rows in the page; headers sort', async ({ page }) => {
  test.setTimeout(420_000);
  const bridge = await startBridge();
  try {
    await page.goto(bridge.url);
    await firstRun(page, { demoBorrowers: BORROWERS, timeout: 240_000 });
    await login(page, 'supervisor1');

    // Loans: thousands in the count, a few dozen rows in the DOM.
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    const loans = page.getByTestId('loan-list');
    const rows = loans.locator('tbody tr[data-index]');
    await expect(rows.first().getByRole('button')).toBeVisible();
    const n = await total(loans);
    expect(n).toBeGreaterThan(1000);
    await expect(page.getByTestId('loan-count')).toHaveText(zh('portfolio.count', { count: n }));
    expect(await rows.count()).toBeLessThan(60);
    await expect(rows.first()).toHaveAttribute('data-index', '0');

    // To the end: the last loan is shown, and still only a window of rows is in the DOM.
    await scrollToEnd(loans);
    const last = loans.locator(`tbody tr[data-index="${n - 1}"]`);
    await expect(last.getByRole('button')).toBeInViewport();
    const lastNo = (await last.getByRole('button').innerText()).trim();
    const inDom = await rows.count();
    expect(inDom).toBeLessThan(60);
    expect(Number(await rows.first().getAttribute('data-index'))).toBeGreaterThan(n - 60);
    await shot(page, 'lists-01-loans-end');

    // Contract number descending: what was last is now first, at the top.
    await loans.getByRole('columnheader', { name: zh('loans.contractNo') }).getByRole('button').click();
    await expect(loans.getByRole('columnheader', { name: zh('loans.contractNo') })).toHaveAttribute('aria-sort', 'descending');
    await expect(rows.first()).toHaveAttribute('data-index', '0');
    await expect(rows.first().getByRole('button')).toHaveText(lastNo);

    // Days past due, worst first; the count stays.
    const dpdHeader = loans.getByRole('columnheader', { name: zh('loans.dpd') });
    await dpdHeader.getByRole('button').click();
    await expect(dpdHeader).toHaveAttribute('aria-sort', 'ascending');
    await dpdHeader.getByRole('button').click();
    await expect(dpdHeader).toHaveAttribute('aria-sort', 'descending');
    await expect(rows.first().getByRole('button')).toBeVisible();
    const dpds = (await column(loans, zh('loans.dpd'))).filter(Boolean).map(Number);
    expect(dpds.length).toBeGreaterThan(10);
    expect(dpds).toEqual([...dpds].sort((a, b) => b - a));
    expect(dpds[0]).toBeGreaterThan(360);
    expect(await total(loans)).toBe(n);
    await shot(page, 'lists-02-loans-by-dpd');

    // The same list in English: words in English, data as entered.
    await page.getByText('English', { exact: true }).click();
    await expect(loans.getByRole('columnheader', { name: en('loans.dpd') })).toBeVisible();
    await expect(page.getByTestId('loan-count')).toHaveText(en('portfolio.count', { count: n }));
    await expect(rows.first().getByRole('button')).toBeVisible();
    const names = [...(await column(loans, en('loans.borrower'))), ...(await column(loans, en('loans.officer')))];
    await expectNoChinese(page, [INSTITUTION, '王强（信贷主管）', ...names]);
    await shot(page, 'lists-03-loans-en');

    // The worst loan's floor reasons and its ledger's classification entries read in English too.
    await rows.first().getByRole('button').click();
    await expect(page.getByTestId('floor-reasons')).toContainText('days past due');
    await expect(page.getByTestId('floor-reasons')).not.toContainText(/[\u3400-\u9fff]/);
    await page.getByRole('tab', { name: en('loan.tabs.ledger') }).click();
    const ledger = page.getByTestId('ledger');
    const classes = ledger.locator('tbody tr[data-index]').filter({ has: page.getByRole('cell', { name: en('ledger.kind.classification'), exact: true }) });
    await expect(classes.first()).toBeVisible();
    for (const text of await classes.allInnerTexts()) expect(text).not.toMatch(/[\u3400-\u9fff]/);
    await shot(page, 'lists-04-ledger-en');
    await page.getByRole('tab', { name: en('loan.tabs.classification') }).click();
    const system = page.getByTestId('classifications').locator('tbody tr').filter({ hasText: en('loan.classification.statusLabel.system') });
    await expect(system.first()).toContainText('days past due');
    for (const text of await system.allInnerTexts()) expect(text).not.toMatch(/[\u3400-\u9fff]/);
    await page.getByText('中文', { exact: true }).click();

    // Borrowers: the same window, sorted by balance.
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.borrowers'), exact: true }).click();
    const borrowers = page.getByTestId('borrower-list');
    const brows = borrowers.locator('tbody tr[data-index]');
    await expect(brows.first().getByRole('button')).toBeVisible();
    expect(await total(borrowers)).toBe(BORROWERS);
    await scrollToEnd(borrowers);
    await expect(borrowers.locator(`tbody tr[data-index="${BORROWERS - 1}"]`).getByRole('button')).toBeInViewport();
    expect(await brows.count()).toBeLessThan(60);
    const balance = borrowers.getByRole('columnheader', { name: zh('borrowers.balance') });
    await balance.getByRole('button').click();
    await balance.getByRole('button').click();
    await expect(balance).toHaveAttribute('aria-sort', 'descending');
    await expect(brows.first()).toHaveAttribute('data-index', '0');
    await expect(brows.first().getByRole('button')).toBeVisible();
    const balances = (await column(borrowers, zh('borrowers.balance'))).map((s) => Number(s.replaceAll(',', '')));
    expect(balances).toEqual([...balances].sort((a, b) => b - a));
    expect(balances[0]).toBeGreaterThan(0);
    await shot(page, 'lists-05-borrowers-by-balance');

    // Pinyin: a name's initials, typed as letters, find it; names sort by pinyin, not by character code.
    const name = (await column(borrowers, zh('borrowers.name')))[0];
    await page.getByLabel(zh('borrowers.query'), { exact: true }).fill(pinyinColumns(name).name_initials);
    await expect.poll(() => total(borrowers)).toBeLessThan(BORROWERS);
    await expect(borrowers.getByRole('button', { name, exact: true }).first()).toBeVisible();
    const byName = borrowers.getByRole('columnheader', { name: zh('borrowers.name') });
    await byName.getByRole('button').click();
    await expect(byName).toHaveAttribute('aria-sort', 'ascending');
    await expect(brows.first()).toHaveAttribute('data-index', '0');
    const sorted = await column(borrowers, zh('borrowers.name'));
    expect(sorted.length).toBeGreaterThan(0);
    expect(sorted.every((n) => pinyinColumns(n).name_initials.startsWith(pinyinColumns(name).name_initials) || pinyinColumns(n).name_pinyin.includes(pinyinColumns(name).name_initials))).toBe(true);
    const readings = sorted.map((n) => pinyinColumns(n).name_pinyin);
    expect(readings).toEqual([...readings].sort());
    await shot(page, 'lists-06-borrowers-by-pinyin');
  } finally {
    await bridge.stop();
  }
});
