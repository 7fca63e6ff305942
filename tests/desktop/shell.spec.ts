import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS } from '../../src/shared/ipc/channels';
import { ADMIN_PW, firstRun, login } from '../e2e/flows';
import { tr } from '../e2e/helpers';
import { expect, shot, test } from './fixtures';

const zh = tr('zh-CN');

test('the built preload requires nothing but electron', () => {
  const src = readFileSync('out/preload/preload.js', 'utf8');
  const required = [...src.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
  expect(required).toEqual(['electron']);
  expect(src).not.toMatch(/\brequire\(\s*[^"'`\s]/); // no computed require either
  // The allow-list written in at build time is exactly the contract's channels.
  const list = /new Set\(\[([^\]]*)\]\)/.exec(src)?.[1] ?? '';
  expect([...list.matchAll(/"([^"]+)"/g)].map((m) => m[1])).toEqual([...CHANNELS]);
});

test('the page gets window.api and nothing else; channels outside the contract never reach main', async ({ launch }) => {
  const app = await launch();
  const page = await app.mainPage();
  await expect(page.getByLabel(zh('setup.institution'), { exact: true })).toBeVisible();
  expect(await page.evaluate(() => Object.keys((window as unknown as { api: object }).api))).toEqual(['invoke']);
  expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (window as unknown as { __lkHarnessIpc?: unknown }).__lkHarnessIpc)).toBe('undefined');
  expect(await page.evaluate(() => (window as any).api.invoke('app.info', {}).then((r: any) => r.value.stage))).toBe('setup');
  const err = await page.evaluate(() => (window as any).api.invoke('fs.readFile', { path: '/etc/passwd' }).then(() => 'reached', (e: Error) => e.message));
  expect(err).toBe('unknown channel fs.readFile');
});

test('window, session and protocol: sandboxed, no permissions, CSP as a header, nothing outside the bundle', async ({ launch }) => {
  const app = await launch();
  await app.mainPage();
  const win = app.mainWindow()!;
  expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false, devTools: true });
  expect(win.options.webPreferences?.preload).toBe(join(process.cwd(), 'out/preload/preload.js'));
  expect(await app.permission('geolocation', false)).toEqual({ granted: false });
  expect(await app.permission('media', true)).toEqual({ granted: false });
  const index = await app.ask<{ status: number; headers: Record<string, string> }>('protocol', { url: 'app://bundle/index.html', method: 'GET', headers: {} });
  expect(index.status).toBe(200);
  expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  for (const url of ['app://bundle/../package.json', 'app://bundle/%2e%2e/%2e%2e/package.json', 'app://other/index.html', 'app://print/unknown.pdf']) {
    expect((await app.ask<{ status: number }>('protocol', { url, method: 'GET', headers: {} })).status, url).toBe(404);
  }
  // The Chinese menu with its standard roles.
  expect(JSON.stringify(app.menu)).toContain('文件(&F)');
  // A call from any page but ours is refused by main's frame check.
  const foreign = await app.ask('invoke', { channel: 'app.info', input: {}, senderUrl: 'https://evil.example/index.html', winId: win.id });
  expect(foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test('navigating away or opening a window to an outside URL is blocked and logged', async ({ launch }) => {
  const app = await launch();
  const page = await app.mainPage();
  await expect(page.getByLabel(zh('setup.institution'), { exact: true })).toBeVisible();
  await page.evaluate(() => window.open('https://example.com/phish', '_blank'));
  await expect.poll(() => app.windowOpens).toEqual([{ url: 'https://example.com/phish', action: 'deny' }]);
  await page.evaluate(() => {
    location.href = 'https://example.com/elsewhere';
  });
  await expect.poll(() => app.navigations).toEqual([{ url: 'https://example.com/elsewhere', prevented: true }]);
  await expect.poll(() => app.log).toContain('[shell] blocked navigation to https://example.com/elsewhere');
  expect(app.log).toContain('[shell] blocked a new window to https://example.com/phish');
  // Still our page, still working.
  expect(app.toApp(page.url())).toBe('app://bundle/index.html');
  await expect(page.getByLabel(zh('setup.institution'), { exact: true })).toBeVisible();
});

test('a second copy brings the first window to the front and exits', async ({ launch, home }) => {
  const first = await launch();
  await first.mainPage();
  const before = first.mainWindow()!.focused;
  const second = await launch();
  expect(await second.waitForExit()).toBe(0);
  expect(second.windows.size).toBe(0);
  await expect.poll(() => first.mainWindow()!.focused).toBeGreaterThan(before);
  expect(first.exitCode).toBeNull();
  void home;
});

test('packaged: the dev server variable is ignored and DevTools are off', async ({ launch }) => {
  const app = await launch({ isPackaged: true, extraEnv: { ELECTRON_RENDERER_URL: 'http://127.0.0.1:9/' } });
  await app.mainPage();
  expect(app.mainWindow()!.url).toBe('app://bundle/index.html');
  expect(app.mainWindow()!.options.webPreferences?.devTools).toBe(false);
});

test('the lock screen after fifteen idle minutes, unlocked with the password', async ({ launch }) => {
  const app = await launch({ onPage: (page) => page.clock.install() });
  const page = await app.mainPage();
  await firstRun(page);
  await login(page, 'admin', ADMIN_PW);
  await page.clock.fastForward('16:00');
  await expect(page.getByText(zh('lock.title')).first()).toBeVisible();
  await shot(page, 'idle-locked');
  await page.getByLabel(zh('login.password'), { exact: true }).fill(ADMIN_PW);
  await page.getByRole('button', { name: zh('lock.submit') }).click();
  await expect(page.getByRole('button', { name: zh('app.lock') })).toBeVisible();
});
