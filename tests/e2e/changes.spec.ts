import { expect, test, type Page } from '@playwright/test';
import { addDays, addMonthsClamped, REPAYMENT_METHOD_LABELS, todayIn } from '../../src/shared/domain';
import { formatDay } from '../../src/shared/i18n/dates';
import { startBridge } from './bridge';
import { firstRun, INSTITUTION, login, logout } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

async function openChangesTab(page: Page, contractNo: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: zh('nav.loans'), exact: true }).click();
  await page.getByLabel(zh('loans.query'), { exact: true }).fill(contractNo);
  await page.getByRole('button', { name: contractNo }).click();
  await expect(page.getByTestId('loan-contract-no')).toHaveText(contractNo);
  await page.getByRole('tab', { name: zh('changesUi.tab'), exact: true }).click();
  await expect(page.getByTestId('collection-stage')).toBeVisible();
}

/** 2027年3月5日, as the loan page shows a business date. */
function zhDay(date: string): string {
  return new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

interface Row {
  id: number;
  kind: 'loan' | 'factoring';
  contractNo: string;
  bucket: string;
  level: string;
  status: string;
  maturityDate: string;
}

test('extension and write-off go through approval; the risk officer words a notice template', async ({ page }) => {
  test.setTimeout(360_000);
  const bridge = await startBridge();
  try {
    await page.goto(bridge.url);
    await firstRun(page, { demoBorrowers: 60, timeout: 150_000 }); // 60 borrowers' demo data: slow when the machine is busy
    await login(page, 'officer1');

    // The officer's own loans: a current one maturing well ahead, and a non-performing one.
    const rows = await page.evaluate(async () => {
      const api = (window as unknown as { api: { invoke(c: string, i: unknown): Promise<{ ok: boolean; value: { rows: unknown[] } }> } }).api;
      const r = await api.invoke('loans.list', { query: '', officer: null, bucket: null, level: null, status: 'active', sort: 'contractNo', direction: 'asc', limit: 1000, offset: 0 });
      return r.value.rows;
    });
    const loans = rows as Row[];
    const today = todayIn();
    const current = loans.find((l) => l.bucket === 'M0' && l.level === 'normal' && l.maturityDate > addDays(today, 60))!;
    const npl = loans.find((l) => ['substandard', 'doubtful', 'loss'].includes(l.level))!;
    // An overdue loan still performing: restructured with new terms.
    const overdue = loans.find((l) => l.bucket !== 'M0' && l.level === 'special-mention' && l.contractNo !== current?.contractNo)!;
    expect(current).toBeTruthy();
    expect(npl).toBeTruthy();
    expect(overdue).toBeTruthy();
    const newMaturity = addMonthsClamped(current.maturityDate, 1);

    // 展期: a date not after the current maturity is refused on the field, with main's rule.
    await openChangesTab(page, current.contractNo);
    await expect(page.getByTestId('loan-changes-empty')).toBeVisible();
    await page.getByRole('button', { name: zh('changesUi.applyExtension') }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('changesUi.newMaturity'), { exact: true }).fill(current.maturityDate);
    await dialog.getByLabel(zh('changesUi.reason'), { exact: true }).fill('借款人订单回款周期延长，申请展期一个月');
    await dialog.getByRole('button', { name: zh('changesUi.submit') }).click();
    await expect(dialog.getByText(zh('errors.extensionNotLater', { maturity: formatDay(current.maturityDate, 'zh-CN') }))).toBeVisible();
    await shot(page, 'changes-01-extension-rule');
    await dialog.getByLabel(zh('changesUi.newMaturity'), { exact: true }).fill(newMaturity);
    await dialog.getByRole('button', { name: zh('changesUi.submit') }).click();
    await expect(dialog).toHaveCount(0);
    const changes = page.getByTestId('loan-changes');
    await expect(changes.locator('tr[data-kind="extension"]')).toContainText(zh('changesUi.status.pending'));

    // A performing loan cannot be written off: main's rule is shown in the form.
    await page.getByRole('button', { name: zh('changesUi.proposeWriteOff') }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('changesUi.reason'), { exact: true }).fill('测试');
    await dialog.getByLabel(zh('changesUi.evidence'), { exact: true }).fill('测试');
    await dialog.getByRole('button', { name: zh('changesUi.submit') }).click();
    await expect(dialog.getByTestId('change-rule-error')).toHaveText(zh('errors.writeOffPerforming'));
    await shot(page, 'changes-02-writeoff-performing');
    await dialog.getByRole('button', { name: zh('portfolio.cancel') }).click();
    await shot(page, 'changes-03-tab');

    // The same tab in English: only data stays Chinese.
    const fact = async (key: Parameters<typeof zh>[0]) => (await page.getByText(zh(key), { exact: true }).locator('xpath=..').innerText()).split('\n').slice(1).join('\n').trim();
    const data = [INSTITUTION, '李明（信贷员）', '借款人订单回款周期延长，申请展期一个月', await fact('loan.product'), await fact('loan.purpose'), await fact('loan.officer')];
    data.push((await page.getByTestId('loan-contract-no').locator('xpath=..').innerText()).split('\n').at(-1)!.trim());
    data.push(...(await fact(current.kind === 'factoring' ? 'loan.principalFactoring' : 'loan.principal')).split('\n'));
    // Notifications said before the switch stay in the language they were said in.
    await expect(page.getByText(zh('changesUi.submitted'))).toHaveCount(0);
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('tab', { name: en('changesUi.tab'), exact: true })).toBeVisible();
    await expect(page.getByText(en('changesUi.stageTitle'))).toBeVisible();
    await expectNoChinese(page, data.filter(Boolean));
    await shot(page, 'changes-04-tab-en');
    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByRole('tab', { name: zh('changesUi.tab'), exact: true })).toBeVisible();

    // The non-performing loan: 移交诉讼 says what is missing; a write-off is proposed.
    await openChangesTab(page, npl.contractNo);
    await page.getByRole('button', { name: zh('changesUi.transfer') }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('changesUi.transferNote'), { exact: true }).fill('多次催收无果，移交法务');
    await dialog.getByRole('button', { name: zh('changesUi.transfer') }).click();
    await expect(dialog.getByTestId('transfer-error')).toBeVisible();
    await shot(page, 'changes-05-transfer-refused');
    await dialog.getByRole('button', { name: zh('portfolio.cancel') }).click();
    await page.getByRole('button', { name: zh('changesUi.proposeWriteOff') }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('changesUi.reason'), { exact: true }).fill('借款人经营失败，已无还款能力');
    await dialog.getByLabel(zh('changesUi.evidence'), { exact: true }).fill('法院终结执行裁定书（2026）执字第 123 号');
    await dialog.getByRole('button', { name: zh('changesUi.submit') }).click();
    await expect(dialog).toHaveCount(0);
    await expect(changes.locator('tr[data-kind="write-off"]')).toContainText(zh('changesUi.status.pending'));

    // 重组: new maturity, rate and method for the overdue loan; a bad rate is caught on the field.
    await openChangesTab(page, overdue.contractNo);
    await page.getByRole('button', { name: zh('changesUi.applyRestructuring') }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('changesUi.newMaturity'), { exact: true }).fill(addMonthsClamped(today, 24));
    await dialog.getByLabel(zh('changesUi.newRate'), { exact: true }).fill('8.5%');
    await dialog.getByRole('combobox', { name: zh('changesUi.newMethod'), exact: true }).click();
    await page.getByRole('option', { name: REPAYMENT_METHOD_LABELS['equal-principal'].zh, exact: true }).click();
    await dialog.getByLabel(zh('changesUi.reason'), { exact: true }).fill('借款人经营暂时困难，调整还款计划');
    await dialog.getByRole('button', { name: zh('changesUi.submit') }).click();
    await expect(dialog.getByText(zh('validation.rate'))).toBeVisible();
    await dialog.getByLabel(zh('changesUi.newRate'), { exact: true }).fill('8.5');
    await shot(page, 'changes-05b-restructuring-form');
    await dialog.getByRole('button', { name: zh('changesUi.submit') }).click();
    await expect(dialog).toHaveCount(0);
    await expect(changes.locator('tr[data-kind="restructuring"]')).toContainText(zh('changesUi.status.pending'));

    // 宣布提前到期: another overdue loan not yet matured; at least one event of default is asked for.
    const accel = loans.find((l) => l.bucket !== 'M0' && l.maturityDate > addDays(today, 1) && ![current, npl, overdue].some((x) => x.contractNo === l.contractNo))!;
    expect(accel).toBeTruthy();
    await openChangesTab(page, accel.contractNo);
    await page.getByRole('button', { name: zh('changesUi.applyAcceleration') }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('changesUi.reason'), { exact: true }).fill('连续逾期，电话无人接听');
    await dialog.getByRole('button', { name: zh('changesUi.submit') }).click();
    await expect(dialog.getByText(zh('validation.chooseGrounds'))).toBeVisible();
    await dialog.getByRole('checkbox', { name: zh('changesUi.ground.overdue') }).check();
    await dialog.getByRole('checkbox', { name: zh('changesUi.ground.lost-contact') }).check();
    await shot(page, 'changes-05c-acceleration-form');
    await dialog.getByRole('button', { name: zh('changesUi.submit') }).click();
    await expect(dialog).toHaveCount(0);
    await expect(changes.locator('tr[data-kind="acceleration"]')).toContainText(zh('changesUi.status.pending'));
    await expect(changes.getByTestId('change-grounds')).toContainText(`${zh('changesUi.ground.overdue')}、${zh('changesUi.ground.lost-contact')}`);
    await logout(page);

    // 审批 by the supervisor: a comment is required; the extension is approved, the write-off gets its first approval.
    await login(page, 'supervisor1');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.approvals'), exact: true }).click();
    const pending = page.getByTestId('pending-changes');
    const extRow = pending.locator(`tr[data-contract="${current.contractNo}"][data-kind="extension"]`);
    // Rejecting needs the reason; approving does not.
    await extRow.getByRole('button', { name: zh('changesUi.reject') }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: zh('changesUi.reject') }).click();
    await expect(dialog.getByText(zh('validation.rejectComment'))).toBeVisible();
    await shot(page, 'changes-06-reject-needs-reason');
    await dialog.getByRole('button', { name: zh('portfolio.cancel') }).click();
    await expect(dialog).toHaveCount(0);
    await extRow.getByRole('button', { name: zh('changesUi.approve') }).click();
    await expect(dialog.getByText(zh('forms.commentOptional'))).toBeVisible();
    await shot(page, 'changes-06-approve');
    await dialog.getByRole('button', { name: zh('changesUi.approve') }).click();
    await expect(extRow).toHaveCount(0);
    const woRow = pending.locator(`tr[data-contract="${npl.contractNo}"][data-kind="write-off"]`);
    await expect(woRow).toContainText(zh('changesUi.firstStep'));
    await woRow.getByRole('button', { name: zh('changesUi.approve') }).click();
    await dialog.getByLabel(zh('changesUi.comment'), { exact: true }).fill('同意核销，报风险管理终审');
    await dialog.getByRole('button', { name: zh('changesUi.approve') }).click();
    await expect(woRow).toHaveCount(0);
    const reRow = pending.locator(`tr[data-contract="${overdue.contractNo}"][data-kind="restructuring"]`);
    await reRow.getByRole('button', { name: zh('changesUi.approve') }).click();
    await dialog.getByLabel(zh('changesUi.comment'), { exact: true }).fill('同意重组，观察期内按月检查');
    // Ctrl+Enter in the comment submits.
    await dialog.getByLabel(zh('changesUi.comment'), { exact: true }).press('Control+Enter');
    await expect(reRow).toHaveCount(0);
    const acRow = pending.locator(`tr[data-contract="${accel.contractNo}"][data-kind="acceleration"]`);
    await acRow.getByRole('button', { name: zh('changesUi.approve') }).click();
    await dialog.getByRole('button', { name: zh('changesUi.approve') }).click();
    await expect(acRow).toHaveCount(0);
    await shot(page, 'changes-07-approvals-done');

    // The restructured loan: flagged, on the new terms, and its floor explains the observation period.
    await openChangesTab(page, overdue.contractNo);
    await expect(page.getByText(zh('loan.restructured'), { exact: true })).toBeVisible();
    await expect(page.getByText(new RegExp(`^${zh('loan.termValueOriginal', { count: 999 }).replace('999', '\\d+').replace(/[()（）]/g, '.')}$`))).toBeVisible();
    await expect(page.getByTestId('floor-reasons')).toContainText(zh('loan.floorReason.restructured', { rules: zh('loan.floorReason.rules') }));
    await expect(page.getByTestId('state-dpd')).toHaveText('0');
    await shot(page, 'changes-07b-restructured');

    // The loan now matures on the new date.
    await openChangesTab(page, current.contractNo);
    await expect(page.getByText(zh('loan.maturity'), { exact: true }).locator('xpath=..')).toContainText(zhDay(newMaturity));
    await expect(changes.locator('tr[data-kind="extension"]')).toContainText(zh('changesUi.status.approved'));
    // Approved without a comment: the approver by name, and no dangling colon.
    await expect(changes.locator('tr[data-kind="extension"]')).toContainText(/王强（信贷主管）（[^）]+）$/);
    await shot(page, 'changes-08-extended');
    // The accelerated loan matures today, everything fallen due.
    await openChangesTab(page, accel.contractNo);
    await expect(page.getByText(zh('loan.maturity'), { exact: true }).locator('xpath=..')).toContainText(zhDay(today));
    await expect(changes.locator('tr[data-kind="acceleration"]')).toContainText(zh('changesUi.status.approved'));
    // The header says so, as it says 已展期 and 已重组.
    await expect(page.getByTestId('loan-accelerated')).toHaveText(zh('loan.accelerated'));
    await shot(page, 'changes-08b-accelerated');
    await logout(page);

    // The risk officer gives the final approval; the loan appears in 核销台账.
    await login(page, 'risk1');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.approvals'), exact: true }).click();
    const finalRow = pending.locator(`tr[data-contract="${npl.contractNo}"][data-kind="write-off"]`);
    await expect(finalRow).toContainText(zh('changesUi.finalStep'));
    await finalRow.getByRole('button', { name: zh('changesUi.approve') }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('changesUi.comment'), { exact: true }).fill('同意核销，账销案存');
    await dialog.getByRole('button', { name: zh('changesUi.approve') }).click();
    await expect(finalRow).toHaveCount(0);
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.writeoffs'), exact: true }).click();
    await expect(page.getByTestId('writeoffs').locator(`tr[data-contract="${npl.contractNo}"]`)).toBeVisible();
    await shot(page, 'changes-09-writeoffs');

    // 通知书模板: a misspelt placeholder is named on the body; the preview renders; the fixed text saves.
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.templates'), exact: true }).click();
    await page.getByTestId('template-list').getByRole('button', { name: zh('noticesUi.docType.overdue-notice') }).click();
    await expect(page.getByTestId('template-doc-type')).toHaveText(zh('noticesUi.docType.overdue-notice'));
    const body = page.getByLabel(zh('templatesUi.blocks.body'), { exact: true });
    const original = await body.inputValue();
    await body.fill(`${original}\n请核对合同 {{contractNumber}}。`);
    await page.getByRole('button', { name: zh('templatesUi.save') }).click();
    await expect(page.getByText(zh('errors.unknownPlaceholder', { name: 'contractNumber' }))).toBeVisible();
    await shot(page, 'changes-10-template-typo');
    await body.fill(`${original}\n请核对合同 {{contractNo}}。`);
    await page.getByRole('button', { name: zh('templatesUi.preview') }).click();
    await expect(page.getByTestId('template-preview').locator('[data-page="1"]')).toHaveAttribute('data-state', 'rendered');
    await expect(page.getByTestId('template-preview').locator('[data-page="1"]')).toContainText(/请核对合同\s*DK\d+/);
    await page.getByRole('button', { name: zh('templatesUi.save') }).click();
    await expect(page.getByText(zh('templatesUi.saved'))).toBeVisible();
    await expect(page.getByTestId('template-list').getByText(zh('templatesUi.customised'))).toBeVisible();
    await expect(body).toHaveValue(/\{\{contractNo\}\}。$/);
    await shot(page, 'changes-11-template-saved');
    await logout(page);

    // A recovery on the written-off loan, recorded by the supervisor in yuan.
    await login(page, 'supervisor1');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.writeoffs'), exact: true }).click();
    const woLine = page.getByTestId('writeoffs').locator(`tr[data-contract="${npl.contractNo}"]`);
    await woLine.getByRole('button', { name: zh('changesUi.recordRecovery') }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('changesUi.amount'), { exact: true }).fill('1000.5');
    await dialog.getByLabel(zh('changesUi.note'), { exact: true }).fill('执行回款');
    await shot(page, 'changes-12-recovery');
    await dialog.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(woLine.getByTestId('writeoff-recovered')).toHaveText('1,000.50');
    await shot(page, 'changes-13-recovered');
  } finally {
    await bridge.stop();
  }
});
