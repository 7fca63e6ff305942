import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstRun, login } from '../e2e/flows';
import { expect, test } from './fixtures';

const pdfText = (pdf: Buffer) => {
  const f = join(mkdtempSync(join(tmpdir(), 'lk-print-')), 'printed.pdf');
  writeFileSync(f, pdf);
  return { text: execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }), info: execFileSync('pdfinfo', [f], { encoding: 'utf8' }), fonts: execFileSync('pdffonts', [f], { encoding: 'utf8' }) };
};

test("main's print path: a batch is one job from a hidden window with the PDF viewer on; the dialog's answer comes back", async ({ launch, home }) => {
  test.setTimeout(180_000);
  const app = await launch();
  const page = await app.mainPage();
  await firstRun(page, { demoBorrowers: 20, timeout: 120_000 });
  await login(page, 'officer1');
  // Two post-loan cards, as the renderer receives them from main.
  const { contracts, cards } = await page.evaluate(async () => {
    const api = (window as any).api;
    const list = await api.invoke('loans.list', { query: '', officer: null, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc', limit: 2, offset: 0 });
    const rows = list.value.rows as { id: number; contractNo: string }[];
    const out: string[] = [];
    for (const r of rows) out.push((await api.invoke('loans.cardPdf', { loanId: r.id })).value.base64);
    return { contracts: rows.map((r) => r.contractNo), cards: out };
  });
  expect(cards).toHaveLength(2);
  const print = (parts: string[]) => page.evaluate((p) => (window as any).api.invoke('shell.printPdf', { title: '贷后管理卡', parts: p }), parts);

  app.onPrint = () => ({ success: true });
  expect(await print(cards)).toEqual({ ok: true, value: { available: true, outcome: 'printed', message: null } });
  expect(app.prints).toHaveLength(1);
  const [call] = app.prints;
  expect(call.plugins).toBe(true);
  expect(call.options).toMatchObject({ silent: false });
  const printed = pdfText(call.pdf!);
  for (const no of contracts) expect(printed.text).toContain(no);
  const pages = (b64: string) => Number(/Pages:\s+(\d+)/.exec(pdfText(Buffer.from(b64, 'base64')).info)![1]);
  expect(Number(/Pages:\s+(\d+)/.exec(printed.info)![1])).toBe(pages(cards[0]) + pages(cards[1]));
  expect(printed.fonts).toMatch(/Noto/);
  expect(printed.fonts.split('\n').slice(2).filter((l) => l.trim() && !/\byes\b.*\byes\b/.test(l))).toEqual([]);
  // The print window is gone, and so is its PDF.
  await expect.poll(() => app.windows.size).toBe(1);
  expect(call.url).toMatch(/^app:\/\/print\/[0-9a-f-]{36}\.pdf$/);
  expect((await app.ask<{ status: number }>('protocol', { url: call.url, method: 'GET', headers: {} })).status).toBe(404);

  app.onPrint = () => ({ success: false, failureReason: 'cancelled' });
  expect(await print([cards[0]])).toMatchObject({ ok: true, value: { outcome: 'cancelled' } });
  app.onPrint = () => ({ success: false, failureReason: 'Invalid printer settings' });
  const failed = await print([cards[0]]);
  expect(failed).toMatchObject({ ok: true, value: { outcome: 'failed' } });
  expect(failed.value.message).toContain('打印失败');
  expect(failed.value.message).toContain('Invalid printer settings');
  // Not a PDF: refused before any window opens.
  const bad = await print([Buffer.from('<html>not a pdf</html>').toString('base64')]);
  expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  expect(app.prints).toHaveLength(3);

  // The fallback: saved to a temporary file and handed to the system's PDF reader; gone when the app quits.
  const opened = await page.evaluate((p) => (window as any).api.invoke('shell.openPdf', { title: '贷后管理卡', parts: p }), cards);
  expect(opened).toMatchObject({ ok: true, value: { available: true } });
  const path = opened.value.path as string;
  expect(path.startsWith(join(home, 'Temp', 'LoanKeeper-print'))).toBe(true);
  expect(app.shellCalls).toContainEqual({ api: 'openPath', arg: path });
  expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await app.close();
  expect(existsSync(path)).toBe(false);
});
