import { defineConfig } from '@playwright/test';
import { resolve } from 'node:path';

// Debian's Chromium drives the built renderer: through the loopback test bridge (e2e) and through the
// desktop harness, which runs the built main bundle with a stand-in electron (desktop). DESIGN.md §4.
export default defineConfig({
  projects: [
    { name: 'e2e', testDir: 'tests/e2e' },
    { name: 'desktop', testDir: 'tests/desktop' },
    // Speed figures for `npm run bench`, never part of the tests.
    ...(process.env.LK_BENCH ? [{ name: 'bench', testDir: 'tests/bench', testMatch: '*.bench.ts' }] : []),
  ],
  outputDir: 'test-results/e2e',
  workers: 1,
  // On CI a test that fails once is run again and reported as flaky by name (scripts/test-all.mjs), never hidden.
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.LK_PLAYWRIGHT_JSON ? [['list'], ['json', { outputFile: process.env.LK_PLAYWRIGHT_JSON }]] : [['list']],
  use: {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1360, height: 860 },
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: true },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.LK_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      env: { ...process.env, FONTCONFIG_FILE: resolve('resources/fonts/fonts.conf') } as Record<string, string>,
    },
  },
});
