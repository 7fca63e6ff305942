import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstRun, login } from '../e2e/flows';
import { expect, test } from './fixtures';

// The built app renders an export's cards and ledgers on its PDF worker thread (out/main/pdfWorker.js): the
// package made here must hold them, whole and readable, next to the documents.
test('the built app exports loans with their post-loan cards and ledgers rendered on the PDF worker', async ({ launch }) => {
  test.setTimeout(300_000);
  const app = await launch();
  const page = await app.mainPage();
  await firstRun(page, { demoBorrowers: 40, timeout: 180_000 });
  await login(page, 'archivist1');
  const loans = await page.evaluate(async () => {
    const q = { query: '', officer: null, bucket: null, level: null, status: 'active', overdueOnly: false, sort: 'contractNo', direction: 'asc', limit: 3, offset: 0 };
    return ((await (window as any).api.invoke('loans.list', q)).value.rows as { id: number; contractNo: string }[]).map((r) => ({ id: r.id, contractNo: r.contractNo }));
  });
  expect(loans).toHaveLength(3);
  const dir = mkdtempSync(join(tmpdir(), 'lk-desktop-export-'));
  const password = 'Desktop-export-2026';
  const started = await page.evaluate(async (input) => (window as any).api.invoke('archive.export', input), { loanIds: loans.map((l) => l.id), targetDir: dir, password });
  expect(started.ok, JSON.stringify(started)).toBe(true);
  let job = started.value;
  for (let i = 0; i < 600 && job.state === 'running'; i++) {
    await page.waitForTimeout(200);
    job = (await page.evaluate(async (jobId) => (window as any).api.invoke('archive.exportStatus', { jobId }), job.id)).value;
  }
  expect(job, JSON.stringify(job)).toMatchObject({ state: 'done', error: null });

  // Opened as an auditor would: 7-Zip with the password, then the inner archive.
  const outer = join(dir, 'outer');
  const inner = join(dir, 'inner');
  execFileSync('7z', ['x', `-p${password}`, `-o${outer}`, job.file], { stdio: 'pipe' });
  execFileSync('7z', ['x', `-o${inner}`, join(outer, '档案.zip')], { stdio: 'pipe' });
  for (const loan of loans) {
    const folder = readdirSync(inner).find((f) => f.startsWith(`${loan.contractNo}_`));
    expect(folder, `a folder for ${loan.contractNo}`).toBeTruthy();
    const files = readdirSync(join(inner, folder!));
    for (const [prefix, title] of [
      ['贷后管理卡_', '贷后管理卡'],
      ['贷款台账_', '贷款台账'],
    ]) {
      const pdf = files.find((f) => f.startsWith(prefix) && f.endsWith('.pdf'));
      expect(pdf, `${prefix} in ${folder}`).toBeTruthy();
      const path = join(inner, folder!, pdf!);
      const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      expect(text).toContain(title);
      expect(text).toContain(loan.contractNo);
      // Every face embedded (a subset), so the file reads the same on a PC without these fonts.
      const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(fonts.length).toBeGreaterThan(0);
      for (const line of fonts) expect(line).toMatch(/\byes\s+yes\b/);
    }
  }
});
