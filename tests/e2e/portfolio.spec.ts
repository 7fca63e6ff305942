import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { addDays, addMonthsClamped, amountInWords, formatFen, parseYuanToFen, residentIdCheckChar, todayIn } from '../../src/shared/domain';
import { startBridge } from './bridge';
import { firstRun, INSTITUTION, login, logout } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

const FIRST17 = '11010519800101123';
const GOOD_ID = FIRST17 + residentIdCheckChar(FIRST17);
const BAD_ID = FIRST17 + (residentIdCheckChar(FIRST17) === '0' ? '1' : '0');
const BORROWER = '张晓梅';
const PRODUCT = '个人经营贷';
const CONTRACT = 'HT-E2E-0001';
const GUARANTOR_ID = '44030419900307123' + residentIdCheckChar('44030419900307123');
const OFFICER = '李明（信贷员）';
/** What may stay Chinese in English: data typed in Chinese, and the legal uppercase form of the amount. */
const DATA = [INSTITUTION, BORROWER, PRODUCT, OFFICER, amountInWords(12_000_000)];

/** Reads a money card such as "12,345.67" as fen. */
async function fenOf(page: Page, testId: string): Promise<number> {
  return parseYuanToFen((await page.getByTestId(testId).innerText()).trim());
}

test('officer: borrower → loan with overdue instalments → repayment → ledger; English loan page', async ({ page }) => {
  const bridge = await startBridge();
  const today = todayIn();
  // Three instalments have fallen due, the first about two months ago.
  const start = addDays(addMonthsClamped(today, -3), -5);
  try {
    await page.goto(bridge.url);

    // First run, with a small demo portfolio: it also creates the demo staff with the administrator's password.
    await firstRun(page, {
      demoBorrowers: 30,
      beforeFinish: async () => {
        await expect(page.getByText(zh('demo.staffNotice'))).toBeVisible();
        await shot(page, 'portfolio-01-setup-demo');
      },
    });

    // The demo officer signs in with the administrator's password and sees only business pages.
    await login(page, 'officer1');
    await expect(page.getByTestId('count-mine')).toBeVisible();
    await expect(page.getByRole('button', { name: zh('nav.users') })).toHaveCount(0);
    await expect(page.getByRole('button', { name: zh('nav.import') })).toBeVisible();
    await shot(page, 'portfolio-02-officer-home');

    // 导入: what the page says it takes, its template, and a file that is not a workbook refused before reading.
    await page.getByRole('button', { name: zh('nav.import') }).click();
    await expect(page.getByRole('heading', { name: zh('imports.title') })).toBeVisible();
    await expect(page.getByText(zh('imports.intro'))).toBeVisible();
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('imports.template') }).click()]);
    expect(template.suggestedFilename()).toBe(zh('import.templateFileName'));
    // An .xlsx is a ZIP: it starts with PK.
    expect(readFileSync(await template.path()).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.locator('input[type="file"]').setInputFiles({ name: '借款人.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,身份证\n') });
    await expect(page.getByRole('alert')).toHaveText(zh('imports.notXlsx'));
    await expect(page.getByTestId('import-summary')).toHaveCount(0);
    await shot(page, 'portfolio-02b-import');

    // Borrowers: the list, then a new borrower; a wrong check digit is caught as it is typed.
    await page.getByRole('button', { name: zh('nav.borrowers') }).click();
    await expect(page.getByRole('heading', { name: zh('borrowers.title') })).toBeVisible();
    await shot(page, 'portfolio-03-borrowers');
    // The other officer's borrowers are listed too (so that nobody registers one twice), with ID number and
    // phone masked and no loan figures, and no link to open them.
    const others = page.getByTestId('borrower-list').locator('tbody tr[data-index]').filter({ has: page.getByTestId('others-borrower') });
    await expect(others.first()).toBeVisible();
    // A resident ID ends in digits or X, a credit code in digits or capitals.
    await expect(others.first()).toHaveText(/\d{6}\*{8}[\dA-Z]{4}/);
    await expect(others.first()).toContainText('—');
    await expect(others.first().getByRole('button')).toHaveCount(0);
    await page.getByRole('button', { name: zh('borrowers.add') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('borrowers.personName'), { exact: true }).fill(BORROWER);
    await dialog.getByLabel(zh('borrowers.residentId'), { exact: true }).fill(BAD_ID);
    await expect(dialog.getByText(zh('validation.residentId'))).toBeVisible();
    await dialog.getByLabel(zh('borrowers.phone'), { exact: true }).fill('13800138000');
    await dialog.getByLabel(zh('borrowers.address'), { exact: true }).fill('北京市朝阳区建国路 1 号');
    await shot(page, 'portfolio-04-borrower-invalid-id');
    await dialog.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(dialog).toBeVisible();
    await dialog.getByLabel(zh('borrowers.residentId'), { exact: true }).fill(GOOD_ID);
    await expect(dialog.getByText(zh('validation.residentId'))).toHaveCount(0);
    await dialog.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByRole('heading', { name: BORROWER })).toBeVisible();
    await expect(page.getByText(GOOD_ID)).toBeVisible();
    await shot(page, 'portfolio-05-borrower-detail');

    // A new loan for this borrower, disbursed three months ago; the schedule is previewed before saving.
    await page.getByRole('button', { name: zh('borrowers.newLoan') }).click();
    await expect(page.getByRole('heading', { name: zh('loans.new') })).toBeVisible();
    await expect(page.getByRole('combobox', { name: zh('loans.borrower'), exact: true })).toHaveValue(`${BORROWER}（${GOOD_ID}）`);
    await page.getByLabel(zh('loans.contractNo'), { exact: true }).fill(CONTRACT);
    await page.getByLabel(zh('loans.product'), { exact: true }).fill(PRODUCT);
    await page.getByLabel(zh('loans.amount'), { exact: true }).fill('120000.005');
    await page.getByLabel(zh('loans.annualRate'), { exact: true }).fill('12');
    await page.getByLabel(zh('loans.startDate'), { exact: true }).fill(start);
    await page.getByRole('button', { name: zh('loans.preview') }).click();
    await expect(page.getByText('金额最多保留两位小数')).toBeVisible();
    await page.getByLabel(zh('loans.amount'), { exact: true }).fill('120000');
    await expect(page.getByTestId('amount-in-words')).toHaveText(zh('portfolio.inWords', { words: amountInWords(12_000_000) }));
    await page.getByRole('button', { name: zh('loans.preview') }).click();
    const preview = page.getByTestId('schedule-preview');
    await expect(preview.locator('tbody tr')).toHaveCount(12);
    await expect(page.getByRole('combobox', { name: zh('loans.officer'), exact: true })).toHaveValue(OFFICER);
    await shot(page, 'portfolio-06-new-loan-preview');
    await page.getByRole('button', { name: zh('loans.save') }).click();

    // The loan page: overdue since the first instalment, so a DPD bucket beyond M0 and at least 关注.
    await expect(page.getByTestId('loan-contract-no')).toHaveText(CONTRACT);
    const dpd = Number(await page.getByTestId('state-dpd').innerText());
    expect(dpd).toBeGreaterThan(30);
    await expect(page.getByTestId('state-bucket')).toHaveText(/^M[2-3]$/);
    await expect(page.getByTestId('state-level')).toHaveText('关注');
    await expect(page.getByTestId('loan-security')).toHaveText(zh('portfolio.guaranteeMode.credit'));
    await expect(page.getByTestId('loan-contract-modes')).toHaveCount(0);
    await expect(page.getByTestId('floor-reasons')).toContainText(`逾期 ${dpd} 天`);
    await expect(page.getByTestId('schedule').getByText(zh('loan.periodStatus.overdue'))).toHaveCount(3);
    await shot(page, 'portfolio-07-loan-overdue');

    // The same page in English: every word but the data typed in Chinese.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('tab', { name: en('loan.tabs.schedule') })).toBeVisible();
    await expect(page.getByTestId('floor-reasons')).toContainText(`${dpd} days past due`);
    // Messages shown in Chinese are dropped with the switch.
    await expect(page.getByText(zh('loans.saved', { no: CONTRACT }))).toHaveCount(0);
    await expectNoChinese(page, DATA);
    await shot(page, 'portfolio-08-loan-en');
    // The reasons in the history and the ledger are worded from their codes, in English too.
    await page.getByRole('tab', { name: en('loan.tabs.classification') }).click();
    await expect(page.getByTestId('classifications')).toContainText(`${dpd} days past due`);
    await expectNoChinese(page, DATA);
    await page.getByRole('tab', { name: en('loan.tabs.ledger') }).click();
    await expect(page.getByTestId('ledger')).toContainText(`${dpd} days past due`);
    await expectNoChinese(page, DATA);
    await shot(page, 'portfolio-08b-ledger-en');
    await page.getByRole('tab', { name: en('loan.tabs.repayments') }).click();
    await expect(page.getByRole('button', { name: en('loan.repayments.submit') })).toBeVisible();
    await expectNoChinese(page, DATA);
    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByRole('tab', { name: zh('loan.tabs.repayments') })).toBeVisible();

    // A repayment of everything overdue, read off the page, brings DPD back to 0.
    const overdue = (await fenOf(page, 'state-overdue-principal')) + (await fenOf(page, 'state-overdue-interest')) + (await fenOf(page, 'state-penalty'));
    expect(overdue).toBeGreaterThan(0);
    await page.getByLabel(zh('loan.repayments.amount'), { exact: true }).fill(formatFen(overdue).replaceAll(',', ''));
    await expect(page.getByTestId('amount-in-words')).toHaveText(zh('portfolio.inWords', { words: amountInWords(overdue) }));
    await page.getByLabel(zh('loan.repayments.note'), { exact: true }).fill('现金还款');
    await shot(page, 'portfolio-09-repayment-form');
    await page.getByRole('button', { name: zh('loan.repayments.submit'), exact: true }).click();
    await expect(page.getByTestId('state-dpd')).toHaveText('0');
    await expect(page.getByTestId('state-bucket')).toHaveText('M0');
    await expect(page.getByTestId('repayments').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('repayments')).toContainText(formatFen(overdue));
    await shot(page, 'portfolio-10-repaid');

    // 提前结清测算 for today: nothing overdue now, so the principal to settle is the balance; printed for signing.
    const quote = page.getByTestId('settlement-quote');
    const balanceNow = await page.getByTestId('state-balance').innerText();
    await expect(quote.getByTestId('settlement-quote-items').locator('tr').first()).toContainText(balanceNow);
    await expect(quote.getByTestId('settlement-quote-items').locator('tr').first()).toContainText(amountInWords(parseYuanToFen(balanceNow)));
    const payable = (await quote.getByTestId('settlement-quote-payable').innerText()).match(/([\d,]+\.\d{2})/)![1];
    expect(parseYuanToFen(payable)).toBeGreaterThanOrEqual(parseYuanToFen(balanceNow));
    await shot(page, 'portfolio-10b-settlement-quote');
    const [quotePdf] = await Promise.all([page.waitForEvent('download'), quote.getByRole('button', { name: zh('servicing.quote.print') }).click()]);
    expect(quotePdf.suggestedFilename()).toBe(`提前结清测算单_${CONTRACT}_${todayIn()}.pdf`);
    const quoteText = execFileSync('pdftotext', [await quotePdf.path(), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(quoteText).toContain(CONTRACT);
    expect(quoteText).toContain(`结清应付金额：¥${payable}（${amountInWords(parseYuanToFen(payable))}）`);

    // The ledger: disbursement and the repayment, with the principal balance running down to the card's.
    const balance = await page.getByTestId('state-balance').innerText();
    await page.getByRole('tab', { name: zh('loan.tabs.ledger') }).click();
    const ledger = page.getByTestId('ledger');
    const kindCell = (kind: 'disbursement' | 'repayment') => ledger.locator('tbody tr').filter({ has: page.getByRole('cell', { name: zh(`ledger.kind.${kind}`), exact: true }) });
    await expect(kindCell('disbursement').locator('td').nth(7)).toHaveText('120,000.00');
    await expect(kindCell('repayment')).toHaveCount(1);
    await expect(kindCell('repayment').locator('td').nth(3)).toHaveText(formatFen(overdue));
    await expect(kindCell('repayment').locator('td').nth(7)).toHaveText(balance);
    expect(parseYuanToFen(balance)).toBeLessThan(12_000_000);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('loan.ledger.export') }).click()]);
    expect(xlsx.suggestedFilename()).toBe(zh('ledger.fileName', { no: CONTRACT }));
    await shot(page, 'portfolio-11-ledger');

    // 部分提前还款 of 10,000 yuan today, keeping the maturity: the quote (with its 大写) and the post, which lowers
    // the balance by exactly that principal.
    await page.getByRole('tab', { name: zh('loan.tabs.repayments') }).click();
    const prepayment = page.getByTestId('prepayment');
    await prepayment.getByLabel(zh('servicing.prepay.principal'), { exact: true }).fill('10000');
    await prepayment.getByText(zh('servicing.prepay.lower'), { exact: true }).click();
    const items = prepayment.getByTestId('prepayment-items');
    await expect(items.locator('tr').nth(1)).toContainText('10,000.00');
    await expect(items.locator('tr').nth(1)).toContainText(amountInWords(1_000_000));
    await expect(prepayment.getByTestId('prepayment-effect')).toContainText(zh('servicing.prepay.periods', { before: 'X', after: 'X' }).split('X')[0]);
    await shot(page, 'portfolio-11b-prepayment-quote');
    await prepayment.getByRole('button', { name: zh('servicing.prepay.confirm') }).click();
    await expect(page.getByText(zh('servicing.prepay.done'))).toBeVisible();
    await expect(page.getByTestId('state-balance')).toHaveText(formatFen(parseYuanToFen(balance) - 1_000_000));

    // A joint guarantor, and a mortgage worth less than the balance: its LTV is flagged in red.
    await page.getByRole('tab', { name: zh('loan.tabs.guarantees') }).click();
    await page.getByRole('button', { name: zh('loan.guarantees.add') }).click();
    const g = page.getByRole('dialog');
    await g.getByLabel(zh('loan.guarantees.name'), { exact: true }).fill('刘建国');
    await g.getByLabel(zh('loan.guarantees.idNumber'), { exact: true }).fill(GUARANTOR_ID);
    await g.getByLabel(zh('loan.guarantees.amount'), { exact: true }).fill('120000');
    await g.getByLabel(zh('loan.guarantees.periodEnd'), { exact: true }).fill(addMonthsClamped(start, 48));
    await g.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByRole('cell', { name: GUARANTOR_ID })).toBeVisible();
    await page.getByRole('tab', { name: zh('loan.tabs.collateral') }).click();
    await page.getByRole('button', { name: zh('loan.collateral.add') }).click();
    const c = page.getByRole('dialog');
    await c.getByLabel(zh('loan.collateral.type'), { exact: true }).fill('房产');
    await c.getByLabel(zh('loan.collateral.owner'), { exact: true }).fill(BORROWER);
    await c.getByLabel(zh('loan.collateral.description'), { exact: true }).fill('朝阳区建国路 1 号 3 单元 502 室');
    await c.getByLabel(zh('loan.collateral.value'), { exact: true }).fill('50000');
    await c.getByRole('button', { name: zh('loan.collateral.addCert') }).click();
    await c.getByLabel(zh('loan.collateral.certNo'), { exact: true }).fill('京(2026)朝阳区不动产权第0001234号');
    await c.getByLabel(zh('loan.collateral.certType'), { exact: true }).fill('不动产权证书');
    await c.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('ltv-over')).toBeVisible();
    await expect(page.getByText(zh('loan.collateral.custodyState.vault'))).toBeVisible();
    // The header's 担保方式 is what the loan now has; the contract's 信用 is kept beside it.
    await expect(page.getByTestId('loan-security')).toHaveText(['guarantee', 'mortgage'].map((m) => zh(`portfolio.guaranteeMode.${m}` as Parameters<typeof zh>[0])).join('、'));
    await expect(page.getByTestId('loan-contract-modes')).toHaveText(zh('loan.contractModes', { modes: zh('portfolio.guaranteeMode.credit') }));
    await shot(page, 'portfolio-12-collateral');

    // The officer proposes a downgrade; only another supervisor may approve it.
    await page.getByRole('tab', { name: zh('loan.tabs.classification') }).click();
    await page.getByRole('combobox', { name: zh('loan.classification.proposeLevel'), exact: true }).click();
    await page.getByRole('option', { name: '次级' }).click();
    await page.getByLabel(zh('loan.classification.proposeReason'), { exact: true }).fill('借款人经营的门店已停业');
    await page.getByRole('button', { name: zh('loan.classification.submit') }).click();
    await expect(page.getByTestId('classifications').getByText(zh('loan.classification.statusLabel.pending'))).toBeVisible();
    await shot(page, 'portfolio-13-proposed');

    // The loan list finds it; the badges show it is current again.
    await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    await page.getByLabel(zh('loans.query'), { exact: true }).fill(CONTRACT);
    await expect(page.locator('table tbody tr')).toHaveCount(1);
    await expect(page.getByRole('button', { name: CONTRACT })).toBeVisible();
    await shot(page, 'portfolio-14-loans');

    await logout(page);
    await login(page, 'supervisor1');
    await page.getByRole('button', { name: zh('nav.classification'), exact: true }).click();
    const pending = page.getByTestId('pending-classifications').locator('tbody tr').filter({ hasText: CONTRACT });
    await expect(pending).toContainText('借款人经营的门店已停业');
    await shot(page, 'portfolio-15-approvals');
    await pending.getByRole('button', { name: zh('loan.classification.approve') }).click();
    await page.getByRole('dialog').getByLabel(zh('loan.classification.comment'), { exact: true }).fill('同意下调');
    await page.getByRole('dialog').getByRole('button', { name: zh('loan.classification.approve') }).click();
    await expect(pending).toHaveCount(0);
    await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    await page.getByLabel(zh('loans.query'), { exact: true }).fill(CONTRACT);
    await page.getByRole('button', { name: CONTRACT }).click();
    await expect(page.getByTestId('state-level')).toHaveText('次级');
    await shot(page, 'portfolio-16-approved');

    // Settled early for the quoted amount, the loan closes and offers the return of the mortgage's certificate,
    // still in the vault.
    await page.getByRole('tab', { name: zh('loan.tabs.repayments') }).click();
    const settleFor = (await page.getByTestId('settlement-quote-payable').innerText()).match(/([\d,]+\.\d{2})/)![1];
    await page.getByLabel(zh('loan.repayments.amount'), { exact: true }).fill(settleFor.replaceAll(',', ''));
    await page.getByText(zh('servicing.excess.settle'), { exact: true }).click();
    await page.getByRole('button', { name: zh('loan.repayments.submit'), exact: true }).click();
    const confirmPost = page.getByRole('dialog');
    await confirmPost.getByLabel(zh('servicing.preview.confirm')).check();
    await confirmPost.getByRole('button', { name: zh('loan.repayments.submit') }).click();
    await expect(page.getByTestId('certificate-return-offer')).toContainText(zh('servicing.certificatesToReturn', { count: 1 }));
    await expect(page.getByTestId('state-balance')).toHaveText('0.00');
    await shot(page, 'portfolio-17-settled-certificates');
  } finally {
    await bridge.stop();
  }
});
