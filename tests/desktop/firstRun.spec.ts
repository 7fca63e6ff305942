import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstRun, login, ADMIN_PW } from '../e2e/flows';
import { tr } from '../e2e/helpers';
import { expect, shot, test } from './fixtures';

const zh = tr('zh-CN');

test('first run in the built app: wizard, recovery key, sign-in, from app://', async ({ launch, home }) => {
  const app = await launch();
  const page = await app.mainPage();
  const win = app.mainWindow()!;
  expect(win.url).toBe('app://bundle/index.html');
  expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
  await expect(page.getByLabel(zh('setup.institution'), { exact: true })).toBeVisible();
  await expect.poll(() => win.visible).toBe(true);
  await shot(page, 'first-run-wizard');
  await firstRun(page);
  await shot(page, 'first-run-login');
  await login(page, 'admin', ADMIN_PW);
  await shot(page, 'first-run-home');
  expect(existsSync(join(home, 'AppData', 'LoanKeeper', 'data', 'keyring.json'))).toBe(true);
  expect(readFileSync(join(home, 'AppData', 'LoanKeeper', 'data', 'loankeeper.db')).subarray(0, 16).toString('latin1')).not.toContain('SQLite format');
});
