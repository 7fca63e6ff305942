import { execFileSync } from 'node:child_process';
import { expect, test, type Download, type Page } from '@playwright/test';
import { amountInWords, formatFen, parseYuanToFen } from '../../src/shared/domain';
import { demoBridge, INSTITUTION, login, logout } from './flows';
import { expectNoChinese, shot as fullShot, tr } from './helpers';

const OFFICER = '李明（信贷员）';
const zh = tr('zh-CN');
const en = tr('en');

/** What the officer types; each amount's 大写 shows under its field. */
const TEXT = {
  operations: '门店经营正常，客流稳定',
  guarantors: '保证人经营正常，无涉诉',
  repaymentSource: '门店经营收入',
  conclusion: '借款人经营正常，还款能力未见明显变化',
  fundFlows: '贷款资金用于采购原材料',
  fundFlowsFixed: '；已核对银行流水，与购销合同一致',
  returnComment: '请补充资金流向的银行流水核对情况',
  warning: '借款企业法定代表人近期变更',
  plan: '走访新任法定代表人，核实经营是否受影响',
  feedback: '已走访，经营未受影响',
  clearNote: '处置到位，同意解除',
  worklog: '电话联系借款人，确认下期还款资金已备足',
  comment: '继续关注',
};
const AMOUNTS = { revenueFen: '1200000', cashFen: '85000.50', totalAssetsFen: '3000000', liabilitiesFen: '1950000', collateralValueFen: '1500000' };
const PHOTO = '门店照片.jpg';

interface PlannedLoan {
  contractNo: string;
  personal: boolean;
  /** The loan has a guarantor, or collateral (registered or in the contract): the form asks about each it has. */
  guaranteed: boolean;
  collateralised: boolean;
  unsecured: boolean;
  dpd: number;
  balanceFen: number;
  owedFen: number;
}

/**
 * The signed-in officer's loans with a routine (or pre-maturity) visit still to report on, read through the
 * contract: a person or a company, on credit alone (no guarantor, no collateral) or secured (and how), and what is owed.
 */
