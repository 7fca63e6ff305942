import { expect, test, type Page } from '@playwright/test';
import { addDays, addMonthsClamped, addYearsClamped, todayIn } from '../../src/shared/domain';
import { residentIdCheckChar } from '../../src/shared/domain/ids';
import { demoBridge, INSTITUTION, login, logout } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

/** Calls a channel as the page would, through the bridge's `window.api`. */
async function api<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(async ([c, i]) => (window as unknown as { api: { invoke(c: string, i: unknown): Promise<unknown> } }).api.invoke(c as string, i), [channel, input] as const);
  const env = r as { ok: boolean; value: T; error?: { message: string } };
  if (!env.ok) throw new Error(`${channel}: ${env.error?.message}`);
  return env.value;
}

/** A six-month bullet loan whose limitation period (three years from maturity) ends about `daysAhead` from today. */
function oldLoan(contractNo: string, borrowerId: number, daysAhead: number) {
  const maturity = addYearsClamped(addDays(todayIn(), daysAhead), -3);
  return {
    contractNo,
    borrowerId,
    product: '个人经营贷',
    principalFen: 5_000_000,
    annualRate: '12',
    months: 6,
    method: 'bullet',
    startDate: addMonthsClamped(maturity, -6),
    penaltyUplift: '0.5',
    purpose: '经营周转',
    guaranteeModes: ['credit'],
    officer: 'officer1',
  };
}

test('报表: limitation report and overdue summary, in Chinese and English, with Excel export', async ({ page }) => {
  test.setTimeout(120_000);
  const bridge = await demoBridge(page);
  try {
    // Two old claims for officer1: one ending within 30 days, one within 180.
    await login(page, 'officer1');
    const id17 = '11010519700303123';
    const b = await api<{ id: number }>(page, 'borrowers.create', {
      kind: 'person', name: '钱时效', idNumber: id17 + residentIdCheckChar(id17), phone: '13800000000', address: '福州市鼓楼区五四路1号', employer: '个体经营', legalRep: '', industry: '', registeredCapitalFen: null, tier: 'normal',
    });
    await api(page, 'loans.create', oldLoan('E2E-LIM-30', b.id, 20));
    await api(page, 'loans.create', oldLoan('E2E-LIM-180', b.id, 120));
    // An officer has no 报表 page.
    await expect(page.getByRole('navigation').getByRole('button', { name: zh('nav.portfolioReports'), exact: true })).toHaveCount(0);
    await logout(page);

    await login(page, 'supervisor1');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.portfolioReports'), exact: true }).click();
    const report = page.getByTestId('limitation-report');
    await expect(report).toBeVisible();
    await expect(report.locator('tr[data-band="30"]')).toBeVisible();
    await expect(report.locator('tr[data-contract="E2E-LIM-30"][data-party="borrower"]')).toContainText('钱时效');
    await expect(report.locator('tr[data-contract="E2E-LIM-30"]')).toContainText(zh('limitationUi.kindLabel.due'));
    await expect(report.locator('tr[data-contract="E2E-LIM-180"]')).toContainText('李明（信贷员）');
    await expect(page.getByTestId('limitation-counts').locator('[data-band="30"]')).toHaveText(`${zh('portfolioReports.band.30')}: 1`);
    await expect(page.getByTestId('limitation-counts').locator('[data-band="180"]')).toHaveText(`${zh('portfolioReports.band.180')}: 1`);
    const lim = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('portfolioReports.export') }).click()]);
    expect(lim[0].suggestedFilename()).toBe(`诉讼时效报表_${todayIn()}.xlsx`);
    await expect(page.getByRole('button', { name: zh('portfolioReports.export') })).toBeEnabled();
    await shot(page, 'portfolioReports-01-limitation');

    // Filtered to another officer: nothing of officer1's.
    await page.getByRole('combobox', { name: zh('portfolioReports.officer') }).click();
    await page.getByRole('option', { name: '陈静（信贷员）' }).click();
    await expect(page.getByTestId('limitation-empty')).toBeVisible();
    await page.getByRole('combobox', { name: zh('portfolioReports.officer') }).click();
    await page.getByRole('option', { name: zh('portfolioReports.allOfficers') }).click();
    await expect(report.locator('tr[data-contract="E2E-LIM-30"]')).toBeVisible();

    // 逾期汇总: the table shows what main computes for the whole portfolio.
    const summary = await api<{ rows: { bucket: string; count: number }[]; total: { count: number }; overdue: { count: number }; reasons: { reason: string; count: number }[] }>(page, 'portfolioReports.overdue', {
      asOf: null,
      officer: null,
    });
    expect(summary.total.count).toBeGreaterThan(20);
    await page.getByRole('tab', { name: zh('portfolioReports.overdueTab'), exact: true }).click();
    const table = page.getByTestId('overdue-summary');
    await expect(table).toBeVisible();
    await expect(page.getByTestId('overdue-total').locator('p').first()).toHaveText(String(summary.total.count));
    for (const r of summary.rows) await expect(page.getByTestId(`overdue-${r.bucket}`).locator('p').first(), r.bucket).toHaveText(String(r.count));
    // 逾期原因: every overdue loan under one reason (未查明 until a contact records one).
    expect(summary.reasons.reduce((n, r) => n + r.count, 0)).toBe(summary.overdue.count);
    for (const r of summary.reasons) await expect(page.getByTestId('overdue-reasons').locator(`tr[data-reason="${r.reason}"] td`).nth(1).locator('p').first()).toHaveText(String(r.count));
    const od = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('portfolioReports.export') }).click()]);
    expect(od[0].suggestedFilename()).toBe(`逾期汇总表_${todayIn()}.xlsx`);
    await expect(page.getByRole('button', { name: zh('portfolioReports.export') })).toBeEnabled();
    await shot(page, 'portfolioReports-02-overdue');

    // An earlier date: the page asks main again.
    const earlier = addDays(todayIn(), -60);
    const before = await api<{ total: { count: number } }>(page, 'portfolioReports.overdue', { asOf: earlier, officer: null });
    await page.getByLabel(zh('portfolioReports.asOf'), { exact: true }).fill(earlier);
    await page.getByRole('button', { name: zh('portfolioReports.refresh') }).click();
    await expect(page.getByTestId('overdue-total').locator('p').first()).toHaveText(String(before.total.count));

    // English: every label is English; only data (names) stays Chinese.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('tab', { name: en('portfolioReports.overdueTab'), exact: true })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: en('portfolioReports.col.overdue') })).toBeVisible();
    await expect(page.getByTestId('overdue-reasons')).toContainText(en('portfolioReports.reasonCol'));
    await expectNoChinese(page, [INSTITUTION, '王强（信贷主管）']);
    await shot(page, 'portfolioReports-03-overdue-en');
    await page.getByRole('tab', { name: en('portfolioReports.limitationTab'), exact: true }).click();
    await expect(report.locator('tr[data-contract="E2E-LIM-30"]')).toContainText(en('limitationUi.kindLabel.due'));
    await expect(page.getByTestId('limitation-counts').locator('[data-band="30"]')).toHaveText(`${en('portfolioReports.band.30')}: 1`);
    await expectNoChinese(page, [INSTITUTION, '王强（信贷主管）', '李明（信贷员）', '钱时效']);
    await shot(page, 'portfolioReports-04-limitation-en');
  } finally {
    await bridge.stop();
  }
});
