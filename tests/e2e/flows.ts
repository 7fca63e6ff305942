import { expect, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { startBridge, type RunningBridge } from './bridge';
import { tr } from './helpers';

/** The administrator's password; the demo staff get the same one. */
export const ADMIN_PW = 'Admin-pass-2026';
export const EXPORT_PW = 'Usb-Export-2026!';
export const INSTITUTION = '星河小额贷款有限公司';
const ADMIN_NAME = '王管理';
const zh = tr('zh-CN');

export interface FirstRunOptions {
  /** Borrowers for the demo portfolio (which also creates the demo staff); none: no demo. */
  demoBorrowers?: number;
  /** Sign the administrator out once the home page shows (default), ready for a demo employee. */
  logout?: boolean;
  /** How long creating the store (and the demo) may take. */
  timeout?: number;
  /** Runs on the last step, everything filled in, just before 完成. */
  beforeFinish?: () => Promise<void>;
}

/** The first-run wizard in Chinese: institution, administrator `admin`, recovery key confirmed stored. */
export async function firstRun(page: Page, opts: FirstRunOptions = {}): Promise<void> {
  const { demoBorrowers, logout: signOut = true, timeout = 60_000, beforeFinish } = opts;
  await page.getByLabel(zh('setup.institution'), { exact: true }).fill(INSTITUTION);
  await page.getByRole('button', { name: zh('setup.next') }).click();
  await page.getByLabel(zh('setup.adminUsername'), { exact: true }).fill('admin');
  await page.getByLabel(zh('setup.adminName'), { exact: true }).fill(ADMIN_NAME);
  await page.getByLabel(zh('setup.password'), { exact: true }).fill(ADMIN_PW);
  await page.getByLabel(zh('setup.passwordConfirm'), { exact: true }).fill(ADMIN_PW);
  await page.getByRole('button', { name: zh('setup.create') }).click();
  await expect(page.getByTestId('recovery-key')).toBeVisible();
  await page.getByLabel(zh('setup.confirmStored')).check();
  if (demoBorrowers !== undefined) {
    await page.getByLabel(zh('demo.generate')).check();
    await page.getByLabel(zh('demo.borrowers'), { exact: true }).fill(String(demoBorrowers));
  }
  await beforeFinish?.();
  await page.getByRole('button', { name: zh('setup.finish') }).click();
  await expect(page.getByText(zh('home.welcome', { name: ADMIN_NAME }))).toBeVisible({ timeout });
  if (signOut) await logout(page);
}

/** Stores made by the wizard with a demo portfolio, once per test process, by number of borrowers. */
const demoStores = new Map<number, string>();
process.once('exit', () => {
  for (const root of demoStores.values()) rmSync(root, { recursive: true, force: true });
});

/**
 * A bridge on a store with the demo portfolio of `borrowers` borrowers, its staff, and the administrator signed
 * out (the page shows the sign-in form). The first call in a test process makes the store through the wizard
 * (`firstRun`), exactly as the specs did each time; later calls start on a copy of it, which saves the demo's
 * generation (10–20 s) in every spec that starts from the same portfolio. The demo is dated today, so copies
 * made in one run agree with the dates the specs compute.
 */
export async function demoBridge(page: Page, borrowers = 30): Promise<RunningBridge> {
  let made = demoStores.get(borrowers);
  if (!made) {
    const first = await startBridge();
    await page.goto(first.url);
    await firstRun(page, { demoBorrowers: borrowers, timeout: 150_000 });
    await first.stop(true);
    made = first.root;
    demoStores.set(borrowers, made);
  }
  const bridge = await startBridge({ copyOf: made });
  await page.goto(bridge.url);
  await expect(page.getByLabel(zh('login.username'), { exact: true })).toBeVisible();
  return bridge;
}

export async function login(page: Page, username: string, password = ADMIN_PW): Promise<void> {
  await page.getByLabel(zh('login.username'), { exact: true }).fill(username);
  await page.getByLabel(zh('login.password'), { exact: true }).fill(password);
  await page.getByRole('button', { name: zh('login.submit') }).click();
  await expect(page.getByRole('button', { name: zh('app.logout') })).toBeVisible();
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: zh('app.logout') }).click();
  await expect(page.getByLabel(zh('login.username'), { exact: true })).toBeVisible();
}

/**
 * Everything the page should never do, collected for an `expect(problems).toEqual([])` at the end: console
 * errors (the page's and its workers'), uncaught exceptions, CSP violations, failed or refused requests, and
 * any request that leaves the bridge's origin.
 */
export async function watchProblems(page: Page, origin: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !/^(data|blob):/.test(url)) problems.push(`outside request: ${url}`);
  });
  await page.exposeFunction('__lkCspViolation', (v: string) => problems.push(`CSP: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __lkCspViolation(v: string): Promise<void> }).__lkCspViolation(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`);
    });
  });
  return problems;
}

/** How many of a canvas's pixels are dark: a page that was drawn has text on it. */
export function darkPixels(canvas: HTMLCanvasElement): number {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] < 384) n++;
  return n;
}

/** A real JPEG "scan", drawn by the browser. */
export async function scanJpeg(page: Page, text: string): Promise<Buffer> {
  const b64 = await page.evaluate((label) => {
    const c = document.createElement('canvas');
    c.width = 420;
    c.height = 594;
    const g = c.getContext('2d')!;
    g.fillStyle = '#fdfdf8';
    g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = '#222';
    g.font = '28px "Noto Sans CJK SC", sans-serif';
    g.fillText(label, 40, 80);
    for (let y = 130; y < 540; y += 28) g.fillRect(40, y, 340, 2);
    return c.toDataURL('image/jpeg', 0.8).split(',')[1];
  }, text);
  return Buffer.from(b64, 'base64');
}
