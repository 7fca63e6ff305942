import { test as base, expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DesktopApp, type LaunchOptions } from './harness/desktop';

export const SCREENS = 'test-results/desktop-screens';
mkdirSync(SCREENS, { recursive: true });

type Launch = (o?: Partial<Omit<LaunchOptions, 'browser'>>) => Promise<DesktopApp>;

/**
 * `launch()` starts the built app through the harness in a fresh home folder (or the given one). Every app
 * launched is closed after the test, and the test fails if any of them called an API the stand-in lacks,
 * crashed, failed its preload, or logged a console error or a CSP violation in a window.
 */
export const test = base.extend<{ home: string; launch: Launch }>({
  // Playwright reads a fixture's dependencies from its first parameter: this one has none.
  // oxlint-disable-next-line no-empty-pattern
  home: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-desktop-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  launch: async ({ browser, home }, use) => {
    const apps: DesktopApp[] = [];
    await use(async (o = {}) => {
      const app = await DesktopApp.launch({ browser, home, userData: join(home, 'AppData', 'LoanKeeper'), ...o });
      apps.push(app);
      return app;
    });
    for (const app of apps) await app.close();
    for (const app of apps) expect(app.problems(), app.log).toEqual([]);
  },
});

export { expect };

export async function shot(page: import('@playwright/test').Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS, `${name}.png`) });
}
