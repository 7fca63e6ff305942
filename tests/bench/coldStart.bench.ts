import { chromium, test, type Browser } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { firstRun } from '../e2e/flows';
import { tr } from '../e2e/helpers';
import { DesktopApp } from '../desktop/harness/desktop';

// Cold start (npm run bench): from starting the browser and the built main process to the sign-in page
// visible through the desktop harness, against a bare Chromium opening a static page of the same size,
// alternating rounds in the same run. Target: ≤ 2 s absolute on this machine.
const zh = tr('zh-CN');
const ROUNDS = Number(process.env.LK_BENCH_COLD_ROUNDS ?? 5);

function rendererBytes(dir = 'out/renderer'): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? rendererBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('cold start to the sign-in page', async () => {
  test.setTimeout(600_000);
  const launchOptions = (test.info().project.use.launchOptions ?? {}) as Parameters<typeof chromium.launch>[0];
  const home = mkdtempSync(join(tmpdir(), 'lk-cold-'));
  const userData = join(home, 'AppData', 'LoanKeeper');
  // A store to sign in to.
  {
    const browser = await chromium.launch(launchOptions);
    const app = await DesktopApp.launch({ browser, home, userData });
    await firstRun(await app.mainPage());
    await app.close();
    await browser.close();
  }
  // The baseline page: one HTML file as large as the renderer bundle, which shows its text at the end.
  const size = rendererBytes();
  const html = `<!doctype html><html><body><!--${'x'.repeat(size)}--><label>用户名</label></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;

  const app: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = performance.now();
    let browser: Browser = await chromium.launch(launchOptions);
    const a = await DesktopApp.launch({ browser, home, userData });
    const page = await a.mainPage();
    await page.getByLabel(zh('login.username'), { exact: true }).waitFor({ state: 'visible' });
    app.push(performance.now() - t0);
    await a.close();
    await browser.close();

    t0 = performance.now();
    browser = await chromium.launch(launchOptions);
    const p = await (await browser.newContext()).newPage();
    await p.goto(url);
    await p.getByText('用户名').waitFor({ state: 'visible' });
    bare.push(performance.now() - t0);
    await browser.close();
  }
  server.close();
  rmSync(home, { recursive: true, force: true });
  const fmt = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(' ');
  console.log(`cold start, ${ROUNDS} rounds (renderer ${(size / 1e6).toFixed(1)} MB)`);
  console.log(`  app to sign-in page:   ${fmt(app)} s, median ${(median(app) / 1000).toFixed(2)} s (target ≤ 2 s)`);
  console.log(`  bare Chromium, static: ${fmt(bare)} s, median ${(median(bare) / 1000).toFixed(2)} s`);
  console.log(`  ratio app ÷ bare: ${(median(app) / median(bare)).toFixed(2)}`);
});
