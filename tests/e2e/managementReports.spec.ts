import { expect, test, type Page } from '@playwright/test';
import { addDays, todayIn } from '../../src/shared/domain';
import { startBridge } from './bridge';
import { firstRun, INSTITUTION, login } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

async function api<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(async ([c, i]) => (window as unknown as { api: { invoke(c: string, i: unknown): Promise<unknown> } }).api.invoke(c as string, i), [channel, input] as const);
  const env = r as { ok: boolean; value: T; error?: { message: string } };
  if (!env.ok) throw new Error(`${channel}: ${env.error?.message}`);
  return env.value;
}

test('管理报表: KPI cards from the month-end snapshot, tables, charts, in Chinese and English', async ({ page }) => {
  test.setTimeout(180_000);
  const bridge = await startBridge();
  try {
    await page.goto(bridge.url);
    await firstRun(page, { demoBorrowers: 30 });
    await login(page, 'supervisor1');
    const monthEnd = addDays(`${todayIn().slice(0, 7)}-01`, -1);
    // The sign-in job fills the missing month-ends in the background.
    await expect.poll(async () => (await api<{ asOf: string }[]>(page, 'managementReports.snapshots', {})).some((s) => s.asOf === monthEnd), { timeout: 60_000 }).toBe(true);
    const k = await api<{ loans: number; balanceFen: number; nplRatio: number | null }>(page, 'managementReports.kpis', { asOf: monthEnd });
    expect(k.loans).toBeGreaterThan(10);

    await page.getByRole('navigation').getByRole('button', { name: zh('nav.managementReports'), exact: true }).click();
    await expect(page.getByTestId('mr-source')).toContainText(zh('managementReports.source.snapshot'));
    await expect(page.getByTestId('kpi-loans')).toContainText(String(k.loans));
    const yuan = (fen: number) => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    await expect(page.getByTestId('kpi-balance')).toContainText(yuan(k.balanceFen));
    await expect(page.getByTestId('kpi-nplRatio')).toContainText(k.nplRatio === null ? '—' : `${(k.nplRatio * 100).toFixed(2)}%`);
    await expect(page.getByTestId('mr-classes')).toBeVisible();
    await expect(page.getByTestId('mr-top10')).toBeVisible();
    await expect(page.locator('.recharts-surface').first()).toBeVisible();
    await page.getByTestId('kpi-nplRatio').hover();
    await expect(page.getByRole('tooltip')).toHaveText(zh('managementReports.def.nplRatio'));
    await shot(page, 'managementReports-01-zh');

    const dl = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('managementReports.exportXlsx') }).click()]);
    expect(dl[0].suggestedFilename()).toBe(`贷后管理月报_${monthEnd}.xlsx`);

    await page.getByText('English', { exact: true }).click();
    await expect(page.getByTestId('mr-source')).toContainText(en('managementReports.source.snapshot'));
    await expectNoChinese(page, [INSTITUTION, '王强（信贷主管）', ...(await api<{ topBorrowers: { key: string }[] }>(page, 'managementReports.concentration', { asOf: monthEnd })).topBorrowers.map((r) => r.key)]);
    await shot(page, 'managementReports-02-en');
  } finally {
    await bridge.stop();
  }
});
