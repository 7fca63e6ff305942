import { expect, test, type Page } from '@playwright/test';
import { addMonthsClamped, todayIn } from '../../src/shared/domain';
import { creditCodeCheckChar } from '../../src/shared/domain/ids';
import { demoBridge, login, logout } from './flows';
import { shot, tr } from './helpers';

const zh = tr('zh-CN');
const field = (page: Page, key: Parameters<typeof zh>[0]) => page.getByLabel(zh(key), { exact: true });
const DEBTOR_CODE = `91350100M00020000${creditCodeCheckChar('91350100M00020000')}`;

test('the loan form keeps a draft and asks before leaving; a factoring financing is registered from its form', async ({ page }) => {
  test.setTimeout(360_000);
  const bridge = await demoBridge(page);
  try {
    await login(page, 'officer1');

    // 新增贷款 without a borrower: the contract's own rule says so on the field; nothing is sent.
    await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    await page.getByRole('button', { name: zh('loans.new'), exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('loans.new') })).toBeVisible();
    await field(page, 'loans.contractNo').fill('HT-DRAFT-0001');
    await field(page, 'loans.amount').fill('50000');
    await page.getByRole('button', { name: zh('loans.save') }).click();
    await expect(page.getByText(zh('validation.required')).first()).toBeVisible();

    // Leaving asks; the draft is there when the form is opened again.
    await page.getByRole('button', { name: zh('nav.home'), exact: true }).click();
    const prompt = page.getByRole('dialog', { name: zh('forms.unsaved.title') });
    await expect(prompt).toBeVisible();
    await prompt.getByRole('button', { name: zh('forms.unsaved.leave') }).click();
    await expect(page.getByRole('heading', { name: zh('todayUi.title') })).toBeVisible();
    await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    await page.getByRole('button', { name: zh('loans.new'), exact: true }).click();
    await expect(page.getByTestId('draft-restored')).toBeVisible();
    await expect(field(page, 'loans.contractNo')).toHaveValue('HT-DRAFT-0001');
    await expect(field(page, 'loans.amount')).toHaveValue('50000');
    await shot(page, 'loanForms-01-draft-restored');
    await page.getByRole('button', { name: zh('forms.discardDraft') }).click();
    await expect(field(page, 'loans.contractNo')).toHaveValue('');

    // 新增保理 by a supervisor (who sees every borrower unmasked): an enterprise seller, one receivable, the
    // financing terms; saved, it opens the new loan.
    await logout(page);
    await login(page, 'supervisor1');
    await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    await page.getByRole('button', { name: zh('loans.newFactoring'), exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('factoring.title') })).toBeVisible();
    await page.getByRole('combobox', { name: zh('factoring.seller'), exact: true }).click();
    await page.getByRole('option').filter({ hasNotText: '*' }).first().click();
    const receivables = page.getByTestId('receivables');
    const today = todayIn();
    // The day first: its calendar closes when the next field takes the focus.
    await field(page, 'loans.startDate').fill(today);
    await receivables.getByLabel(zh('factoring.debtorName'), { exact: true }).fill('福州某某商贸有限公司');
    await receivables.getByLabel(zh('factoring.debtorCode'), { exact: true }).fill(DEBTOR_CODE);
    await receivables.getByLabel(zh('factoring.invoiceNo'), { exact: true }).fill('FP-0001');
    await receivables.getByLabel(zh('factoring.invoiceAmount'), { exact: true }).fill('100000');
    await receivables.getByLabel(zh('factoring.invoiceDate'), { exact: true }).fill(today);
    await receivables.getByLabel(zh('factoring.dueDate'), { exact: true }).fill(addMonthsClamped(today, 6));
    // The account debtor is a related party (关联方): ticked as the receivable is entered.
    await receivables.getByLabel(zh('factoring.relatedParty'), { exact: true }).check();
    await field(page, 'loans.contractNo').fill('BL-E2E-0001');
    await field(page, 'factoring.financingAmount').fill('80000');
    await field(page, 'loans.annualRate').fill('8');
    await shot(page, 'loanForms-02-factoring');
    await page.getByRole('button', { name: zh('factoring.save') }).click();
    await expect(page.getByTestId('loan-contract-no')).toHaveText('BL-E2E-0001');
    await expect(page.getByRole('tab', { name: zh('loan.tabs.factoring') })).toBeVisible();
    // A factoring financing is worded as one: 融资金额 and 融资余额, not a loan's.
    await expect(page.getByText(zh('loan.principalFactoring'), { exact: true })).toBeVisible();
    await expect(page.getByText(zh('loan.balanceFactoring'), { exact: true })).toBeVisible();
    await expect(page.getByText(zh('loan.principal'), { exact: true })).toHaveCount(0);
    await shot(page, 'loanForms-03-factoring-saved');
    // On the financing's page the debtor shows as a related party, and the mark can be taken back.
    await page.getByRole('tab', { name: zh('loan.tabs.factoring') }).click();
    await expect(page.getByTestId('debtor-related')).toHaveText(zh('factoring.relatedParty'));
    await shot(page, 'loanForms-04-factoring-related');
    await page.getByRole('button', { name: zh('factoring.unmarkRelated') }).click();
    await expect(page.getByTestId('debtor-related')).toHaveCount(0);
    await expect(page.getByRole('button', { name: zh('factoring.markRelated') })).toBeVisible();
    // The back office: the collection account the debtor letters print, a signed confirmation (确权), and the
    // debtors' register with the exposure across sellers.
    await page.getByRole('button', { name: zh('factoring.setCollectionAccount') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(zh('factoring.bank'), { exact: true }).fill('中国工商银行福州分行营业部');
    await dialog.getByLabel(zh('factoring.accountName'), { exact: true }).fill('测试商业保理有限公司');
    await dialog.getByLabel(zh('factoring.accountNo'), { exact: true }).fill('1402 0211 0902 4001 234');
    await dialog.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('collection-account')).toContainText('1402021109024001234');
    await page.getByRole('button', { name: zh('factoring.confirm'), exact: true }).click();
    await page.getByRole('dialog').getByLabel(zh('factoring.evidence'), { exact: true }).fill('确认书 QR-001');
    await page.getByRole('dialog').getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('confirmation')).toHaveText(zh('factoring.confirmation.signed'));
    await expect(page.getByTestId('eligible-base')).toHaveText('100,000.00');
    await shot(page, 'loanForms-05-factoring-back-office');
    await page.getByRole('button', { name: zh('nav.debtors'), exact: true }).click();
    await expect(page.locator('[data-debtor="福州某某商贸有限公司"]').getByTestId('debtor-exposure')).toHaveText('100,000.00');
    await shot(page, 'loanForms-06-debtors');
  } finally {
    await bridge.stop();
  }
});
