import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { darkPixels, demoBridge, EXPORT_PW, INSTITUTION, login, logout, scanJpeg } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

async function pickOption(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('archivist exports two loans and imports the package read-only; a supervisor reassigns a loan and gets the handover list', async ({ page }) => {
  test.setTimeout(360_000);
  const bridge = await demoBridge(page);
  const target = mkdtempSync(join(tmpdir(), 'lk-import-'));
  try {
    await login(page, 'archivist1');
    await page.getByRole('button', { name: zh('nav.archive'), exact: true }).click();
    const liveLoans = page.getByRole('button', { name: zh('nav.loans'), exact: true });
    await page.getByRole('tab', { name: zh('archiveUi.tabs.gaps') }).click();
    const gaps = page.getByTestId('gaps').locator('tbody tr');
    await expect(gaps.nth(1)).toBeVisible();
    const a = (await gaps.nth(0).locator('td').first().innerText()).trim();
    const b = (await gaps.nth(1).locator('td').first().innerText()).trim();

    // The archivist files a scan for the first loan, so the package carries an image as well as PDFs.
    await gaps.first().getByRole('button', { name: a }).click();
    await expect(page.getByTestId('loan-contract-no')).toHaveText(a);
    // The type is suggested from the file name (借据) and confirmed by uploading.
    await expect(page.getByTestId('checklist-missing')).toBeVisible();
    await page.getByTestId('doc-file-input').setInputFiles({ name: '借据扫描件.jpg', mimeType: 'image/jpeg', buffer: await scanJpeg(page, `${a} 借据扫描件`) });
    await expect(page.getByRole('combobox', { name: zh('documentsUi.typeFor', { name: '借据扫描件.jpg' }), exact: true })).toHaveValue('借据');
    await page.getByTestId('doc-upload').click();
    await expect(page.getByTestId('documents')).toContainText('借据扫描件.jpg');
    await page.getByRole('button', { name: zh('nav.archive'), exact: true }).click();

    // 档案导出: the folder picker button is there, but the test bridge has no system dialog, so the field stays.
    await page.getByRole('tab', { name: zh('archiveUi.tabs.export') }).click();
    await page.getByLabel(zh('archiveUi.contracts'), { exact: true }).fill(`${a}\n${b}`);
    const pickFolder = page.getByRole('button', { name: zh('pathField.pickFolder') });
    await pickFolder.click();
    await expect(page.getByText(zh('pathField.unavailable'))).toBeVisible();
    await expect(pickFolder).toBeDisabled();
    await expect(page.getByLabel(zh('archiveUi.targetDir'), { exact: true })).toBeFocused();
    await page.getByLabel(zh('archiveUi.targetDir'), { exact: true }).fill(target);
    // A password of the archivist's own (the generated one is the default; archive.spec.ts takes that path).
    await page.getByRole('radio', { name: zh('archiveUi.passwordTyped') }).check();
    await page.getByLabel(zh('archiveUi.password'), { exact: true }).fill(EXPORT_PW);
    await page.getByLabel(zh('archiveUi.passwordConfirm'), { exact: true }).fill(EXPORT_PW);
    await shot(page, 'import-01-export-picker-fallback');
    await page.getByRole('button', { name: zh('archiveUi.start') }).click();
    await expect(page.getByTestId('export-job')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    const file = (await page.getByTestId('export-file').innerText()).trim();

    // A cut-short copy and a re-packed one with a changed file, as a damaged stick or a meddler would leave them.
    const cut = join(target, 'cut.zip');
    const bytes = readFileSync(file);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    // The package is an outer zip holding 档案.zip: unpack both levels, alter a file, pack both again.
    const unpacked = join(target, 'x');
    execFileSync('7z', ['x', `-p${EXPORT_PW}`, `-o${join(unpacked, 'outer')}`, file], { stdio: 'pipe' });
    execFileSync('7z', ['x', `-o${join(unpacked, 'inner')}`, join(unpacked, 'outer', '档案.zip')], { stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync(join(unpacked, 'inner', 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    const victim = manifest.files.find((f) => f.path.endsWith('.pdf'))!.path;
    writeFileSync(join(unpacked, 'inner', victim), Buffer.from('%PDF-1.4 altered'));
    rmSync(join(unpacked, 'outer', '档案.zip'));
    execFileSync('7z', ['a', '-tzip', '-mx0', join(unpacked, 'outer', '档案.zip'), '.'], { cwd: join(unpacked, 'inner'), stdio: 'pipe' });
    const altered = join(target, 'altered.zip');
    execFileSync('7z', ['a', '-tzip', '-mx0', '-mem=AES256', `-p${EXPORT_PW}`, altered, '.'], { cwd: join(unpacked, 'outer'), stdio: 'pipe' });

    // 导入的档案: the view says it is read-only and leaves live loans alone.
    await page.getByRole('tab', { name: zh('archiveUi.tabs.imported') }).click();
    await expect(page.getByTestId('read-only-note')).toContainText(zh('importUi.readOnlyHint'));
    await expect(page.getByText(zh('importUi.empty'))).toBeVisible();
    await expect(page.getByRole('button', { name: zh('pathField.pickFile') })).toBeDisabled();
    const pkg = page.getByLabel(zh('importUi.file'), { exact: true });
    const pw = page.getByLabel(zh('importUi.password'), { exact: true });
    const submit = page.getByRole('button', { name: zh('importUi.submit') });
    const error = page.getByTestId('import-error');
    await pkg.fill(file);
    await pw.fill('Wrong-pass-1');
    await submit.click();
    await expect(error).toContainText(zh('errors.verifyWrongPassword'));
    await shot(page, 'import-02-wrong-password');
    await pkg.fill(cut);
    await pw.fill(EXPORT_PW);
    await submit.click();
    await expect(error).toContainText(zh('errors.verifyNotPackage', { file: cut }));
    await pkg.fill(altered);
    await pw.fill(EXPORT_PW);
    await submit.click();
    await expect(error).toContainText(victim);
    await expect(error).toContainText('改动 1');
    await shot(page, 'import-03-altered');
    await expect(page.getByText(zh('importUi.empty'))).toBeVisible();

    await pkg.fill(file);
    await pw.fill(EXPORT_PW);
    await submit.click();
    // A background job: the bar fills file by file; the package is then listed and can be opened.
    const job = page.getByTestId('import-job');
    await expect(job.getByRole('progressbar')).toBeVisible();
    await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    const total = manifest.files.length;
    await expect(page.getByTestId('import-progress-text')).toContainText(`${total}/${total}`);
    await expect(page.getByTestId('imported-archives').locator('tbody tr')).toHaveCount(1);
    await shot(page, 'import-03b-imported');
    await page.getByText('English', { exact: true }).click();
    await expect(job.getByText(en('importUi.jobState.done'))).toBeVisible();
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
    await expectNoChinese(page, [INSTITUTION, '周红（档案管理员）', file]);
    await shot(page, 'import-03c-imported-en');
    await page.getByText('中文', { exact: true }).click();
    await job.getByRole('button', { name: zh('importUi.openImported') }).click();
    const view = page.getByTestId('imported-archive');
    await expect(view).toBeVisible();
    await expect(view.getByText(zh('importUi.readOnly'), { exact: true })).toBeVisible();
    await expect(view).toContainText(INSTITUTION);
    const files = page.getByTestId('imported-files');
    await expect(files.locator(`tr[data-loan-folder^="${a.replace(/[^A-Za-z0-9-]/g, '_')}"]`)).toBeVisible();
    await expect(files).toContainText(a);
    await expect(files).toContainText(b);
    // No way to change anything: the only buttons are back, preview and (in the modal) download/close.
    await expect(view.getByRole('button', { name: /删除|修改|编辑|保存/ })).toHaveCount(0);
    await shot(page, 'import-04-archive-view');
    const card = files.locator('tr[data-path*="贷后管理卡_"]').first();
    await card.getByRole('button', { name: zh('documentsUi.preview') }).click();
    const preview = page.getByTestId('file-preview');
    await expect(preview).toHaveAttribute('data-mime', 'application/pdf');
    // Drawn in the page by pdf.js, with the card's text in its text layer.
    await expect(preview.locator('[data-page="1"]')).toHaveAttribute('data-state', 'rendered');
    expect(await preview.locator('[data-page="1"] canvas').evaluate(darkPixels)).toBeGreaterThan(1000);
    await expect(preview.locator('[data-page="1"]')).toContainText(/贷\s*后\s*管\s*理\s*卡/);
    await shot(page, 'import-05-preview-pdf');
    await preview.getByRole('button', { name: zh('documentsUi.close') }).click();
    await files.locator('tr[data-path$="/借据扫描件.jpg"]').getByRole('button', { name: zh('documentsUi.preview') }).click();
    await expect(preview).toHaveAttribute('data-mime', 'image/jpeg');
    await expect.poll(() => preview.locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(420);
    await shot(page, 'import-06-preview-scan');
    await preview.getByRole('button', { name: zh('documentsUi.close') }).click();
    await page.getByRole('button', { name: zh('importUi.back') }).click();
    const listed = page.getByTestId('imported-archives').locator('tbody tr');
    await expect(listed).toHaveCount(1);
    await expect(listed.first()).toContainText(INSTITUTION);
    await expect(listed.first()).toContainText('周红（档案管理员）');

    // In English nothing but data stays Chinese.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('button', { name: en('importUi.submit') })).toBeVisible();
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
    await expectNoChinese(page, [INSTITUTION, '周红（档案管理员）']);
    await shot(page, 'import-07-list-en');
    await page.getByText('中文', { exact: true }).click();

    // Importing added no live loans: the loan list still finds each exported loan exactly once.
    await liveLoans.click();
    await page.getByLabel(zh('loans.query'), { exact: true }).fill(a);
    await expect(page.getByRole('button', { name: a, exact: true })).toHaveCount(1);
    await logout(page);

    // 贷款移交: the supervisor moves one of officer1's loans to officer2 and gets the handover list.
    await login(page, 'supervisor1');
    await page.getByRole('button', { name: zh('nav.archive'), exact: true }).click();
    await expect(page.getByRole('tab', { name: zh('archiveUi.tabs.imported') })).toHaveCount(0);
    await page.getByRole('tab', { name: zh('archiveUi.tabs.handover') }).click();
    await expect(page.getByText(zh('handoverUi.chooseFrom'))).toBeVisible();
    await pickOption(page, zh('handoverUi.from'), '李明（信贷员）');
    const rows = page.getByTestId('handover-loans').locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    const moved = (await rows.first().getAttribute('data-contract'))!;
    await rows.first().getByRole('checkbox').check();
    await expect(page.getByTestId('handover-count')).toHaveText(zh('handoverUi.selected', { count: 1 }));
    await pickOption(page, zh('handoverUi.to'), '陈静（信贷员）');
    await page.getByLabel(zh('handoverUi.reason'), { exact: true }).fill('岗位调整，客户移交');
    await shot(page, 'handover-01-form');

    // The form in English.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('button', { name: en('handoverUi.submit', { count: 1 }) })).toBeVisible();
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
    const borrowers = await page.getByTestId('handover-loans').locator('tbody tr td:nth-child(3)').allInnerTexts();
    await expectNoChinese(page, [INSTITUTION, '王强（信贷主管）', '李明（信贷员）', '陈静（信贷员）', '岗位调整，客户移交', ...borrowers]);
    await shot(page, 'handover-02-form-en');
    await page.getByText('中文', { exact: true }).click();

    await page.getByRole('button', { name: zh('handoverUi.submit', { count: 1 }) }).click();
    const done = page.getByTestId('handover-done');
    await expect(done).toContainText(zh('handoverUi.doneText', { count: 1, from: '李明（信贷员）', to: '陈静（信贷员）' }));
    await expect(rows.filter({ has: page.locator(`[data-contract="${moved}"]`) })).toHaveCount(0);
    await expect(page.locator(`tr[data-contract="${moved}"]`)).toHaveCount(0);
    await shot(page, 'handover-03-done');
    const download = page.waitForEvent('download');
    await done.getByRole('button', { name: zh('handoverUi.download') }).click();
    const pdf = join(target, 'handover.pdf');
    await (await download).saveAs(pdf);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('移交清单');
    expect(text).toContain(moved);
    expect(text).toContain('移交人：李明（信贷员）');
    expect(text).toContain('接收人：陈静（信贷员）');
    expect(text).toContain('岗位调整，客户移交');

    // The loan is now officer2's.
    await pickOption(page, zh('handoverUi.from'), '陈静（信贷员）');
    await expect(page.locator(`tr[data-contract="${moved}"]`)).toHaveCount(1);
  } finally {
    await bridge.stop();
    rmSync(target, { recursive: true, force: true });
  }
});
