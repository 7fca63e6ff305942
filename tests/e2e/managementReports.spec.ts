import { expect, test, type Page } from '@playwright/test';
import { addDays, todayIn } from '../../src/shared/domain';
import { demoBridge, INSTITUTION, login, logout } from './flows';
import { join } from 'node:path';
import { expectNoChinese, SCREENS, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

async function api<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(async ([c, i]) => (window as unknown as { api: { invoke(c: string, i: unknown): Promise<unknown> } }).api.invoke(c as string, i), [channel, input] as const);
  const env = r as { ok: boolean; value: T; error?: { message: string } };
  if (!env.ok) throw new Error(`${channel}: ${env.error?.message}`);
  return env.value;
}

test('管理报表: KPI cards from the month-end snapshot, tables, charts, in Chinese and English', async ({ page }) => {
  test.setTimeout(480_000);
  const bridge = await demoBridge(page);
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
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
    // The total row carries the ten borrowers' loans and balance, as the workbook's does.
    const top = await api<{ topBorrowers: { count: number; balanceFen: number }[] }>(page, 'managementReports.concentration', { asOf: monthEnd });
    const totalRow = page.getByTestId('mr-top10').locator('tbody tr').last();
    await expect(totalRow).toContainText(String(top.topBorrowers.reduce((n, r) => n + r.count, 0)));
    await expect(totalRow).toContainText(yuan(top.topBorrowers.reduce((n, r) => n + r.balanceFen, 0)));
    await expect(page.locator('.recharts-surface').first()).toBeVisible();
    await page.getByTestId('kpi-nplRatio').hover();
    await expect(page.getByRole('tooltip')).toHaveText(zh('managementReports.def.nplRatio'));
    await shot(page, 'managementReports-01-zh');

    const dl = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('managementReports.exportXlsx') }).click()]);
    expect(dl[0].suggestedFilename()).toBe(`贷后管理月报_${monthEnd}.xlsx`);

    // The sections that were channel-only: each with its table (and chart) and its definition on hover.
    for (const id of ['mr-provisioning', 'mr-migration', 'mr-migration-buckets', 'mr-industry', 'mr-product', 'mr-debtors', 'mr-sellers', 'mr-vintage', 'mr-vintage-curves']) {
      await expect(page.getByTestId(id)).toBeVisible();
    }
    const conc = await api<{ byIndustry: { key: string }[]; byProduct: { key: string }[]; topBorrowers: { key: string }[]; factoring: { byDebtor: { key: string; breach: boolean }[]; bySeller: { key: string }[]; breaches: number } }>(
      page,
      'managementReports.concentration',
      { asOf: monthEnd },
    );
    await expect(page.getByTestId('mr-product').locator('tbody tr')).toHaveCount(conc.byProduct.length);
    await expect(page.getByTestId('mr-debtors').locator('tbody tr[data-breach]')).toHaveCount(conc.factoring.byDebtor.filter((r) => r.breach).length);
    await expect(page.getByTestId('mr-factoring-breaches')).toHaveText(zh('managementReports.analysis.breaches', { count: conc.factoring.breaches }));
    const vin = await api<{ curves: { vintage: string }[] }>(page, 'managementReports.vintage', { asOf: monthEnd });
    await expect(page.getByTestId('mr-vintage-curves').locator('tbody tr')).toHaveCount(vin.curves.length);
    await page.getByTestId('mr-migration-measure').getByText(zh('managementReports.analysis.byBalance')).click();
    await expect(page.getByTestId('mr-migration-buckets')).toHaveAttribute('data-measure', 'balance');
    await page.getByTestId('mr-vintage-section').getByRole('heading').hover();
    await expect(page.getByRole('tooltip')).toHaveText(zh('managementReports.analysis.vintageDef'));

    // Provision held for the month-end: the coverage ratio now uses it, and says so.
    const pctOf = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
    const before = await api<{ provisionRequiredFen: number; nplBalanceFen: number; balanceFen: number; coverageRatio: number | null; provisionRatio: number | null }>(page, 'managementReports.kpis', { asOf: monthEnd });
    await expect(page.getByTestId('mr-coverage-basis')).toHaveText(zh('managementReports.provisioning.basis.required'));
    await expect(page.getByTestId('mr-coverage')).toHaveText(pctOf(before.coverageRatio));
    await expect(page.getByTestId('mr-provision-ratio')).toHaveText(pctOf(before.provisionRatio));
    const heldFen = before.provisionRequiredFen * 2 + 12_345;
    await page.getByTestId('mr-record-held').click();
    await page.getByTestId('held-amount').fill((heldFen / 100).toFixed(2));
    await page.screenshot({ path: join(SCREENS, 'managementReports-03-held-form.png') });
    await page.getByRole('dialog').getByRole('button', { name: zh('managementReports.provisioning.save') }).click();
    await expect(page.getByTestId('mr-coverage-basis')).toHaveText(zh('managementReports.provisioning.basis.held'), { timeout: 30_000 });
    await expect(page.getByTestId('mr-held')).toHaveText(yuan(heldFen));
    // Coverage is held ÷ NPL (none in some demo months: then "—"); the provision ratio held ÷ balance, now doubled.
    await expect(page.getByTestId('mr-coverage')).toHaveText(pctOf(before.nplBalanceFen ? heldFen / before.nplBalanceFen : null));
    await expect(page.getByTestId('mr-provision-ratio')).toHaveText(pctOf(heldFen / before.balanceFen));
    expect(pctOf(heldFen / before.balanceFen)).not.toBe(pctOf(before.provisionRatio));
    // Each section as it shows in a 1366×768 window.
    for (const [id, name] of [['mr-provisioning', '04-provisioning'], ['mr-migration-section', '05-migration'], ['mr-industry-section', '06-industry'], ['mr-factoring-section', '07-factoring'], ['mr-vintage-section', '08-vintage']]) {
      await page.getByTestId(id).scrollIntoViewIfNeeded();
      await page.getByTestId(id).screenshot({ path: join(SCREENS, `managementReports-${name}.png`) });
    }

    await page.getByText('English', { exact: true }).click();
    await expect(page.getByTestId('mr-source')).toContainText(en('managementReports.source.snapshot'));
    await page.getByTestId('mr-source').scrollIntoViewIfNeeded();
    const names = [...conc.topBorrowers, ...conc.byIndustry, ...conc.byProduct, ...conc.factoring.byDebtor, ...conc.factoring.bySeller].map((r) => r.key).filter(Boolean);
    await expectNoChinese(page, [INSTITUTION, '王强（信贷主管）', ...names]);
    await shot(page, 'managementReports-02-en');
    await page.getByText('中文', { exact: true }).click();

    // The administrator sets a provisioning rate (settings); a live date then uses it.
    await logout(page);
    await login(page, 'admin');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.settings'), exact: true }).click();
    await expect(page.getByTestId('provision-rate-normal')).toHaveText('1%');
    await page.getByTestId('provision-rates-edit').click();
    await page.getByTestId('rate-normal').fill('1.234');
    await page.getByRole('dialog').getByRole('button', { name: zh('managementReports.provisioning.save') }).click();
    await expect(page.getByRole('dialog')).toContainText(zh('managementReports.provisioning.percentInvalid'));
    await page.getByTestId('rate-normal').fill('1.5');
    await page.screenshot({ path: join(SCREENS, 'managementReports-09-rates-form.png') });
    await page.getByRole('dialog').getByRole('button', { name: zh('managementReports.provisioning.save') }).click();
    await expect(page.getByTestId('provision-rate-normal')).toHaveText('1.5%');
    await expect.poll(async () => (await api<{ byLevel: { normal: number } }>(page, 'managementReports.provisionRates', {})).byLevel.normal).toBe(150);
    // …and the 205号 concentration limits: one debtor at most 0.01 % flags every debtor with a balance.
    await expect(page.getByTestId('limit-debtor-value')).toHaveText('50%');
    await page.getByTestId('concentration-limits-edit').click();
    await page.getByTestId('limit-debtor').fill('0.001');
    await page.getByRole('dialog').getByRole('button', { name: zh('managementReports.provisioning.save') }).click();
    await expect(page.getByRole('dialog')).toContainText(zh('managementReports.provisioning.percentInvalid'));
    await page.getByTestId('limit-debtor').fill('0.01');
    await page.getByTestId('concentration-limits').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENS, 'managementReports-10-limits-form.png') });
    await page.getByRole('dialog').getByRole('button', { name: zh('managementReports.provisioning.save') }).click();
    await expect(page.getByTestId('limit-debtor-value')).toHaveText('0.01%');
    await expect(page.getByTestId('limit-related-value')).toHaveText('40%');
    await logout(page);
    await login(page, 'supervisor1');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.managementReports'), exact: true }).click();
    const strict = await api<{ factoring: { byDebtor: { key: string; share: number | null; breach: boolean }[]; breaches: number; relatedParty: { breach: boolean } } }>(page, 'managementReports.concentration', { asOf: monthEnd });
    const flagged = strict.factoring.byDebtor.filter((r) => r.breach).length;
    expect(flagged).toBe(strict.factoring.byDebtor.filter((r) => r.key !== '' && (r.share ?? 0) > 0.0001).length);
    expect(flagged).toBeGreaterThan(conc.factoring.byDebtor.filter((r) => r.breach).length);
    await expect(page.getByTestId('mr-debtors').locator('tbody tr[data-breach]')).toHaveCount(flagged);
    await expect(page.getByTestId('mr-factoring-breaches')).toHaveText(zh('managementReports.analysis.breaches', { count: strict.factoring.breaches }));
    await page.getByTestId('mr-factoring-section').scrollIntoViewIfNeeded();
    await page.getByTestId('mr-factoring-section').screenshot({ path: join(SCREENS, 'managementReports-11-factoring-strict.png') });
    await page.getByLabel(zh('managementReports.asOf')).fill(todayIn());
    await page.getByRole('button', { name: zh('managementReports.show') }).click();
    await expect(page.getByTestId('mr-source')).toContainText(zh('managementReports.source.live'));
    await expect(page.getByTestId('mr-provision-table').locator('tr[data-level="normal"] td').nth(1)).toHaveText('1.5%');
    const live = await api<{ provisionRequiredFen: number; coverageRatio: number | null }>(page, 'managementReports.kpis', { asOf: todayIn() });
    await expect(page.getByTestId('mr-required')).toHaveText(yuan(live.provisionRequiredFen));
    await expect(page.getByTestId('mr-coverage')).toHaveText(pctOf(live.coverageRatio));
  } finally {
    await bridge.stop();
  }
});
