import { ADMIN_PW, firstRun } from '../e2e/flows';
import { tr } from '../e2e/helpers';
import { expect, test } from './fixtures';

const zh = tr('zh-CN');

type Status = {
  running: boolean;
  statusesAsOf: string | null;
  today: string;
  progress: { phase: string; done: number; total: number } | null;
  lastRun: { asOf: string; loans: number; thread: string } | null;
  error: unknown;
};

test('the built app runs the daily batch on a worker thread: main answers meanwhile, progress then done', async ({ launch }) => {
  test.setTimeout(300_000);
  const app = await launch();
  const page = await app.mainPage();
  await firstRun(page, { demoBorrowers: 2500, timeout: 240_000 });
  // The risk manager may run the batch by hand (batch.run).
  await page.getByLabel(zh('login.username'), { exact: true }).fill('risk1');
  await page.getByLabel(zh('login.password'), { exact: true }).fill(ADMIN_PW);
  await page.getByRole('button', { name: zh('login.submit') }).click();
  await expect(page.getByRole('button', { name: zh('app.logout') })).toBeVisible({ timeout: 60_000 });

  const before = (await page.evaluate(async () => (await (window as any).api.invoke('batch.status', {})).value)) as Status;
  const asOf = new Date(Date.parse(`${before.today}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
  // A run as of three days on (every overdue loan's DPD moves), not awaited here.
  await page.evaluate((d) => void ((window as any).__run = (window as any).api.invoke('batch.run', { asOf: d })), asOf);

  // While it runs, main answers a read at once, and the status shows the chunks stored so far.
  const seen: Status[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < 400; i++) {
    const { ms, s } = await page.evaluate(async () => {
      const t = performance.now();
      const r = await (window as any).api.invoke('batch.status', {});
      return { ms: performance.now() - t, s: r.value };
    });
    if (!s.running) break;
    seen.push(s);
    latencies.push(ms);
  }
  const r = await page.evaluate(async () => await (window as any).__run);
  expect(r.ok, JSON.stringify(r)).toBe(true);
  expect(r.value.loans).toBeGreaterThan(2000);

  const during = seen.filter((s) => s.progress?.phase === 'statuses');
  expect(during.length).toBeGreaterThan(1);
  expect(during.at(-1)!.progress!.total).toBe(r.value.loans);
  expect(new Set(during.map((s) => s.progress!.done)).size).toBeGreaterThan(1);
  const sorted = [...latencies].sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(250);

  const after = (await page.evaluate(async () => (await (window as any).api.invoke('batch.status', {})).value)) as Status;
  expect(after).toMatchObject({ running: false, progress: null, error: null, statusesAsOf: asOf, lastRun: { asOf, thread: 'worker', loans: r.value.loans } });
  // The statuses were stored as of that day.
  const list = await page.evaluate(async () => {
    const q = { query: '', officer: null, bucket: null, level: null, status: 'active', overdueOnly: true, sort: 'dpd', direction: 'desc', limit: 1, offset: 0 };
    return (await (window as any).api.invoke('loans.list', q)).value;
  });
  expect(list.asOf).toBe(asOf);
  expect(list.rows.length).toBe(1);
  expect(list.rows[0].dpd).toBeGreaterThan(3);
});
