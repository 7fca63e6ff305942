import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { addDays, enforcementDeadline, todayIn } from '../../src/shared/domain';
import { startBridge } from './bridge';
import { firstRun, INSTITUTION, login, logout } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

async function openLoan(page: Page, contractNo: string): Promise<void> {
  await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
  await page.getByLabel(zh('loans.query'), { exact: true }).fill(contractNo);
  await page.getByRole('button', { name: contractNo }).click();
  await expect(page.getByTestId('loan-contract-no')).toHaveText(contractNo);
}

test('supervisor batch-prints the day’s notices; a scanned receipt restarts the limitation period', async ({ page }) => {
  test.setTimeout(300_000);
  const bridge = await startBridge();
  try {
    await page.goto(bridge.url);
    // Enough borrowers that some bullet loans matured long ago and are overdue: their limitation clock runs.
    await firstRun(page, { demoBorrowers: 100 });
    await login(page, 'supervisor1');

    // 催收: the notices due today, all selected; one filter, then back to everything.
    await page.getByRole('button', { name: zh('nav.collections'), exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('collectionsUi.title') })).toBeVisible();
    const due = page.getByTestId('due-notices');
    const dueRows = due.locator('tbody tr[data-contract]');
    await expect(dueRows.first()).toBeVisible();
    const total = await dueRows.count();
    expect(total).toBeGreaterThan(5);
    await expect(page.getByTestId('due-selected')).toHaveText(zh('collectionsUi.selected', { count: total }));
    await page.getByRole('combobox', { name: zh('collectionsUi.bucket'), exact: true }).click();
    await page.getByRole('option', { name: 'M7+', exact: true }).click();
    await expect(dueRows.first()).toBeVisible();
    expect(await dueRows.count()).toBeLessThan(total);
    await shot(page, 'collections-01-due-filtered');
    await page.getByRole('combobox', { name: zh('collectionsUi.bucket'), exact: true }).click();
    await page.getByRole('option', { name: zh('portfolio.all'), exact: true }).click();
    await expect(dueRows).toHaveCount(total);
    await shot(page, 'collections-02-due');

    // The same page in English: every word but the data (borrowers, staff names, the institution).
    const data = [INSTITUTION, ...(await due.locator('tbody tr td:nth-child(3)').allInnerTexts()), ...(await due.locator('tbody tr td:nth-child(4)').allInnerTexts())];
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('heading', { name: en('collectionsUi.title') })).toBeVisible();
    await expect(due.getByRole('columnheader', { name: en('collectionsUi.docType') })).toBeVisible();
    await expectNoChinese(page, [...data, '王强（信贷主管）']);
    await shot(page, 'collections-03-due-en');
    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('collectionsUi.title') })).toBeVisible();

    // A batch cancelled while it is being prepared: what was made is voided and nothing counts as printed.
    await page.getByRole('button', { name: zh('collectionsUi.previewPrint') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: zh('noticesUi.cancel'), exact: true }).click();
    const [pre, post] = zh('noticesUi.cancelled', { count: 9999 }).split('9999');
    await expect(dialog.getByText(new RegExp(`^${pre}\\d+${post}$`))).toBeVisible({ timeout: 60_000 });
    await expect(dialog.getByTestId('prepared-notices')).toHaveCount(0);
    // The heading says the run stopped, not that notices were made.
    await expect(dialog.getByTestId('print-progress')).toContainText(zh('noticesUi.stopped'));
    await expect(dialog.getByTestId('print-progress')).not.toContainText(zh('noticesUi.prepared'));
    await shot(page, 'collections-04a-cancelled');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(dueRows).toHaveCount(total);

    // 预览并打印: prepared in chunks with a progress bar, then printed as ONE job and confirmed once.
    await page.getByRole('button', { name: zh('collectionsUi.previewPrint') }).click();
    await expect(dialog.getByTestId('print-progress').getByRole('progressbar')).toBeVisible();
    await shot(page, 'collections-04-preparing');
    await expect(dialog.getByTestId('prepared-notices')).toBeVisible({ timeout: 60_000 });
    await expect(dialog.getByTestId('print-progress').getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    await expect(dialog.getByText(zh('noticesUi.progress', { done: total, total }))).toBeVisible();
    const printed = dialog.getByTestId('prepared-notices').locator('tbody tr');
    expect(await printed.count()).toBeGreaterThan(0);
    await shot(page, 'collections-05-prepared');
    const serials = (await printed.getByTestId('notice-serial').allInnerTexts()).map((x) => x.trim());
    const count = serials.length;
    const job = dialog.getByTestId('print-job');
    const ask = job.getByText(zh('noticesUi.askAll', { count }));

    // What main answers in the desktop app, stood in for here (the bridge has no print window). One call
    // carries every prepared part (one PDF per chunk of 50). A cancelled dialog printed nothing: no question.
    const shellCalls: { channel: string; parts: number }[] = [];
    let answer: unknown = { available: true, outcome: 'cancelled', message: null };
    await page.route('**/__invoke', async (route) => {
      const { channel, input } = route.request().postDataJSON() as { channel: string; input: { parts?: string[] } };
      if (channel !== 'shell.printPdf' && channel !== 'shell.openPdf') return route.continue();
      shellCalls.push({ channel, parts: input.parts?.length ?? 0 });
      const value = channel === 'shell.printPdf' ? answer : { available: true, path: '/tmp/notices.pdf' };
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value }) });
    });
    const partCount = Math.ceil(total / 50);
    await job.getByRole('button', { name: zh('noticesUi.printAll', { count }) }).click();
    await expect(job.getByTestId('print-hint')).toHaveText(zh('noticesUi.dialogCancelled'));
    await expect(ask).toHaveCount(0);
    expect(shellCalls).toEqual([{ channel: 'shell.printPdf', parts: partCount }]);

    // A failed print shows main's reason and offers the system's PDF reader; it may have printed from there.
    answer = { available: true, outcome: 'failed', message: '打印失败（打印机脱机）' };
    await job.getByRole('button', { name: zh('noticesUi.printAll', { count }) }).click();
    const failed = page.getByTestId('print-failed');
    await expect(failed).toContainText('打印失败（打印机脱机）');
    await expect(job.getByTestId('print-hint')).toHaveText(zh('noticesUi.printFailedHint'));
    await expect(ask).toBeVisible();
    await shot(page, 'collections-06a-print-failed');
    await failed.getByRole('button', { name: zh('print.openInReader') }).click();
    await expect(failed).toHaveCount(0);
    expect(shellCalls.slice(1)).toEqual([
      { channel: 'shell.printPdf', parts: partCount },
      { channel: 'shell.openPdf', parts: partCount },
    ]);
    await page.unroute('**/__invoke');

    // Under the bridge printing falls back to downloading the job: one PDF with every prepared notice.
    const [download] = await Promise.all([page.waitForEvent('download'), job.getByRole('button', { name: zh('noticesUi.printAgain') }).click()]);
    expect(download.suggestedFilename()).toBe(zh('noticesUi.jobFileName', { count }));
    const pdfPath = await download.path();
    expect((await PDFDocument.load(readFileSync(pdfPath))).getPageCount()).toBeGreaterThanOrEqual(count);
    const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-']).toString('utf8').replace(/\s+/g, '');
    for (const serial of serials) expect(pdfText).toContain(serial);
    await expect(job.getByTestId('print-hint')).toHaveText(zh('noticesUi.downloaded'));
    await expect(ask).toBeVisible();
    await shot(page, 'collections-06-did-it-print');

    // One answer confirms every batch.
    await job.getByRole('button', { name: zh('noticesUi.printed'), exact: true }).click();
    await expect(job.getByText(zh('noticesUi.confirmedCount', { count }))).toBeVisible();
    await expect(job).toHaveAttribute('data-step', 'decided');
    await expect(printed.filter({ hasText: zh('collectionsUi.noticeStatus.printed') })).toHaveCount(count);
    // Decided, the dialog no longer asks for the confirmation it has.
    await expect(page.getByText(zh('noticesUi.readyDecided', { count }))).toBeVisible();
    await expect(page.getByText(zh('noticesUi.ready', { count }))).toHaveCount(0);

    // A notice of a loan whose last instalment fell due long ago, so a signed receipt moves its limitation date.
    // (Which loans matured is read from the loan list; the serial itself is read off the screen.)
    const matured = await page.evaluate(async () => {
      const api = (window as unknown as { api: { invoke(c: string, i: unknown): Promise<{ ok: boolean; value: { asOf: string; rows: { contractNo: string; maturityDate: string }[] } }> } }).api;
      const r = await api.invoke('loans.list', { query: '', officer: null, bucket: null, level: null, status: 'active', overdueOnly: true, sort: 'dpd', direction: 'desc', limit: 200, offset: 0 });
      return r.value.rows.filter((l) => l.maturityDate < r.value.asOf).map((l) => l.contractNo);
    });
    expect(matured.length).toBeGreaterThan(0);
    const contracts = await printed.locator('td:nth-child(2)').allInnerTexts();
    const contractNo = contracts.map((c) => c.trim()).find((c) => matured.includes(c))!;
    expect(contractNo).toBeTruthy();
    const serial = (await printed.filter({ hasText: contractNo }).first().getByTestId('notice-serial').innerText()).trim();
    expect(serial).toMatch(/^\d{4}-[A-Z]+-\d{6}$/);
    await shot(page, 'collections-07-confirmed');
    await dialog.getByRole('button', { name: zh('noticesUi.done') }).click();
    await expect(dialog).toHaveCount(0);

    // Printed notices are not due again this month.
    await expect(dueRows).not.toHaveCount(total);
    await page.getByRole('tab', { name: zh('collectionsUi.chaseTab') }).click();
    // The field starts at the receipt-chase setting (15 days); 0 lists every receipt still out.
    await expect(page.getByLabel(zh('collectionsUi.chaseDays'), { exact: true })).toHaveValue('15');
    await page.getByLabel(zh('collectionsUi.chaseDays'), { exact: true }).fill('0');
    await expect(page.getByTestId('chase-list').getByText(serial)).toBeVisible();
    await shot(page, 'collections-08-chase');

    // The loan's limitation date before the receipt comes back; its 催收 tab lists the printed notice.
    await openLoan(page, contractNo);
    await page.getByRole('tab', { name: zh('collectionsUi.tab'), exact: true }).click();
    await expect(page.getByTestId('loan-notices').getByText(serial)).toBeVisible();
    await expect(page.getByTestId('loan-notices')).toContainText(zh('collectionsUi.receiptStatus.pending'));
    await shot(page, 'collections-09-loan-collections');
    await page.getByRole('tab', { name: zh('limitationUi.tab'), exact: true }).click();
    const expiry = page.getByTestId('limitation-expiry');
    await expect(expiry).toBeVisible();
    const before = (await expiry.getAttribute('data-date'))!;
    await shot(page, 'collections-10-limitation-before');

    // 回执登记: the scanner types the serial and Enter into the focused field.
    await page.getByRole('button', { name: zh('nav.receipts'), exact: true }).click();
    const scan = page.getByTestId('receipt-scan');
    await expect(scan).toBeFocused();
    await page.keyboard.type('2026-XX-999999');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: zh('receiptsUi.submit') }).click();
    await expect(page.getByText(zh('errors.serialUnknown', { serial: '2026-XX-999999' }))).toBeVisible();
    await shot(page, 'collections-11-receipt-unknown');
    await page.getByRole('button', { name: zh('receiptsUi.clear') }).click();
    await expect(scan).toBeFocused();
    await page.keyboard.type(serial);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('receipt-known')).toContainText(contractNo);
    await page.getByRole('radio', { name: zh('receiptsUi.deliveryLabel.ems') }).check();
    await page.getByLabel(zh('receiptsUi.trackingNo'), { exact: true }).fill('EA123456789CN');
    await shot(page, 'collections-12-receipt-form');
    await page.getByRole('button', { name: zh('receiptsUi.submit') }).click();
    const result = page.getByTestId('receipt-result');
    await expect(result).toContainText(zh('receiptsUi.registered', { serial }));
    const after = (await page.getByTestId('receipt-new-expiry').getAttribute('data-date'))!;
    expect(after > before).toBe(true);
    await expect(scan).toBeFocused();
    await shot(page, 'collections-13-receipt-registered');

    // The same serial again is refused with the date it was registered.
    await page.keyboard.type(serial);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: zh('receiptsUi.submit') }).click();
    await expect(page.getByText(new RegExp(`编号 ${serial} 的回执已于 .* 登记，不能重复登记`))).toBeVisible();
    await shot(page, 'collections-14-receipt-duplicate');

    // The loan's 诉讼时效 tab shows the new date and the receipt as evidence.
    await page.getByRole('button', { name: zh('receiptsUi.clear') }).click();
    await result.getByRole('button', { name: zh('receiptsUi.openLoan', { no: contractNo }) }).click();
    await expect(page.getByTestId('loan-contract-no')).toHaveText(contractNo);
    await expect(expiry).toHaveAttribute('data-date', after);
    await expect(page.getByTestId('limitation-evidence')).toContainText(serial);
    await expect(page.getByTestId('limitation-evidence')).toContainText(zh('limitationUi.kindLabel.receipt'));
    await shot(page, 'collections-15-limitation-after');

    // The loan's 催收 tab: a notice type that does not apply is skipped with its reason.
    await page.getByRole('tab', { name: zh('collectionsUi.tab'), exact: true }).click();
    await page.getByRole('button', { name: zh('collectionsUi.printMenu') }).click();
    await page.getByRole('menuitem', { name: zh('noticesUi.docType.certificate-return') }).click();
    await expect(dialog.getByTestId('skipped-notices')).toContainText(zh('errors.noticeNotClosed'));
    await expect(dialog.getByText(zh('noticesUi.nothing'))).toBeVisible();
    await expect(dialog.getByTestId('print-progress')).toContainText(zh('noticesUi.preparedNone'));
    await shot(page, 'collections-16-skipped');
    await dialog.getByRole('button', { name: zh('noticesUi.done') }).click();

    // A failed call counts towards 3-3-3; a promise to pay is open until its date.
    await page.getByRole('button', { name: zh('collectionsUi.addContact') }).click();
    const contact = page.getByRole('dialog');
    await contact.getByRole('combobox', { name: zh('collectionsUi.target'), exact: true }).fill('13800138000');
    await contact.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('contacts')).toContainText('13800138000');
    await expect(page.getByTestId('lost-contact')).toContainText(zh('collectionsUi.lostNumbers', { n: 1 }));
    // The first call that reaches the borrower of this overdue loan asks why it is overdue, on its field.
    await page.getByRole('button', { name: zh('collectionsUi.addContact') }).click();
    const reached = page.getByRole('dialog');
    await reached.getByRole('combobox', { name: zh('collectionsUi.target'), exact: true }).fill('13900139000');
    await reached.getByRole('combobox', { name: zh('collectionsUi.outcome'), exact: true }).click();
    await page.getByRole('option', { name: zh('collectionsUi.outcomeLabel.reached'), exact: true }).click();
    await reached.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(reached.getByText(zh('errors.delinquencyReasonNeeded'))).toBeVisible();
    await reached.getByRole('combobox', { name: zh('delinquency.label'), exact: true }).click();
    await page.getByRole('option', { name: zh('delinquency.reason.business-difficulty'), exact: true }).click();
    await shot(page, 'collections-16b-contact-reason');
    await reached.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('contacts').locator('tbody tr').filter({ hasText: '13900139000' })).toContainText(zh('delinquency.reason.business-difficulty'));
    await page.getByRole('button', { name: zh('collectionsUi.addPromise') }).click();
    const promise = page.getByRole('dialog');
    await promise.getByLabel(zh('collectionsUi.promiseAmount'), { exact: true }).fill('5000');
    await promise.getByLabel(zh('collectionsUi.promiseDate'), { exact: true }).fill(addDays(todayIn(), 10));
    await promise.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('promises')).toContainText(zh('collectionsUi.promiseStatus.open'));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'collections-17-contacts-promises');

    // 联系方式与关联人: the borrower's spouse, recorded on the borrower page, is one of the loan's 其他联系人 and a
    // quick choice for a contact's target.
    await page.getByTestId('loan-borrower-link').click();
    await page.getByRole('button', { name: zh('relatedUi.addParty') }).click();
    const party = page.getByRole('dialog');
    await party.getByLabel(zh('relatedUi.name'), { exact: true }).fill('李小梅');
    await party.getByLabel(zh('relatedUi.phone'), { exact: true }).fill('13911112222');
    await party.getByLabel(zh('relatedUi.idNumber'), { exact: true }).fill('110105198203031230');
    await party.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(party.getByText(zh('validation.residentId'))).toBeVisible();
    await party.getByLabel(zh('relatedUi.idNumber'), { exact: true }).fill('');
    await party.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(party).toHaveCount(0);
    await expect(page.getByTestId('borrower-related-parties')).toContainText(zh('relatedUi.relationLabel.spouse'));
    await expect(page.getByTestId('borrower-related-parties')).toContainText('13911112222');
    await shot(page, 'collections-17b-related-party');
    await page.getByRole('button', { name: zh('portfolio.back') }).click();
    await page.getByRole('tab', { name: zh('collectionsUi.tab'), exact: true }).click();
    await expect(page.getByTestId('other-contacts')).toContainText('李小梅');
    await page.getByRole('button', { name: zh('collectionsUi.addContact') }).click();
    await page.getByRole('dialog').getByRole('combobox', { name: zh('collectionsUi.target'), exact: true }).click();
    await expect(page.getByRole('option', { name: `${zh('relatedUi.relationLabel.spouse')} 李小梅 13911112222` })).toBeVisible();
    await page.getByRole('dialog').getByRole('button', { name: zh('portfolio.cancel') }).click();

    // 诉讼: the evidence completed (contract papers on file, a demand letter printed; the receipt is back), the loan
    // is transferred to legal; its 诉讼 tab then records the case — filing, performance date, a preservation.
    // (Papers already on file may be refused as duplicates; the transfer below is what must succeed.)
    await page.evaluate(async (no) => {
      const api = (window as unknown as { api: { invoke(c: string, i: unknown): Promise<{ ok: boolean; value: any }> } }).api;
      const list = await api.invoke('loans.list', { query: no, officer: null, bucket: null, level: null, status: 'active', overdueOnly: true, sort: 'dpd', direction: 'desc', limit: 5, offset: 0 });
      const loanId = list.value.rows.find((r: { contractNo: string }) => r.contractNo === no).id as number;
      for (const docType of ['contract', 'iou', 'guarantee-contract', 'security-contract']) await api.invoke('documents.add', { loanId, docType, fileName: `${docType}.pdf`, base64: btoa('%PDF-1.4\n%%EOF\n') });
      const batch = await api.invoke('notices.prepare', { items: [{ loanId, docType: 'demand-letter' }], asOf: null, payBy: null });
      if (batch.ok && batch.value.batchId) await api.invoke('notices.confirm', { batchId: batch.value.batchId });
    }, contractNo);
    await page.getByRole('tab', { name: zh('changesUi.tab'), exact: true }).click();
    await page.getByRole('button', { name: zh('changesUi.transfer') }).click();
    await page.getByRole('dialog').getByLabel(zh('changesUi.transferNote'), { exact: true }).fill('逾期已久，催收无果，移交诉讼');
    await page.getByRole('dialog').getByRole('button', { name: zh('changesUi.transfer') }).click();
    await expect(page.getByTestId('legal-transferred')).toBeVisible();
    await page.getByRole('tab', { name: zh('legalUi.tab'), exact: true }).click();
    await page.getByTestId('legal-open').click();
    const legal = page.getByRole('dialog');
    await legal.getByLabel(zh('legalUi.court'), { exact: true }).fill('北京市朝阳区人民法院');
    await legal.getByLabel(zh('legalUi.caseNo'), { exact: true }).fill('(2026)京0105民初1234号');
    await legal.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('legal-case')).toHaveAttribute('data-status', 'open');
    const filed = todayIn();
    const performance = addDays(filed, 10);
    await page.getByTestId('legal-edit').click();
    await legal.getByLabel(zh('legalUi.filedOn'), { exact: true }).fill(filed);
    await legal.getByLabel(zh('legalUi.filedOn'), { exact: true }).press('Tab');
    await legal.getByLabel(zh('legalUi.performanceDue'), { exact: true }).fill(performance);
    await legal.getByLabel(zh('legalUi.performanceDue'), { exact: true }).press('Tab');
    await legal.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(legal).toHaveCount(0);
    await expect(page.getByTestId('legal-enforcement-by')).toHaveAttribute('data-date', enforcementDeadline(performance));
    await page.getByTestId('legal-add-preservation').click();
    await legal.getByLabel(zh('legalUi.what'), { exact: true }).fill('冻结借款人银行存款 50 万元');
    await legal.getByLabel(zh('legalUi.until'), { exact: true }).fill(addDays(filed, 20));
    await legal.getByLabel(zh('legalUi.until'), { exact: true }).press('Tab');
    await legal.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('legal-preservation-state')).toHaveAttribute('data-alert', 'soon');
    await expect(page.getByTestId('legal-preservations')).toContainText(zh('legalUi.endsIn', { count: 20 }));
    // A cost advanced: typed in yuan, shown with its 大写, added to the total.
    await page.getByTestId('legal-add-cost').click();
    await legal.getByLabel(zh('legalUi.amount'), { exact: true }).fill('4715');
    await expect(legal.getByTestId('amount-in-words')).toContainText('肆仟柒佰壹拾伍元整');
    await legal.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(legal).toHaveCount(0);
    await expect(page.getByTestId('legal-tab')).toContainText('¥4,715.00');
    await expect(page.getByTestId('legal-tab')).toContainText('肆仟柒佰壹拾伍元整');
    await shot(page, 'collections-18-legal-case');

    // 财产线索 on the 诉讼 tab: a deposit already frozen by another court, with which case.
    await page.getByRole('button', { name: zh('assetLeads.add') }).click();
    const lead = page.getByRole('dialog');
    await lead.getByRole('combobox', { name: zh('assetLeads.kind'), exact: true }).click();
    await page.getByRole('option', { name: zh('assetLeads.kindLabel.deposit'), exact: true }).click();
    await lead.getByLabel(zh('assetLeads.description'), { exact: true }).fill('借款人工商银行账户存款');
    await lead.getByLabel(zh('assetLeads.seizedByOthers'), { exact: true }).check();
    await lead.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(lead.getByText(zh('validation.seizedNote'))).toBeVisible();
    await lead.getByLabel(zh('assetLeads.seizedNote'), { exact: true }).fill('（2026）京0105执保88号 已冻结');
    await lead.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(lead).toHaveCount(0);
    await expect(page.getByTestId('asset-leads')).toContainText('（2026）京0105执保88号');
    await expect(page.getByTestId('asset-leads')).toContainText(zh('assetLeads.statusLabel.open'));
    await expect(page.getByTestId('asset-leads')).toContainText(zh('assetLeads.kindLabel.deposit'));
    await shot(page, 'collections-18b-asset-lead');
    // 责任认定与处置方案 of this non-performing loan: submitted, it waits for another supervisor.
    await page.getByTestId('legal-propose-plan').click();
    await legal.getByLabel(zh('legalUi.accountability'), { exact: true }).fill('贷后检查未发现经营恶化，管户信贷员负管理责任。');
    await legal.getByLabel(zh('legalUi.plan'), { exact: true }).fill('申请强制执行，查封抵押房产后拍卖。');
    await legal.getByRole('button', { name: zh('legalUi.submitPlan') }).click();
    await expect(page.getByTestId('legal-plan')).toHaveAttribute('data-status', 'pending');
    await expect(page.getByTestId('legal-plan').getByRole('button', { name: zh('legalUi.approve') })).toHaveCount(0);
    await page.getByTestId('legal-plan').scrollIntoViewIfNeeded();
    await shot(page, 'collections-19-legal-plan');
    // 我的工作台 lists the preservation ending within 30 days; its item opens the loan's 诉讼 tab.
    await page.getByRole('button', { name: zh('nav.home'), exact: true }).click();
    const reminder = page.getByTestId('today-legal').getByTestId('today-item-legal').filter({ hasText: contractNo });
    await expect(reminder).toContainText(zh('todayUi.legal.preservation'));
    await shot(page, 'collections-20-today-legal');
    await reminder.getByRole('button', { name: zh('todayUi.action.open') }).click();
    await expect(page.getByTestId('legal-case')).toBeVisible();
    // In English, the case's words are English (the court, numbers and texts are data).
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByTestId('legal-case')).toContainText(en('legalUi.enforcementBy'));
    await expect(page.getByTestId('legal-preservations')).toContainText(en('legalUi.endsIn', { count: 20 }));
    await shot(page, 'collections-21-legal-en');
    await page.getByText('中文', { exact: true }).click();
    // The filing interrupts the limitation period: it is listed as evidence.
    await page.getByRole('tab', { name: zh('limitationUi.tab'), exact: true }).click();
    await expect(page.getByTestId('limitation-evidence')).toContainText('(2026)京0105民初1234号');

    // 催收队列: the supervisor assigns the two worst overdue loans to the collector, who then finds them, and
    // only them, in their own queue.
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.collectionQueue'), exact: true }).click();
    const queue = page.getByTestId('collection-queue');
    await expect(queue.locator('tbody tr').nth(2)).toBeVisible();
    const worst = await queue.locator('tbody tr').evaluateAll((trs) => trs.slice(0, 2).map((tr) => tr.getAttribute('data-contract')!));
    for (const no of worst) await queue.getByRole('checkbox', { name: no, exact: true }).check();
    await page.getByRole('combobox', { name: zh('collectionQueue.assignTo'), exact: true }).click();
    await page.getByRole('option', { name: '孙伟（催收员）' }).click();
    await page.getByRole('button', { name: zh('collectionQueue.assign'), exact: true }).click();
    await expect(page.getByText(zh('collectionQueue.assigned', { count: 2 }))).toBeVisible();
    await expect(queue.locator(`tr[data-contract="${worst[0]}"]`).getByTestId('queue-collector')).toHaveText('孙伟（催收员）');
    await shot(page, 'collections-22-queue-assigned');
    await logout(page);
    await login(page, 'collector1');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.collectionQueue'), exact: true }).click();
    await expect(queue.locator('tbody tr')).toHaveCount(2);
    expect(await queue.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-contract')))).toEqual(worst);
    await shot(page, 'collections-23-collector-queue');
    await queue.getByRole('button', { name: worst[0] }).click();
    await expect(page.getByTestId('loan-contract-no')).toHaveText(worst[0]);
  } finally {
    await bridge.stop();
  }
});