async function plannedLoans(page: Page): Promise<PlannedLoan[]> {
  return page.evaluate(async () => {
    // The bridge answers { ok, value }.
    type Api = { invoke(c: string, i: unknown): Promise<{ ok: boolean; value: any }> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const bridge = (window as unknown as { api: Api }).api;
    const api = {
      invoke: async (c: string, i: unknown) => {
        const r = await bridge.invoke(c, i);
        if (!r.ok) throw new Error(`${c} refused`);
        return r.value;
      },
    };
    const planned = (await api.invoke('inspections.list', { loanId: null, status: 'planned', dueBefore: null })) as { loanId: number; kind: string; report: unknown }[];
    const ids = [...new Set(planned.filter((p) => (p.kind === 'routine' || p.kind === 'pre-maturity') && !p.report).map((p) => p.loanId))];
    const out = [];
    for (const id of ids) {
      const d = await api.invoke('loans.get', { id, asOf: null });
      const security = d.security as string[];
      const guaranteed = security.includes('guarantee');
      const collateralised = security.includes('mortgage') || security.includes('pledge');
      out.push({
        contractNo: d.loan.contractNo as string,
        personal: d.borrower.kind === 'person',
        guaranteed,
        collateralised,
        unsecured: !guaranteed && !collateralised,
        dpd: d.state.dpd as number,
        balanceFen: d.state.balanceFen as number,
        owedFen: (d.state.balanceFen + d.state.overdueInterestFen + d.state.penaltyOutstandingFen) as number,
      });
    }
    return out;
  });
}

/** Opens a new 贷后检查报告 on the loan's first planned routine (or pre-maturity) inspection, from 贷后检查. */
async function startReportOn(page: Page, contractNo: string): Promise<void> {
  await page.getByRole('button', { name: zh('nav.inspections'), exact: true }).click();
  await expect(page.getByRole('heading', { name: zh('inspections.title') })).toBeVisible();
  await page.getByTestId('inspections').getByRole('button', { name: contractNo, exact: true }).first().click();
  await expect(page.getByTestId('loan-contract-no')).toHaveText(contractNo);
  await page
    .getByTestId('loan-inspections')
    .locator('tbody tr')
    .filter({ has: page.getByRole('button', { name: zh('inspections.start') }) })
    .filter({ hasText: new RegExp(`${zh('warnings.inspectionKind.routine')}|${zh('warnings.inspectionKind.pre-maturity')}`) })
    .first()
    .getByRole('button', { name: zh('inspections.start') })
    .click();
  await expect(page.getByTestId('report-title')).toHaveText(zh('reports.postTitle'));
}

/**
 * 担保情况 as the loan has it: the guarantor's part when it has a guarantor, the collateral's when it has collateral;
 * a part it lacks is not on the form, and says why.
 */
async function fillSecurity(page: Page, loan: PlannedLoan): Promise<void> {
  const guarantor = page.getByLabel(zh('reports.field.guarantorsCondition'), { exact: true });
  const state = page.getByRole('combobox', { name: zh('reports.field.collateralState'), exact: true });
  if (loan.guaranteed) await guarantor.fill(TEXT.guarantors);
  else {
    await expect(guarantor).toHaveCount(0);
    await expect(page.getByTestId('not-asked-guarantor')).toHaveText(zh('reports.notAsked.noGuarantor'));
  }
  if (loan.collateralised) {
    await state.click();
    await page.getByRole('option', { name: zh('reports.collateralState.intact') }).click();
  } else {
    await expect(state).toHaveCount(0);
    await expect(page.getByTestId('not-asked-collateral')).toHaveText(zh('reports.notAsked.noCollateral'));
  }
}

/** A full-page screenshot from the top, so the fixed header stays where it belongs. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullShot(page, name);
}

/** Signs in as a demo employee, who starts on 我的工作台. */
async function loginToToday(page: Page, user: string): Promise<void> {
  await login(page, user);
  await expect(page.getByRole('heading', { name: zh('todayUi.title') })).toBeVisible();
}

async function count(page: Page, section: string): Promise<number> {
  // The home shows its last answer while it asks again; a count is read once the new one is in.
  await expect(page.getByTestId('today')).toHaveAttribute('aria-busy', 'false');
  const el = page.getByTestId(`today-count-${section}`);
  await expect(el).toBeVisible();
  return Number(await el.innerText());
}

/** Waits for a section's count on 我的工作台 to read `n`: the page may show the last count until its refetch lands. */
async function expectCount(page: Page, section: string, n: number): Promise<void> {
  await expect(page.getByTestId(`today-count-${section}`)).toHaveText(String(n));
}

async function home(page: Page): Promise<void> {
  await page.getByRole('button', { name: zh('nav.home'), exact: true }).click();
  await expect(page.getByRole('heading', { name: zh('todayUi.title') })).toBeVisible();
}

/** Opens the item about `text` (a contract no. or a borrower) in a section of 我的工作台, unfolding the section if needed. */
async function openFromToday(page: Page, section: string, text: string, action: string): Promise<void> {
  const box = page.getByTestId(`today-${section}`);
  const label = (key: 'todayUi.showAll' | 'todayUi.showListed') => zh(key, { count: 0 }).replace('0', '\\d+');
  const more = box.getByRole('button', { name: new RegExp(`${label('todayUi.showAll')}|${label('todayUi.showListed')}`) });
  if (await more.count()) await more.click();
  await box.locator('[data-testid^="today-item"]').filter({ hasText: text }).first().getByRole('button', { name: action }).click();
}

/** A PDF saved through its button, as text with the line breaks and spaces pdftotext puts in taken out. */
async function pdfText(download: Download): Promise<string> {
  const path = await download.path();
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-']).toString('utf8').replace(/\s+/g, '');
}

test('inspection report: write, attach, return, resubmit, sign, file; today changes; PDFs; English form', async ({ page }) => {
  test.setTimeout(480_000);
  const bridge = await demoBridge(page);
  try {
    // The demo portfolio and demo staff; the administrator signs in.
    await login(page, 'admin');
    // The administrator keeps the system home, without loan work.
    await expect(page.getByRole('heading', { name: zh('todayUi.title') })).toHaveCount(0);

    // 系统设置 › 节假日: a file with bad lines is refused with every bad line named; a good one is imported.
    await page.getByRole('button', { name: zh('nav.settings'), exact: true }).click();
    const holidays = page.getByTestId('holidays');
    await expect(holidays.getByRole('heading', { name: zh('calendarUi.title') })).toBeVisible();
    await page.getByTestId('calendar-input').setInputFiles({ name: '2031.txt', mimeType: 'text/plain', buffer: Buffer.from('2031-01-01,休\n2031-02-30,休\n2031-01-26 班次\n', 'utf8') });
    await expect(page.getByTestId('calendar-errors')).toContainText(zh('calendarUi.badFile', { file: '2031.txt', count: 2 }));
    await expect(page.getByTestId('calendar-errors').getByRole('listitem')).toHaveCount(2);
    // A day that does not exist is called that, not a format error.
    await expect(page.getByTestId('calendar-errors')).toContainText(zh('errors.calendarNoSuchDay', { line: 2, date: '2031-02-30' }));
    await shot(page, 'inspections-01-holidays-errors');
    await page.getByTestId('calendar-input').setInputFiles({ name: '2031.txt', mimeType: 'text/plain', buffer: Buffer.from('# 2031 年节假日\n2031-01-01,休\n2031-01-26,班\n', 'utf8') });
    await expect(page.getByTestId('calendar-years').locator('tr', { hasText: '2031' })).toContainText(zh('calendarUi.imported'));
    await shot(page, 'inspections-02-holidays');
    await logout(page);

    // officer1 starts on 我的工作台.
    await loginToToday(page, 'officer1');
    await expect(page.getByTestId('count-mine')).toBeVisible();
    await count(page, 'reportsToWrite');
    await shot(page, 'inspections-03-officer-today');

    // 贷后检查: the officer's planned inspections; one routine (or pre-maturity) visit leads to its loan.
    await page.getByRole('button', { name: zh('nav.inspections'), exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('inspections.title') })).toBeVisible();
    // A company's secured loan: its report asks for the balance sheet and the guarantees.
    const secured = (await plannedLoans(page)).find((l) => !l.personal && !l.unsecured);
    expect(secured).toBeDefined();
    const row = page
      .getByTestId('inspections')
      .locator('tbody tr')
      .filter({ hasText: new RegExp(`${zh('warnings.inspectionKind.routine')}|${zh('warnings.inspectionKind.pre-maturity')}`) })
      .filter({ has: page.getByRole('button', { name: zh('inspections.start') }) })
      .filter({ has: page.getByRole('button', { name: secured!.contractNo, exact: true }) })
      .first();
    const contractNo = (await row.locator('td').nth(0).innerText()).trim();
    const borrower = (await row.locator('td').nth(1).innerText()).trim();
    expect(contractNo).toMatch(/^(DK|BL)\d+$/);
    await shot(page, 'inspections-04-list');
    await row.getByRole('button', { name: contractNo }).click();
    await expect(page.getByTestId('loan-contract-no')).toHaveText(contractNo);
    await expect(page.getByRole('tab', { name: zh('inspections.tab') })).toHaveAttribute('aria-selected', 'true');
    await shot(page, 'inspections-05-loan-tab');
    const planned = page
      .getByTestId('loan-inspections')
      .locator('tbody tr')
      .filter({ has: page.getByRole('button', { name: zh('inspections.start') }) })
      .filter({ hasText: new RegExp(`${zh('warnings.inspectionKind.routine')}|${zh('warnings.inspectionKind.pre-maturity')}`) })
      .first();
    await planned.getByRole('button', { name: zh('inspections.start') }).click();

    // The 贷后检查报告 form: amounts in yuan, a negative one refused on its field, the debt ratio live.
    await expect(page.getByTestId('report-title')).toHaveText(zh('reports.postTitle'));
    const field = (key: Parameters<typeof zh>[0]) => page.getByLabel(zh(key), { exact: true });
    await field('reports.field.operations').fill(TEXT.operations);
    await field('reports.field.revenueFen').fill('-100');
    await expect(page.getByText('金额不能为负数')).toBeVisible();
    await shot(page, 'inspections-06-negative-amount');
    // The collateral's value is asked only of a loan with collateral.
    const amounts = Object.entries(AMOUNTS).filter(([k]) => k !== 'collateralValueFen' || secured!.collateralised);
    for (const [k, v] of amounts) await field(`reports.field.${k}` as Parameters<typeof zh>[0]).fill(v);
    await expect(page.getByText('金额不能为负数')).toHaveCount(0);
    await expect(page.getByTestId('debt-ratio')).toHaveText('65.0%');
    await expect(page.getByText(zh('portfolio.inWords', { words: amountInWords(120_000_000) }))).toBeVisible();
    await expect(page.getByText(zh('portfolio.inWords', { words: amountInWords(8_500_050) }))).toBeVisible();
    await fillSecurity(page, secured!);
    await field('reports.field.firstRepaymentSource').fill(TEXT.repaymentSource);
    await field('reports.field.conclusion').fill(TEXT.conclusion);
    await page.getByRole('combobox', { name: zh('reports.field.proposedLevel'), exact: true }).click();
    await page.getByRole('option', { name: '正常' }).click();
    await page.getByRole('button', { name: zh('reports.saveDraft') }).click();
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.draft'));

    // A photo made in the browser as a real JPEG; a text file and a fake GIF are refused with their names.
    const jpeg = await page.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 320;
      c.height = 200;
      const g = c.getContext('2d')!;
      g.fillStyle = '#2f7d4f';
      g.fillRect(0, 0, 320, 200);
      g.fillStyle = '#ffffff';
      g.fillRect(40, 60, 240, 80);
      const blob = await new Promise<Blob>((ok) => c.toBlob((b) => ok(b!), 'image/jpeg', 0.9));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    });
    const input = page.getByTestId('attach-input');
    await input.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    await expect(page.getByTestId('attach-error')).toContainText(zh('reports.wrongType', { name: '说明.txt' }));
    await input.setInputFiles({ name: 'fake.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a not really') });
    await expect(page.getByTestId('attach-error')).toContainText(zh('errors.fileTypeNotAllowed', { name: 'fake.gif' }));
    await shot(page, 'inspections-07-attach-refused');
    await input.setInputFiles({ name: PHOTO, mimeType: 'image/jpeg', buffer: Buffer.from(jpeg, 'base64') });
    await expect(page.getByTestId('attachment')).toHaveCount(1);
    const img = page.getByTestId('attachment').locator('img');
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(320);

    // Submitting without the flow of funds names that field.
    await page.getByRole('button', { name: zh('reports.submit') }).click();
    await expect(page.getByTestId('report-issues')).toContainText(zh('errors.reportIncomplete', { count: 1 }));
    await expect(field('reports.field.fundFlows')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(zh('validation.required'))).toBeVisible();
    await shot(page, 'inspections-08-submit-issues');

    // The same form in English: every word but the data typed and the amounts' 大写.
    await field('reports.field.fundFlows').fill(TEXT.fundFlows);
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByTestId('report-title')).toHaveText(en('reports.postTitle'));
    // Messages shown in Chinese are dropped with the switch.
    await expect(page.getByText(zh('reports.saved'))).toHaveCount(0);
    await expect(page.getByText(zh('reports.attached', { name: PHOTO }))).toHaveCount(0);
    const words = amounts.map(([, a]) => amountInWords(parseYuanToFen(a)));
    await expectNoChinese(page, [INSTITUTION, OFFICER, borrower, PHOTO, ...Object.values(TEXT), ...words]);
    await shot(page, 'inspections-09-form-en');
    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByTestId('report-title')).toHaveText(zh('reports.postTitle'));

    await page.getByRole('button', { name: zh('reports.submit') }).click();
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.submitted'));
    await expect(page.getByRole('button', { name: zh('reports.print') })).toBeVisible();
    await expect(page.getByRole('button', { name: zh('reports.submit') })).toHaveCount(0);
    // Submitted, the amounts read as amounts do elsewhere: grouped, two decimals.
    await expect(field('reports.field.revenueFen')).toHaveValue('1,200,000.00');
    await expect(field('reports.visitDate')).toHaveValue(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    await shot(page, 'inspections-10-submitted');

    // On the loan page: a warning raised by hand goes round its loop (plan, feedback) and a work-log entry is added.
    await home(page);
    const toHandle = await count(page, 'warningsToHandle');
    await page.getByRole('button', { name: zh('nav.inspections'), exact: true }).click();
    await page.getByRole('combobox', { name: zh('inspections.statusFilter'), exact: true }).click();
    await page.getByRole('option', { name: zh('inspections.all') }).click();
    await page.getByTestId('inspections').getByRole('button', { name: contractNo }).first().click();
    await page.getByRole('tab', { name: zh('warningsUi.tab') }).click();
    await page.getByRole('combobox', { name: zh('warningsUi.signal'), exact: true }).click();
    await page.getByRole('option', { name: zh('warningsUi.signalOption', { name: '实际控制人或高管变动', level: zh('warnings.level.medium') }) }).click();
    await page.getByLabel(zh('warningsUi.detail'), { exact: true }).fill(TEXT.warning);
    await page.getByRole('button', { name: zh('warningsUi.raise'), exact: true }).click();
    const drawer = page.getByTestId('warning-drawer');
    await expect(drawer.getByTestId('warning-status')).toHaveText(zh('warnings.status.raised'));
    await drawer.getByLabel(zh('warningsUi.plan'), { exact: true }).fill(TEXT.plan);
    await drawer.getByRole('button', { name: zh('warningsUi.savePlan') }).click();
    await expect(drawer.getByTestId('warning-status')).toHaveText(zh('warnings.status.planned'));
    await drawer.getByLabel(zh('warningsUi.feedback'), { exact: true }).fill(TEXT.feedback);
    await shot(page, 'inspections-11-warning-drawer');
    await drawer.getByRole('button', { name: zh('warningsUi.saveFeedback') }).click();
    await expect(drawer.getByTestId('warning-status')).toHaveText(zh('warnings.status.feedback'));
    await expect(drawer).toContainText(zh('warningsUi.waitingConfirm'));
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('loan-warnings')).toContainText('实际控制人或高管变动');
    await page.getByRole('tab', { name: zh('worklogUi.tab') }).click();
    await page.getByLabel(zh('worklogUi.content'), { exact: true }).fill(TEXT.worklog);
    await page.getByRole('button', { name: zh('worklogUi.save'), exact: true }).click();
    await expect(page.getByTestId('loan-worklog')).toContainText(TEXT.worklog);
    await expect(page.getByTestId('loan-worklog')).toContainText(zh('worklogUi.awaitingComment'));
    await shot(page, 'inspections-12-loan-worklog');
    await home(page);
    await expectCount(page, 'warningsToHandle', toHandle);
    const toWrite = await count(page, 'reportsToWrite');
    await logout(page);

    // supervisor1 reviews: a return needs a comment.
    await loginToToday(page, 'supervisor1');
    await expectCount(page, 'reportsToReview', 1);
    await expectCount(page, 'warningsToConfirm', 1);
    await expectCount(page, 'commentsDue', 1);
    await shot(page, 'inspections-13-supervisor-today');
    await openFromToday(page, 'reportsToReview', contractNo, zh('todayUi.action.review'));
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.submitted'));
    await expect(page.getByTestId('attachment')).toHaveCount(1);
    await page.getByRole('button', { name: zh('reports.return'), exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: zh('reports.return') }).click();
    await expect(dialog.getByText(zh('validation.required'))).toBeVisible();
    await dialog.getByLabel(zh('reports.returnComment'), { exact: true }).fill(TEXT.returnComment);
    await shot(page, 'inspections-14-return');
    await dialog.getByRole('button', { name: zh('reports.return') }).click();
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.returned'));
    await home(page);
    await expectCount(page, 'reportsToReview', 0);

    // The supervisor closes the officer's warning and comments on the work log, from 我的工作台.
    await openFromToday(page, 'warningsToConfirm', contractNo, zh('todayUi.action.confirm'));
    await expect(drawer.getByTestId('warning-feedback')).toHaveText(TEXT.feedback);
    await drawer.getByRole('button', { name: zh('warningsUi.clear') }).click();
    await expect(drawer.getByText(zh('validation.required'))).toBeVisible();
    await drawer.getByLabel(zh('warningsUi.note'), { exact: true }).fill(TEXT.clearNote);
    await drawer.getByRole('button', { name: zh('warningsUi.clear') }).click();
    await expect(drawer.getByTestId('warning-status')).toHaveText(zh('warnings.status.cleared'));
    await expect(drawer).toContainText(TEXT.clearNote);
    await shot(page, 'inspections-15-warning-cleared');
    await page.keyboard.press('Escape');
    await home(page);
    await openFromToday(page, 'commentsDue', borrower, zh('todayUi.action.comment'));
    const entry = page.getByTestId('borrower-worklog').locator('tbody tr').filter({ hasText: TEXT.worklog });
    await entry.getByRole('button', { name: zh('worklogUi.commentAction') }).click();
    await page.getByRole('dialog').getByLabel(zh('worklogUi.comment'), { exact: true }).fill(TEXT.comment);
    await page.getByRole('dialog').getByRole('button', { name: zh('worklogUi.commentSave') }).click();
    await expect(entry).toContainText(TEXT.comment);
    await shot(page, 'inspections-16-borrower-worklog');
    await home(page);
    await expectCount(page, 'warningsToConfirm', 0);
    await expectCount(page, 'commentsDue', 0);
    await logout(page);

    // officer1 sees it back among the reports to write, fixes it and submits again.
    await loginToToday(page, 'officer1');
    await expectCount(page, 'reportsToWrite', toWrite + 1);
    await openFromToday(page, 'reportsToWrite', contractNo, zh('todayUi.action.write'));
    await expect(page.getByTestId('returned-banner')).toContainText(TEXT.returnComment);
    await shot(page, 'inspections-17-returned');
    await field('reports.field.fundFlows').fill(TEXT.fundFlows + TEXT.fundFlowsFixed);
    await page.getByRole('button', { name: zh('reports.submit') }).click();
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.submitted'));
    await home(page);
    await expectCount(page, 'reportsToWrite', toWrite);
    await logout(page);

    // supervisor1 signs.
    await loginToToday(page, 'supervisor1');
    await expectCount(page, 'reportsToReview', 1);
    await openFromToday(page, 'reportsToReview', contractNo, zh('todayUi.action.review'));
    await expect(field('reports.field.fundFlows')).toHaveValue(TEXT.fundFlows + TEXT.fundFlowsFixed);
    await page.getByRole('button', { name: zh('reports.sign'), exact: true }).click();
    await page.getByRole('dialog').getByLabel(zh('reports.signComment'), { exact: true }).fill('同意');
    await page.getByRole('dialog').getByRole('button', { name: zh('reports.sign') }).click();
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.signed'));
    await home(page);
    await expectCount(page, 'reportsToReview', 0);
    await logout(page);

    // risk1 files it: then it is read-only; the printed report carries the figures with their 大写.
    await loginToToday(page, 'risk1');
    await expectCount(page, 'reportsToAccept', 1);
    await shot(page, 'inspections-18-risk-today');
    // 我的工作台 in English: only data stays Chinese.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('heading', { name: en('todayUi.title') })).toBeVisible();
    await expectNoChinese(page, [INSTITUTION, OFFICER, borrower, '赵敏（风险管理）']);
    await shot(page, 'inspections-18b-risk-today-en');
    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('todayUi.title') })).toBeVisible();
    await openFromToday(page, 'reportsToAccept', contractNo, zh('todayUi.action.accept'));
    await page.getByRole('button', { name: zh('reports.accept'), exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: zh('reports.accept') }).click();
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.accepted'));
    await expect(page.getByText(zh('reports.readOnlyFiled'))).toBeVisible();
    await expect(page.getByRole('button', { name: zh('reports.correct') })).toHaveCount(0);
    await expect(field('reports.field.operations')).toHaveAttribute('readonly', '');
    const events = page.getByTestId('report-events');
    for (const step of ['create', 'attach', 'submit', 'return', 'sign', 'accept'] as const) await expect(events.getByRole('cell', { name: zh(`reports.event.${step}`), exact: true }).first()).toBeVisible();
    await expect(events).toContainText(TEXT.returnComment);
    await shot(page, 'inspections-19-accepted');
    const [reportPdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('reports.print') }).click()]);
    expect(reportPdf.suggestedFilename()).toMatch(new RegExp(`^检查报告_${contractNo}_\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
    const reportText = await pdfText(reportPdf);
    expect(reportText).toContain(contractNo);
    expect(reportText).toContain(borrower);
    expect(reportText).toContain('1,200,000.00');
    expect(reportText).toContain(amountInWords(120_000_000));
    // A figure's 大写 may wrap in its cell, and the text of a wrapped cell comes out interleaved with its
    // neighbour's: the figure itself is checked here (its 大写 is checked on the form above).
    expect(reportText).toContain('85,000.50');
    expect(reportText).toContain(TEXT.conclusion);
    await home(page);
    await expectCount(page, 'reportsToAccept', 0);

    // The post-loan card from the loan page's header.
    await page.getByRole('button', { name: zh('nav.inspections'), exact: true }).click();
    await page.getByRole('combobox', { name: zh('inspections.statusFilter'), exact: true }).click();
    await page.getByRole('option', { name: zh('inspections.status.done') }).click();
    await page.getByTestId('inspections').getByRole('button', { name: contractNo }).first().click();
    await expect(page.getByTestId('loan-inspections')).toContainText(zh('reportStatus.accepted'));
    const [card] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('loan.cardPdf') }).click()]);
    const cardText = await pdfText(card);
    expect(cardText).toContain(contractNo);
    expect(cardText).toContain(borrower);
    expect(cardText).toContain('人民币');
    await shot(page, 'inspections-20-loan-card');

    // The other screens: the loan's closed warning, all warnings, the signal catalogue (risk edits it), the work log.
    await page.getByRole('tab', { name: zh('warningsUi.tab') }).click();
    await expect(page.getByTestId('loan-warnings')).toContainText(zh('warnings.status.cleared'));
    await shot(page, 'inspections-21-loan-warnings');
    await page.getByRole('button', { name: zh('nav.warnings'), exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('warningsUi.title') })).toBeVisible();
    await shot(page, 'inspections-22-warnings');
    await page.getByRole('tab', { name: zh('warningsUi.catalogue') }).click();
    await expect(page.getByRole('button', { name: zh('warningsUi.addSignal') })).toBeVisible();
    // Every signal of the catalogue, one row each: code, name in both languages, category, level, its rule.
    const signals = await page.evaluate(async () => {
      const r = (await (window as unknown as { api: { invoke(c: string, i: unknown): Promise<unknown> } }).api.invoke('warnings.catalogue', {})) as { ok: boolean; value: { code: string; nameZh: string; nameEn: string; category: string; level: string; autoRule: string | null }[] };
      return r.value;
    });
    expect(signals.length).toBeGreaterThan(5);
    const catalogue = page.getByTestId('signal-catalogue');
    await expect(catalogue.locator('tbody tr')).toHaveCount(signals.length);
    const dpd90 = signals.find((x) => x.autoRule === 'dpd90')!;
    expect(dpd90).toBeDefined();
    const dpdRow = catalogue.locator('tbody tr').filter({ hasText: dpd90.code });
    await expect(dpdRow).toContainText(dpd90.nameZh);
    await expect(dpdRow).toContainText(dpd90.nameEn);
    await expect(dpdRow).toContainText(zh(`warnings.category.${dpd90.category}` as 'warnings.category.borrower'));
    await expect(dpdRow).toContainText(zh(`warnings.level.${dpd90.level}` as 'warnings.level.serious'));
    await expect(dpdRow).toContainText(zh('warningsUi.autoRules.dpd90'));
    await expect(catalogue.locator('tbody tr').filter({ hasText: zh('warningsUi.manual') }).first()).toBeVisible();
    await shot(page, 'inspections-23-catalogue');
    // The risk officer's edit dialog shows the signal as it stands; cancelling changes nothing.
    await dpdRow.getByRole('button', { name: zh('warningsUi.edit') }).click();
    const signalDialog = page.getByRole('dialog', { name: zh('warningsUi.editSignal') });
    await expect(signalDialog.getByLabel(zh('warningsUi.nameZh'), { exact: true })).toHaveValue(dpd90.nameZh);
    await expect(signalDialog.getByLabel(zh('warningsUi.nameEn'), { exact: true })).toHaveValue(dpd90.nameEn);
    await expect(signalDialog.getByRole('combobox', { name: zh('warningsUi.level'), exact: true })).toHaveValue(zh(`warnings.level.${dpd90.level}` as 'warnings.level.serious'));
    await expect(signalDialog.getByRole('switch', { name: zh('warningsUi.active') })).toBeChecked();
    await shot(page, 'inspections-23b-signal-dialog');
    await signalDialog.getByRole('button', { name: zh('warningsUi.cancel') }).click();
    await expect(signalDialog).toHaveCount(0);
    await page.getByRole('button', { name: zh('nav.worklog'), exact: true }).click();
    await expect(page.getByTestId('worklog-summary')).toBeVisible();
    await shot(page, 'inspections-24-worklog');

    // The same lists in English (their data — names, borrowers — stays as entered).
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('heading', { name: en('worklogUi.title') })).toBeVisible();
    await shot(page, 'inspections-25-worklog-en');
    await page.getByRole('button', { name: en('nav.warnings'), exact: true }).click();
    await page.getByRole('tab', { name: en('warningsUi.list') }).click();
    await page.getByTestId('warnings').locator('tbody tr').first().click();
    await expect(page.getByTestId('warning-drawer')).toBeVisible();
    await shot(page, 'inspections-26-warning-en');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: en('nav.inspections'), exact: true }).click();
    await expect(page.getByRole('heading', { name: en('inspections.title') })).toBeVisible();
    await shot(page, 'inspections-27-inspections-en');
  } finally {
    await bridge.stop();
  }
});

test('the report form follows the loan: no 担保情况 on credit alone, no balance sheet for a person, DPD and amount owed on top', async ({ page }) => {
  test.setTimeout(300_000);
  const bridge = await demoBridge(page);
  try {
    await loginToToday(page, 'officer1');
    const loans = await plannedLoans(page);
    const person = loans.find((l) => l.personal && !l.unsecured);
    const credit = loans.find((l) => l.unsecured);
    expect(person).toBeDefined();
    expect(credit).toBeDefined();
    const field = (key: Parameters<typeof zh>[0]) => page.getByLabel(zh(key), { exact: true });

    // A credit loan: the guarantee section says why it asks nothing; the loan's standing heads the form.
    await startReportOn(page, credit!.contractNo);
    await expect(page.getByTestId('report-loan-dpd')).toHaveText(zh('reports.loanFacts.days', { dpd: credit!.dpd }));
    await expect(page.getByTestId('report-loan-balance')).toHaveText(formatFen(credit!.balanceFen));
    await expect(page.getByTestId('report-loan-owed')).toHaveText(formatFen(credit!.owedFen));
    await expect(page.getByTestId('not-asked-unsecured')).toHaveText(zh('reports.notAsked.unsecured'));
    await expect(field('reports.field.guarantorsCondition')).toHaveCount(0);
    await expect(page.getByRole('combobox', { name: zh('reports.field.collateralState'), exact: true })).toHaveCount(0);
    await shot(page, 'inspections-30-credit-loan-form');

    // A person's guaranteed loan: no company figures are asked, and main takes the report without them.
    await startReportOn(page, person!.contractNo);
    await expect(page.getByTestId('report-loan-owed')).toHaveText(formatFen(person!.owedFen));
    await expect(page.getByTestId('not-asked-personal')).toHaveText(zh('reports.notAsked.personal'));
    for (const k of ['revenueFen', 'cashFen', 'totalAssetsFen', 'liabilitiesFen'] as const) await expect(field(`reports.field.${k}`)).toHaveCount(0);
    await expect(page.getByTestId('debt-ratio')).toHaveCount(0);
    await field('reports.field.operations').fill(TEXT.operations);
    await field('reports.field.fundFlows').fill(TEXT.fundFlows);
    await fillSecurity(page, person!);
    await field('reports.field.firstRepaymentSource').fill(TEXT.repaymentSource);
    await field('reports.field.conclusion').fill(TEXT.conclusion);
    await page.getByRole('combobox', { name: zh('reports.field.proposedLevel'), exact: true }).click();
    await page.getByRole('option', { name: '正常' }).click();
    await page.getByRole('button', { name: zh('reports.submit') }).click();
    await expect(page.getByTestId('report-status')).toHaveText(zh('reportStatus.submitted'));
    await shot(page, 'inspections-31-person-report-submitted');
  } finally {
    await bridge.stop();
  }
});
