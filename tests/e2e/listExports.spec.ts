import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import type { MessageKey } from '../../src/shared/i18n';
import type { ListName } from '../../src/shared/ipc/listExport';
import { startBridge } from './bridge';
import { firstRun, login, logout } from './flows';
import { shot, tr } from './helpers';

const zh = tr('zh-CN');

test('the loans list exports what it shows: filtered to overdue, the file has as many rows as the count', async ({ page }, info) => {
  test.setTimeout(240_000);
  const bridge = await startBridge();
  try {
    await page.goto(bridge.url);
    await firstRun(page, { demoBorrowers: 60, timeout: 120_000 });
    await login(page, 'supervisor1');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    const loans = page.getByTestId('loan-list');
    await expect(loans).toHaveAttribute('data-total', /^\d+$/);
    const all = Number(await loans.getAttribute('data-total'));

    // Only the overdue loans (M1 and worse).
    await page.getByRole('combobox', { name: zh('loans.bucket'), exact: true }).click();
    await page.getByRole('option', { name: zh('loans.overdueBucket'), exact: true }).click();
    await expect(loans).not.toHaveAttribute('data-total', String(all));
    await expect(loans).toHaveAttribute('data-total', /^\d+$/);
    const n = Number(await loans.getAttribute('data-total'));
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(all);
    const first = (await loans.locator('tbody tr[data-index="0"]').getByRole('button').innerText()).trim();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${zh('listExport.title.loans')}_\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
    const file = info.outputPath('loans.xlsx');
    await download.saveAs(file);
    await shot(page, 'list-exports-01-loans-overdue');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    expect(ws.getCell('A1').value).toBe(zh('listExport.title.loans'));
    expect(String(ws.getCell('A2').value)).toContain(zh('loans.overdueBucket'));
    expect(String(ws.getCell('A3').value)).toContain('导出人：');
    // Title, filters, stamp and header rows, then one row per loan the list counts, in the list's order.
    expect(ws.rowCount - 4).toBe(n);
    expect(ws.getCell('A5').value).toBe(first);
    const buckets = new Set<string>();
    for (let r = 5; r <= ws.rowCount; r++) buckets.add(String(ws.getRow(r).getCell(8).value));
    expect(buckets.has('M0')).toBe(false);

    // Every other list page has the button and saves its workbook, named after its list.
    const pages: [MessageKey, ListName, (() => Promise<void>)?][] = [
      ['nav.borrowers', 'borrowers'],
      ['nav.inspections', 'inspections'],
      ['nav.warnings', 'warnings'],
      ['nav.worklog', 'worklog', () => page.getByRole('tab', { name: zh('worklogUi.entriesTab') }).click()],
      ['nav.collections', 'notices', () => page.getByRole('tab', { name: zh('collectionsUi.chaseTab') }).click()],
      ['nav.writeoffs', 'writeoffs'],
    ];
    for (const [nav, list, open] of pages) {
      await page.getByRole('navigation').getByRole('button', { name: zh(nav), exact: true }).click();
      await open?.();
      const button = page.getByTestId('export-xlsx');
      await expect(button).toBeEnabled();
      const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
      expect(dl.suggestedFilename(), list).toMatch(new RegExp(`^${zh(`listExport.title.${list}`)}_\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
      await shot(page, `list-exports-02-${list}`);
    }

    // The audit log, for whoever reads it; the exports above are in it.
    await logout(page);
    await login(page, 'admin');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.audit'), exact: true }).click();
    await expect(page.getByRole('cell', { name: zh('auditActions.list.export') }).first()).toBeVisible();
    // The list is named in words, not by its internal name.
    await expect(page.getByRole('cell', { name: zh('listExport.title.loans'), exact: true }).first()).toBeVisible();
    const [audit] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(audit.suggestedFilename()).toMatch(new RegExp(`^${zh('listExport.title.audit')}_`));
    await shot(page, 'list-exports-03-audit');
  } finally {
    await bridge.stop();
  }
});
