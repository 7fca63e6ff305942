import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { demoBridge, INSTITUTION, login, logout, scanJpeg } from './flows';
import { expectNoChinese, shot, tr } from './helpers';

const zh = tr('zh-CN');
const en = tr('en');

test('officer files a scan; archivist places, lends and returns the paper file, exports and verifies', async ({ page }) => {
  test.setTimeout(240_000); // a whole day's archive work; slow when the machine is busy
  const bridge = await demoBridge(page);
  const target = mkdtempSync(join(tmpdir(), 'lk-export-'));
  try {
    // The officer opens a loan whose file is incomplete, from 档案管理 → 档案缺失.
    await login(page, 'officer1');
    await page.getByRole('button', { name: zh('nav.archive'), exact: true }).click();
    await page.getByRole('tab', { name: zh('archiveUi.tabs.gaps') }).click();
    const gaps = page.getByTestId('gaps').locator('tbody tr');
    await expect(gaps.first()).toBeVisible();
    await shot(page, 'archive-01-officer-gaps');
    const contractNo = (await gaps.first().locator('td').first().innerText()).trim();
    const otherNo = (await gaps.nth(1).locator('td').first().innerText()).trim();
    await gaps.first().getByRole('button', { name: contractNo }).click();
    await expect(page.getByTestId('loan-contract-no')).toHaveText(contractNo);
    await expect(page.getByRole('tab', { name: zh('documentsUi.tab'), exact: true })).toHaveAttribute('aria-selected', 'true');
    const missing = page.getByTestId('checklist-missing');
    await expect(missing).toBeVisible();
    const before = Number(await missing.getAttribute('data-missing'));
    expect(before).toBeGreaterThan(0);

    // A scan of the first missing paper, picked as a file: nothing is filed until its type is chosen.
    await expect(page.getByTestId('doc-upload-hint')).toHaveText(zh('documentsUi.kinds', { mb: 50 }));
    const typeName = (await page.getByTestId('checklist').locator('tr[data-missing="true"]').first().locator('td').nth(1).innerText()).trim();
    await shot(page, 'archive-02-documents-before');
    await page.getByTestId('doc-file-input').setInputFiles({ name: '扫描件_001.jpg', mimeType: 'image/jpeg', buffer: await scanJpeg(page, `${typeName} 扫描件`) });
    const rowType = page.getByRole('combobox', { name: zh('documentsUi.typeFor', { name: '扫描件_001.jpg' }), exact: true });
    await expect(rowType).toHaveValue('');
    await page.getByTestId('doc-upload').click();
    await expect(page.getByTestId('doc-staged').getByText(zh('documentsUi.chooseType'), { exact: true })).toBeVisible();
    await expect(missing).toHaveAttribute('data-missing', String(before));
    await shot(page, 'archive-02b-type-required');
    await rowType.click();
    await page.getByRole('option', { name: typeName, exact: true }).click();
    await page.getByTestId('doc-upload').click();
    await expect(page.getByTestId('documents')).toContainText('扫描件_001.jpg');
    await expect(missing).toHaveAttribute('data-missing', String(before - 1));
    await shot(page, 'archive-03-documents-after');
    // An empty file and an iPhone photo are refused by name before anything is sent.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(40, 1)]);
    await page.getByTestId('doc-file-input').setInputFiles([
      { name: '空白.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) },
      { name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: heic },
      { name: '借款合同-第2页.jpg', mimeType: 'image/jpeg', buffer: await scanJpeg(page, '借款合同 第2页') },
    ]);
    const problems = page.getByTestId('doc-upload-problems');
    await expect(problems).toContainText(zh('errors.emptyFile', { name: '空白.pdf' }));
    await expect(problems).toContainText(zh('errors.heicNotAllowed', { name: 'IMG_0001.HEIC' }));
    // The third is staged with the type its name suggests, shown before anything is saved.
    await expect(page.getByTestId('doc-staged-row')).toHaveCount(1);
    await expect(page.getByRole('combobox', { name: zh('documentsUi.typeFor', { name: '借款合同-第2页.jpg' }), exact: true })).toHaveValue('借款合同');
    await expect(page.getByTestId('doc-suggested')).toHaveText(zh('documentsUi.suggested'));
    await shot(page, 'archive-03b-refused-and-suggested');
    await page.getByRole('button', { name: zh('documentsUi.cancelStaged'), exact: true }).click();
    await expect(page.getByTestId('doc-staged')).toHaveCount(0);
    await page.getByTestId('documents').locator('tbody tr').filter({ hasText: '扫描件_001.jpg' }).getByRole('button', { name: zh('documentsUi.preview') }).click();
    await expect(page.getByTestId('doc-preview').locator('img')).toBeVisible();
    await shot(page, 'archive-04-preview');
    await page.getByTestId('doc-preview').getByRole('button', { name: zh('documentsUi.close') }).click();
    await logout(page);

    // The archivist's 我的工作台 leads with the archive's own work: incomplete files, each opening its loan's documents.
    await login(page, 'archivist1');
    await expect(page.getByRole('heading', { name: zh('todayUi.title') })).toBeVisible();
    expect(Number(await page.getByTestId('today-count-archiveGaps').innerText())).toBeGreaterThan(0);
    await expect(page.getByText(zh('todayUi.nothing'))).toHaveCount(0);
    await shot(page, 'archive-04b-archivist-today');
    await page.getByTestId('today-archiveGaps').getByTestId('today-item-archive-gap').first().getByRole('button', { name: zh('todayUi.action.open') }).click();
    await expect(page.getByTestId('documents')).toBeVisible();

    // The archivist records where the paper file is kept.
    await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    await page.getByLabel(zh('loans.query'), { exact: true }).fill(contractNo);
    await page.getByRole('button', { name: contractNo }).click();
    await page.getByRole('tab', { name: zh('documentsUi.tab'), exact: true }).click();
    await expect(page.getByTestId('documents')).toContainText('扫描件_001.jpg');
    await page.getByRole('button', { name: zh('documentsUi.setLocation') }).click();
    const loc = page.getByRole('dialog');
    await loc.getByLabel(zh('documentsUi.room'), { exact: true }).fill('二号档案室');
    await loc.getByLabel(zh('documentsUi.cabinet'), { exact: true }).fill('B-03');
    await loc.getByLabel(zh('documentsUi.shelf'), { exact: true }).fill('2');
    await loc.getByLabel(zh('documentsUi.box'), { exact: true }).fill('2026-017');
    await loc.getByRole('button', { name: zh('portfolio.save') }).click();
    await expect(page.getByTestId('file-location')).toContainText('B-03');
    await expect(page.getByTestId('file-location')).toContainText('2026-017');
    await shot(page, 'archive-05-location');

    // 档案管理 → 借阅登记: lend the paper file, then take it back.
    await page.getByRole('button', { name: zh('nav.archive'), exact: true }).click();
    await expect(page.getByRole('heading', { name: zh('archiveUi.title') })).toBeVisible();
    await page.getByRole('button', { name: zh('archiveUi.lend') }).click();
    const lend = page.getByRole('dialog');
    await lend.getByLabel(zh('archiveUi.contractNo'), { exact: true }).fill(contractNo);
    await lend.getByLabel(zh('archiveUi.borrowerUser'), { exact: true }).fill('officer1');
    await lend.getByLabel(zh('archiveUi.purpose'), { exact: true }).fill('贷后检查核对原件');
    await shot(page, 'archive-06-lend-form');
    await lend.getByRole('button', { name: zh('archiveUi.lendSubmit'), exact: true }).click();
    const lendRow = page.getByTestId('lendings').locator(`tbody tr[data-contract="${contractNo}"]`);
    await expect(lendRow).toContainText(zh('archiveUi.lendingState.out'));
    // The confirmation names the person, as the list does, not the login name.
    await expect(page.locator('.mantine-Notification-root').filter({ hasText: zh('archiveUi.lent', { no: contractNo, user: '李明（信贷员）' }) })).toBeVisible();
    await shot(page, 'archive-07-lent');
    await lendRow.getByRole('button', { name: zh('archiveUi.returnFile') }).click();
    await expect(lendRow).toHaveCount(0);
    await page.getByText(zh('archiveUi.status.all'), { exact: true }).click();
    await expect(lendRow).toContainText(zh('archiveUi.lendingState.returned'));
    await shot(page, 'archive-08-returned');
    await page.getByRole('tab', { name: zh('archiveUi.tabs.docTypes') }).click();
    await expect(page.getByTestId('doc-types')).toContainText('借款合同');
    await shot(page, 'archive-09-doc-types');
    await page.getByRole('tab', { name: zh('archiveUi.tabs.destruction') }).click();
    await expect(page.getByRole('button', { name: zh('archiveUi.propose') })).toBeVisible();
    await shot(page, 'archive-10-destruction');

    // 档案导出: two loans by contract number into a folder. A typed password must have 12 characters; the
    // default is a generated one, shown once, printable as a slip, to be confirmed as noted.
    await page.getByRole('tab', { name: zh('archiveUi.tabs.export') }).click();
    await page.getByLabel(zh('archiveUi.contracts'), { exact: true }).fill(`${contractNo}\n${otherNo}`);
    await expect(page.getByTestId('export-count')).toHaveText(zh('archiveUi.selectedLoans', { count: 2 }));
    await page.getByLabel(zh('archiveUi.targetDir'), { exact: true }).fill(target);
    await page.getByRole('radio', { name: zh('archiveUi.passwordTyped') }).check();
    await page.getByLabel(zh('archiveUi.password'), { exact: true }).fill('Eleven-char');
    await page.getByRole('button', { name: zh('archiveUi.start') }).click();
    await expect(page.getByText(zh('validation.tooShort', { min: 12 }), { exact: true })).toBeVisible();
    await page.getByRole('radio', { name: zh('archiveUi.passwordGenerated') }).check();
    const shown = page.getByTestId('export-password');
    await expect(shown).toHaveText(/^([2-9A-HJ-NP-Z]{5}-){4}[2-9A-HJ-NP-Z]{5}$/);
    const first = (await shown.innerText()).trim();
    await page.getByRole('button', { name: zh('archiveUi.regenerate') }).click();
    await expect(shown).not.toHaveText(first);
    await expect(shown).toHaveText(/^([2-9A-HJ-NP-Z]{5}-){4}[2-9A-HJ-NP-Z]{5}$/);
    const password = (await shown.innerText()).trim();
    await page.getByRole('button', { name: zh('archiveUi.start') }).click();
    await expect(page.getByText(zh('archiveUi.notedRequired'), { exact: true })).toBeVisible();
    const [slip] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zh('archiveUi.saveSlip') }).click()]);
    expect(slip.suggestedFilename()).toBe(zh('slipPdf.fileName'));
    const slipText = execFileSync('pdftotext', ['-layout', await slip.path(), '-'], { encoding: 'utf8' });
    expect(slipText).toContain(password);
    expect(slipText).toContain(zh('slipPdf.notYet'));
    await page.getByLabel(zh('archiveUi.noted'), { exact: true }).check();
    await shot(page, 'archive-11-export-form');

    // The export form in English: nothing but data stays Chinese.
    await page.getByText('English', { exact: true }).click();
    await expect(page.getByRole('button', { name: en('archiveUi.start') })).toBeVisible();
    // Messages shown in Chinese are dropped with the switch.
    await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
    await expectNoChinese(page, [INSTITUTION, '周红（档案管理员）', target]);
    await shot(page, 'archive-12-export-form-en');
    await page.getByText('中文', { exact: true }).click();
    await expect(page.getByRole('button', { name: zh('archiveUi.start') })).toBeVisible();

    await page.getByRole('button', { name: zh('archiveUi.start') }).click();
    const job = page.getByTestId('export-job');
    await expect(job.getByRole('progressbar')).toBeVisible();
    await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    const file = (await page.getByTestId('export-file').innerText()).trim();
    expect(file.startsWith(target)).toBe(true);
    expect(existsSync(file)).toBe(true);
    const fingerprint = (await page.getByTestId('export-fingerprint').innerText()).trim();
    expect(fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    await shot(page, 'archive-13-exported');
    // 7-Zip opens it with the generated password and finds every entry intact; without it, two names only.
    expect(execFileSync('7z', ['t', `-p${password}`, file], { encoding: 'utf8' })).toContain('Everything is Ok');
    const listing = execFileSync('7z', ['l', '-slt', file], { encoding: 'utf8' });
    expect([...listing.matchAll(/^Path = (.*)$/gm)].map((m) => m[1]).slice(1)).toEqual(['README.txt', '档案.zip']);
    // The slip printed after the export names the package and its fingerprint.
    const [slip2] = await Promise.all([page.waitForEvent('download'), job.getByRole('button', { name: zh('archiveUi.saveSlip') }).click()]);
    const slip2Text = execFileSync('pdftotext', ['-layout', await slip2.path(), '-'], { encoding: 'utf8' });
    expect(slip2Text).toContain(password);
    expect(slip2Text).toContain(fingerprint);
    expect(slip2Text).toContain(file.split('/').pop()!);

    // 核验导出包 in the app: a wrong password first, then the right one.
    await page.getByRole('button', { name: zh('archiveUi.verifyThis') }).click();
    await expect(page.getByLabel(zh('archiveUi.verifyFile'), { exact: true })).toHaveValue(file);
    await page.getByLabel(zh('archiveUi.verifyPassword'), { exact: true }).fill('Wrong-pass-1');
    await page.getByRole('button', { name: zh('archiveUi.verifyStart') }).click();
    await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'false');
    await expect(page.getByTestId('verify-result')).toContainText(zh('errors.verifyWrongPassword'));
    await page.getByLabel(zh('archiveUi.verifyPassword'), { exact: true }).fill(password);
    await page.getByRole('button', { name: zh('archiveUi.verifyStart') }).click();
    const report = page.getByTestId('verify-result');
    await expect(report).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('verify-loans')).toHaveText('2');
    await expect(page.getByTestId('verify-fingerprint')).toHaveText(fingerprint);
    await expect(report).toContainText(INSTITUTION);
    await expect(report).toContainText(contractNo);
    await expect(report).toContainText(otherNo);
    await shot(page, 'archive-14-verified');
  } finally {
    await bridge.stop();
    rmSync(target, { recursive: true, force: true });
  }
});
