import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PW, firstRun, login } from '../e2e/flows';
import { expectNoChinese, tr } from '../e2e/helpers';
import { expect, shot, test } from './fixtures';

const zh = tr('zh-CN');
const en = tr('en');

test('a data folder on a removed drive: a clear page, nothing created, and the folder picked where the data is now', async ({ launch, home }) => {
  const first = await launch();
  await firstRun(await first.mainPage());
  await first.close();
  const dataDir = join(home, 'AppData', 'LoanKeeper', 'data');
  const moved = join(home, 'E', 'LoanKeeper');
  mkdirSync(join(home, 'E'));
  renameSync(dataDir, moved);

  const app = await launch();
  const page = await app.mainPage();
  const problem = page.getByTestId('data-problem');
  await expect(problem).toHaveAttribute('data-kind', 'missing');
  await expect(problem).toContainText(dataDir);
  await shot(page, 'data-folder-missing-zh');
  // English, every word.
  await page.getByText('English', { exact: true }).click();
  await expect(page.getByText(en('dataProblem.missing.title'))).toBeVisible();
  await expectNoChinese(page);
  await shot(page, 'data-folder-missing-en');
  await page.getByText('中文', { exact: true }).click();

  // The system folder dialog, through main.
  app.dialogAnswers.push({ api: 'showOpenDialog', answer: { canceled: false, filePaths: [moved] } });
  await page.getByRole('button', { name: zh('pathField.pickFolder') }).click();
  await expect(page.getByLabel(zh('dataProblem.other'))).toHaveValue(moved);
  expect(app.dialogs.at(-1)).toMatchObject({ api: 'showOpenDialog', options: { title: zh('dataProblem.other'), properties: ['openDirectory', 'createDirectory'] } });
  await page.getByRole('button', { name: zh('dataProblem.useOther') }).click();
  await login(page, 'admin', ADMIN_PW);
  expect(() => execFileSync('test', ['-e', dataDir])).toThrow();
});

test('a read-only data folder is named as such, and opens once it is writable again', async ({ launch, home }) => {
  const mnt = join(home, 'usb');
  mkdirSync(mnt);
  // A write-protected stick: a read-only file system (root ignores file modes, so modes cannot test this).
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    test.skip(true, 'mounting a file system needs root');
  }
  try {
    const dataDir = join(mnt, 'data');
    const first = await launch();
    const page0 = await first.mainPage();
    await page0.getByLabel(zh('setup.dataDir'), { exact: true }).fill(dataDir);
    await firstRun(page0);
    await first.close();
    execFileSync('mount', ['-o', 'remount,ro', mnt]);

    const app = await launch();
    const page = await app.mainPage();
    await expect(page.getByTestId('data-problem')).toHaveAttribute('data-kind', 'read-only');
    await shot(page, 'data-folder-read-only');
    execFileSync('mount', ['-o', 'remount,rw', mnt]);
    await page.getByRole('button', { name: zh('dataProblem.retry') }).click();
    await login(page, 'admin', ADMIN_PW);
    await app.close();
  } finally {
    execFileSync('umount', ['-l', mnt], { stdio: 'ignore' });
  }
});
