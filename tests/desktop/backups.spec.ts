import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PW, firstRun } from '../e2e/flows';
import { tr } from '../e2e/helpers';
import { expect, shot, test } from './fixtures';

const zh = tr('zh-CN');

/**
 * The built app: the administrator backs up to a folder and sets the automatic backup folder; closing the
 * window makes the last automatic backup before the app exits (main's before-quit waits for it), and that
 * backup verifies with the command line against the same data folder.
 */
test('back up now, then the automatic backup made when the app closes', async ({ launch, home }) => {
  test.setTimeout(240_000);
  const usb = join(home, 'usb');
  const auto = join(home, 'auto');
  mkdirSync(usb);
  mkdirSync(auto);
  const app = await launch();
  const page = await app.mainPage();
  await firstRun(page, { logout: false });

  await page.getByTestId('backup-status').getByRole('button', { name: zh('backups.status.open') }).click();
  await page.getByLabel(zh('backups.now.folder'), { exact: true }).fill(usb);
  await page.getByRole('button', { name: zh('backups.now.submit') }).click();
  await expect(page.getByTestId('backup-result')).toHaveAttribute('data-status', 'verified', { timeout: 60_000 });
  expect(readdirSync(usb).filter((n) => n.endsWith('.lkbackup'))).toHaveLength(1);

  // A change after that backup (the automatic folder itself), so closing the app has something to keep.
  await page.getByLabel(zh('backups.auto.folder'), { exact: true }).fill(auto);
  await page.getByRole('button', { name: zh('backups.auto.save') }).click();
  await expect(page.getByText(zh('backups.auto.saved'))).toBeVisible();
  await shot(page, 'desktop-backups');
  expect(readdirSync(auto)).toEqual([]);

  await app.close();
  const made = readdirSync(auto).filter((n) => n.endsWith('.lkbackup'));
  expect(made).toHaveLength(1);
  expect(made[0]).toMatch(/^LoanKeeper-auto-\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.lkbackup$/);
  expect(readdirSync(auto)).toContain(`${made[0]}.recovery.json`);

  // Read back by the command line with the same data folder's key: the copy is whole and matches its records.
  const pw = join(home, 'pw.txt');
  writeFileSync(pw, `${ADMIN_PW}\n`);
  const out = execFileSync(process.execPath, ['out/cli/cli.mjs', 'verify-backup', '--file', join(auto, made[0]), '--data-dir', join(home, 'AppData', 'LoanKeeper', 'data'), '--user', 'admin', '--password-file', pw], { encoding: 'utf8' });
  expect(out).toContain('核验通过：可以用于恢复。OK');
});
