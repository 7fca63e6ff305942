import { expect, test, type Page } from '@playwright/test';
import { addDays, todayIn } from '../../src/shared/domain';
import { demoBridge, login, logout } from './flows';
import { shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');
const OFFICER = '李明（信贷员）';
const ENTRY = '核实仓库存货，数量与台账一致';

async function api<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(async ([c, i]) => (window as unknown as { api: { invoke(c: string, i: unknown): Promise<unknown> } }).api.invoke(c as string, i), [channel, input] as const);
  const env = r as { ok: boolean; value: T; error?: { message: string } };
  if (!env.ok) throw new Error(`${channel}: ${env.error?.message}`);
  return env.value;
}

type NavKey = 'nav.audit' | 'nav.worklog' | 'nav.inspections' | 'nav.archive';
async function open(page: Page, nav: NavKey, t = zh) {
  await page.getByRole('navigation').getByRole('button', { name: t(nav), exact: true }).click();
}

async function pick(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function typeDate(page: Page, label: string, date: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(date);
  await input.press('Tab');
  await expect(input).toHaveValue(date);
}

test('lists that can be searched: the audit log by user and date, the work log by text and kind, inspections by due date, missing files by item', async ({ page }) => {
  test.setTimeout(480_000);
  const bridge = await demoBridge(page);
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    const today = todayIn();

    // officer1 writes an entry and records a collection contact on one of their loans.
    await login(page, 'officer1');
    const loans = await api<{ rows: { id: number; contractNo: string }[] }>(page, 'loans.list', { query: '', officer: null, bucket: null, level: null, status: 'active', sort: 'contractNo', direction: 'asc', limit: 5, offset: 0 });
    const l = loans.rows[0];
    const detail = await api<{ borrower: { id: number } }>(page, 'loans.get', { id: l.id, asOf: null });
    await api(page, 'worklog.add', { borrowerId: detail.borrower.id, loanId: l.id, entryDate: today, kind: 'visit', content: ENTRY });
    await api(page, 'contacts.add', { loanId: l.id, channel: 'call', target: '借款人本人', slot: 'morning', outcome: 'promised', note: '称本周内还款', contactedOn: today, reason: 'income-loss' });
    await logout(page);

    // The audit log, by user and date: officer1's entries of today, their name shown, actions in words.
    await login(page, 'admin');
    await open(page, 'nav.audit');
    await pick(page, zh('audit.actor'), OFFICER);
    await typeDate(page, zh('listFilters.from'), today);
    await typeDate(page, zh('listFilters.to'), today);
    const audit = await api<{ total: number }>(page, 'audit.list', { actor: 'officer1', from: today, to: today, limit: 1, offset: 0 });
    expect(audit.total).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId('audit-count')).toHaveText(zh('audit.total', { count: audit.total }));
    // The audit table's, not a date picker's left open by the filters (it renders outside the page's main).
    const actors = await page.getByRole('main').locator('table tbody tr td:nth-child(2)').allInnerTexts();
    expect(new Set(actors)).toEqual(new Set([OFFICER]));
    await expect(page.getByRole('cell', { name: zh('auditActions.contacts.add') })).toBeVisible();
    await expect(page.getByRole('cell', { name: `${zh('auditEntities.loan')} ${l.contractNo}` }).first()).toBeVisible();
    await shot(page, 'searchLists-01-audit-user-date');
    // The chain checked from the page says what main finds.
    const chain = await api<{ ok: boolean; count: number }>(page, 'audit.verify', {});
    expect(chain.ok).toBe(true);
    await page.getByRole('button', { name: zh('audit.verify') }).click();
    await expect(page.getByText(zh('audit.verifyOk', { count: chain.count }))).toBeVisible();

    // The same filters in English: they read in English, keep what was chosen, and the action filter still filters.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('heading', { name: en('audit.title') })).toBeVisible();
    await expect(page.getByLabel(en('listFilters.from'), { exact: true })).toHaveValue(today);
    await expect(page.getByLabel(en('listFilters.to'), { exact: true })).toHaveValue(today);
    await expect(page.getByTestId('audit-count')).toHaveText(en('audit.total', { count: audit.total }));
    await pick(page, en('audit.action'), en('auditActions.contacts.add'));
    const contacts = await api<{ total: number }>(page, 'audit.list', { actor: 'officer1', from: today, to: today, action: 'contacts.add', limit: 1, offset: 0 });
    expect(contacts.total).toBeGreaterThanOrEqual(1);
    expect(contacts.total).toBeLessThan(audit.total);
    await expect(page.getByTestId('audit-count')).toHaveText(en('audit.total', { count: contacts.total }));
    await expect(page.locator('table tbody tr')).toHaveCount(contacts.total);
    expect(new Set(await page.locator('table tbody tr td:nth-child(3)').allInnerTexts())).toEqual(new Set([en('auditActions.contacts.add')]));
    await shot(page, 'searchLists-06-audit-en');
    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('audit.title') })).toBeVisible();
    await logout(page);

    // The work log: found by its text; contacts listed as entries of their own kind.
    await login(page, 'supervisor1');
    // The home page's count of inspections opens the list it counted: planned visits due by the horizon.
    const horizon = addDays(today, 7);
    const planned = await api<{ overdue: boolean }[]>(page, 'inspections.list', { loanId: null, status: 'planned', dueFrom: null, dueBefore: horizon });
    await page.getByTestId('today-count-inspections').click();
    await expect(page.getByRole('heading', { name: zh('inspections.title') })).toBeVisible();
    await expect(page.getByLabel(zh('inspections.dueTo'), { exact: true })).toHaveValue(horizon);
    await expect(page.getByTestId('inspections-summary')).toHaveText(zh('inspections.summary', { count: planned.length, overdue: planned.filter((p) => p.overdue).length }));
    await open(page, 'nav.worklog');
    await page.getByRole('tab', { name: zh('worklogUi.entriesTab') }).click();
    await page.getByLabel(zh('worklogUi.query'), { exact: true }).fill('仓库存货');
    const entries = page.getByTestId('worklog-entries');
    await expect(page.getByTestId('worklog-count')).toHaveText(zh('worklogUi.count', { count: 1 }));
    await expect(entries.locator('tbody tr')).toHaveCount(1);
    await expect(entries.locator('tbody tr').first()).toContainText(ENTRY);
    await expect(entries.locator('tbody tr').first()).toContainText(OFFICER);
    // The supervisor's 点评 button is whole inside the table, not cut at its edge.
    await expect(entries.getByRole('button', { name: zh('worklogUi.commentAction') })).toBeInViewport({ ratio: 1 });
    await shot(page, 'searchLists-02-worklog-search');
    await page.getByLabel(zh('worklogUi.query'), { exact: true }).fill('');
    await pick(page, zh('worklogUi.kindFilter'), zh('worklog.kind.contact'));
    await expect(page.getByTestId('worklog-count')).toHaveText(zh('worklogUi.count', { count: 1 }));
    const contact = entries.locator('tbody tr').first();
    await expect(contact).toContainText(zh('worklog.kind.contact'));
    await expect(contact).toContainText('借款人本人');
    await shot(page, 'searchLists-03-worklog-contacts');
    await contact.getByRole('button', { name: zh('worklogUi.openCollections') }).click();
    await expect(page.getByRole('tab', { name: zh('collectionsUi.tab'), selected: true })).toBeVisible();

    // Inspections by due date: the page shows what main returns for the range.
    await open(page, 'nav.inspections');
    await pick(page, zh('inspections.statusFilter'), zh('inspections.all'));
    // A range from a quarter to half-way through the due dates, so that some fall inside it and some outside.
    const dates = (await api<{ dueDate: string }[]>(page, 'inspections.list', { loanId: null, status: null, dueBefore: null })).map((d) => d.dueDate).sort();
    expect(dates.length).toBeGreaterThan(4);
    const [from, to] = [dates[Math.floor(dates.length / 4)], dates[Math.floor(dates.length / 2)]];
    await typeDate(page, zh('inspections.dueFrom'), from);
    await typeDate(page, zh('inspections.dueTo'), to);
    const due = await api<{ dueDate: string }[]>(page, 'inspections.list', { loanId: null, status: null, dueFrom: from, dueBefore: to });
    expect(due.map((d) => d.dueDate).sort()).toEqual(dates.filter((d) => d >= from && d <= to));
    expect(due.length).toBeLessThan(dates.length);
    await expect(page.getByTestId('inspections-summary')).toContainText(`共 ${due.length} 项`);
    await shot(page, 'searchLists-04-inspections-due');

    // 档案缺失 by missing item.
    await open(page, 'nav.archive');
    await page.getByRole('tab', { name: zh('archiveUi.tabs.gaps') }).click();
    const missing = await api<{ contractNo: string }[]>(page, 'archive.gaps', { docType: 'guarantee-contract' });
    await pick(page, zh('archiveUi.missingItem'), '保证合同');
    await expect(page.getByText(zh('archiveUi.gapsCount', { count: missing.length }))).toBeVisible();
    if (missing.length > 0) await expect(page.getByTestId('gaps').locator('tbody tr').first()).toContainText('保证合同');
    await shot(page, 'searchLists-05-archive-missing');

    // In English: the missing item, the inspections' due range and the work-log search read in English and still filter.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('combobox', { name: en('archiveUi.missingItem'), exact: true })).toHaveValue('Guarantee contract');
    await expect(page.getByText(en('archiveUi.gapsCount', { count: missing.length }))).toBeVisible();
    // Another item some files do miss: the list narrows to those, the item named in English.
    const types = await api<{ code: string; nameEn: string; active: boolean }[]>(page, 'archive.docTypes', {});
    let other: { code: string; nameEn: string; rows: { contractNo: string }[] } | null = null;
    for (const d of types.filter((x) => x.active && x.code !== 'guarantee-contract')) {
      const rows = await api<{ contractNo: string }[]>(page, 'archive.gaps', { docType: d.code });
      if (rows.length > 0) {
        other = { code: d.code, nameEn: d.nameEn, rows };
        break;
      }
    }
    expect(other).not.toBeNull();
    await pick(page, en('archiveUi.missingItem'), other!.nameEn);
    await expect(page.getByText(en('archiveUi.gapsCount', { count: other!.rows.length }))).toBeVisible();
    await expect(page.getByTestId('gaps').locator('tbody tr')).toHaveCount(other!.rows.length);
    await expect(page.getByTestId('gaps').locator('tbody tr').first()).toContainText(other!.nameEn);
    await shot(page, 'searchLists-07-archive-missing-en');

    await open(page, 'nav.inspections', en);
    await pick(page, en('inspections.statusFilter'), en('inspections.all'));
    await typeDate(page, en('inspections.dueFrom'), from);
    await typeDate(page, en('inspections.dueTo'), to);
    const dueOverdue = (await api<{ overdue: boolean }[]>(page, 'inspections.list', { loanId: null, status: null, dueFrom: from, dueBefore: to })).filter((d) => d.overdue).length;
    await expect(page.getByTestId('inspections-summary')).toHaveText(en('inspections.summary', { count: due.length, overdue: dueOverdue }));
    await shot(page, 'searchLists-08-inspections-due-en');
    // A loan opened from the list and left again: the list is as it was (the filters are in the URL).
    await page.getByTestId('inspections').locator('tbody tr').first().getByRole('button').first().click();
    await expect(page.getByTestId('loan-contract-no')).toBeVisible();
    await page.getByRole('button', { name: en('loan.back') }).click();
    await expect(page.getByLabel(en('inspections.dueFrom'), { exact: true })).toHaveValue(from);
    await expect(page.getByLabel(en('inspections.dueTo'), { exact: true })).toHaveValue(to);
    await expect(page.getByTestId('inspections-summary')).toHaveText(en('inspections.summary', { count: due.length, overdue: dueOverdue }));

    await open(page, 'nav.worklog', en);
    await page.getByRole('tab', { name: en('worklogUi.entriesTab') }).click();
    await page.getByLabel(en('worklogUi.query'), { exact: true }).fill('仓库存货');
    await expect(page.getByTestId('worklog-count')).toHaveText(en('worklogUi.count', { count: 1 }));
    await expect(entries.locator('tbody tr')).toHaveCount(1);
    await expect(entries.locator('tbody tr').first()).toContainText(ENTRY);
    await expect(entries.locator('tbody tr').first()).toContainText(en('worklog.kind.visit'));
    await shot(page, 'searchLists-09-worklog-search-en');
  } finally {
    await bridge.stop();
  }
});
