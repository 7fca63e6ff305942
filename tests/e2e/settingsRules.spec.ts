import { expect, test } from '@playwright/test';
import { CN_CALENDARS, todayIn } from '../../src/shared/domain';
import { missingCalendarYear } from '../../src/renderer/features/inspections/nextYear';
import { startBridge } from './bridge';
import { firstRun, INSTITUTION } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

test('系统设置: collection and archive rules are shown, saved and shown again, in Chinese and English', async ({ page }) => {
  const bridge = await startBridge();
  try {
    await page.goto(bridge.url);
    await firstRun(page, { logout: false });

    const nav = page.getByRole('navigation');
    // The administrator's home asks for the holiday file that deadlines will need: this year's when it is
    // missing, next year's from 1 December. Whatever today is, the page agrees with the rule; when it asks,
    // its button leads to the import, and the request is gone once the year is there.
    const ask = missingCalendarYear(
      CN_CALENDARS.map((c) => c.year),
      todayIn(),
    );
    const notice = page.getByTestId('calendar-notice');
    if (!ask) await expect(notice).toHaveCount(0);
    else {
      await expect(notice).toHaveAttribute('data-year', String(ask.year));
      await shot(page, 'settingsRules-00-calendar-notice');
      await notice.getByRole('button', { name: zh('calendarUi.goImport') }).click();
      await page.getByTestId('calendar-input').setInputFiles({ name: `${ask.year}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`${ask.year}-01-01,休\n`, 'utf8') });
      await expect(page.getByTestId('calendar-years').locator('tr', { hasText: String(ask.year) })).toContainText(zh('calendarUi.imported'));
      await nav.getByRole('button', { name: zh('nav.home'), exact: true }).click();
      await expect(page.getByText(zh('home.institution'))).toBeVisible();
      await expect(page.locator(`[data-testid="calendar-notice"][data-year="${ask.year}"]`)).toHaveCount(0);
    }
    await nav.getByRole('button', { name: zh('nav.settings'), exact: true }).click();
    const field = (key: Parameters<typeof zh>[0]) => page.getByLabel(zh(key), { exact: true });
    await expect(field('settings.extensionLeadDays')).toHaveValue('15');
    await expect(field('settings.receiptChaseDays')).toHaveValue('15');
    await expect(field('settings.reminderLeadDays')).toHaveValue('3');
    await expect(field('settings.maturityReminderLeadDays')).toHaveValue('30');
    await expect(field('settings.overdueNoticeRepeatDays')).toHaveValue('30');
    await expect(field('settings.retentionYears')).toHaveValue('30');
    await field('settings.extensionLeadDays').fill('20');
    await field('settings.retentionYears').fill('');
    await page.getByRole('button', { name: zh('settings.save'), exact: true }).click();
    await expect(page.getByText(zh('validation.required'))).toBeVisible();
    await field('settings.retentionYears').fill('50');
    // Warnings, work log and legal: the same form.
    await expect(field('settings.debtRatioLimitPercent')).toHaveValue('70');
    await expect(field('settings.legalMinDpd')).toHaveValue('90');
    await field('settings.legalMinDpd').fill('120');
    await field('settings.worklogMinRisk').fill('2');
    await page.getByRole('button', { name: zh('settings.save'), exact: true }).click();
    await expect(page.getByText(zh('settings.saved'))).toBeVisible();
    await shot(page, 'settingsRules-01-saved');

    // The inspection rules: today's values; main refuses intervals that grow with the risk.
    const rules = page.getByTestId('inspection-rules');
    const rule = (key: Parameters<typeof zh>[0]) => rules.getByLabel(zh(key), { exact: true });
    await expect(rule('settings.inspection.firstReportDueWorkingDays')).toHaveValue('2');
    await expect(rule('settings.inspection.specialReportDueWorkingDays')).toHaveValue('1');
    await expect(rule('settings.inspection.largeBalanceYuan')).toHaveValue('500,000');
    await expect(rule('settings.inspection.preMaturityScope')).toHaveValue(zh('settings.inspection.scope.all'));
    await rule('settings.inspection.routineHigherRisk').fill('4');
    await rules.getByRole('button', { name: zh('settings.inspection.save') }).click();
    await expect(rules.getByText(zh('validation.routineMonthsOrder'))).toBeVisible();
    await rule('settings.inspection.routineHigherRisk').fill('1');
    await rule('settings.inspection.largeBalanceYuan').fill('800000');
    await rule('settings.inspection.preMaturityScope').click();
    await page.getByRole('option', { name: zh('settings.inspection.scope.bullet') }).click();
    await rules.getByRole('button', { name: zh('settings.inspection.save') }).click();
    await expect(page.getByText(zh('settings.inspection.saved'))).toBeVisible();
    await expect(rules.getByText(zh('validation.routineMonthsOrder'))).toHaveCount(0);
    await rules.scrollIntoViewIfNeeded();
    await shot(page, 'settingsRules-01b-inspection-rules');

    // Read back from main after leaving the page.
    await nav.getByRole('button', { name: zh('nav.home'), exact: true }).click();
    await nav.getByRole('button', { name: zh('nav.settings'), exact: true }).click();
    await expect(field('settings.extensionLeadDays')).toHaveValue('20');
    await expect(field('settings.retentionYears')).toHaveValue('50');
    await expect(field('settings.legalMinDpd')).toHaveValue('120');
    await expect(rule('settings.inspection.largeBalanceYuan')).toHaveValue('800,000');
    await expect(rule('settings.inspection.preMaturityScope')).toHaveValue(zh('settings.inspection.scope.bullet'));
    // Prepayment fees are set by product: none yet in a new store.
    await expect(page.getByTestId('prepayment-fees')).toContainText(zh('settings.fees.noProducts'));

    await page.getByText('English', { exact: true }).click();
    await expect(page.getByText(en('settings.rulesTitle'))).toBeVisible();
    await expect(page.getByLabel(en('settings.extensionLeadDays'), { exact: true })).toHaveValue('20');
    await expect(rules.getByLabel(en('settings.inspection.preMaturityScope'), { exact: true })).toHaveValue(en('settings.inspection.scope.bullet'));
    // The Chinese notices of the two saves close on their own; what stays must be in English.
    await expect(page.getByText(zh('settings.saved'))).toHaveCount(0);
    await expect(page.getByText(zh('settings.inspection.saved'))).toHaveCount(0);
    await expectNoChinese(page, [INSTITUTION, '王管理']);
    await shot(page, 'settingsRules-02-en');
  } finally {
    await bridge.stop();
  }
});
