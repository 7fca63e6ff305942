import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import { AppContext } from '../kernel/context';
import { generateDemoPortfolio } from '../features/demo/demo';
import { prepareNotices } from '../features/collections/notices';
import { confirmRecoveryKey, createInstitution } from '../features/app/setup';
import { resourcesDir } from '../nodePaths';

/** pdfkit with the same font and the same words, one page a notice: the floor under pdfmake's cost. */
function rawPdf(texts: string[]): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const doc = new PDFDocument({ size: 'A4', margin: 48, autoFirstPage: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => ok(Buffer.concat(chunks)));
    doc.on('error', fail);
    doc.registerFont('serif', join(resourcesDir(), 'fonts', 'NotoSerifCJK-Regular.ttc'), 'NotoSerifCJKsc-Regular');
    for (const t of texts) {
      doc.addPage();
      doc.font('serif').fontSize(10.5).text(t, { lineGap: 6 });
    }
    doc.end();
  });
}

/** 1,000 overdue notices into one PDF, against raw pdfkit drawing the same text in the same font. */
export async function benchNotices(count: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'lk-bench-notices-'));
  const ctx = new AppContext({ configDir: join(root, 'config'), defaultDataDir: join(root, 'data'), resourcesDir: resourcesDir() });
  try {
    await createInstitution(ctx, { institution: '基准测试小额贷款有限公司', branch: '营业部', dataDir: join(root, 'data'), adminUsername: 'admin', adminName: '管理员', password: 'Bench-pass-2026', locale: 'zh-CN' });
    await confirmRecoveryKey(ctx);
    await generateDemoPortfolio(ctx, { borrowers: Math.ceil(count * 4.5), staffPassword: 'Bench-pass-2026' });
    ctx.session!.roles = ['admin', 'supervisor'];
    const ids = (
      await ctx
        .store!.db.selectFrom('loans as l')
        .innerJoin('loan_status as s', 's.loan_id', 'l.id')
        .select('l.id')
        .where('s.dpd', '>', 0)
        .where('l.status', '=', 'active')
        .orderBy('l.id')
        .limit(count)
        .execute()
    ).map((r) => r.id);
    let t = performance.now();
    const batch = await prepareNotices(ctx, { items: ids.map((loanId) => ({ loanId, docType: 'overdue-notice' })), asOf: null, payBy: null });
    const ours = performance.now() - t;
    const pdf = Buffer.from(batch.base64 ?? '', 'base64');
    // The baseline draws exactly our words: the text of each of our pages, as pdftotext reads it back.
    const pdfFile = join(root, 'ours.pdf');
    writeFileSync(pdfFile, pdf);
    const texts = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\f').filter((p) => p.trim());
    t = performance.now();
    const raw = await rawPdf(texts);
    const base = performance.now() - t;
    console.log(`notices: ${batch.notices.length} overdue notices in one PDF (${(pdf.length / 1048576).toFixed(1)} MB), ${batch.skipped.length} skipped`);
    console.log(`  ours (amounts, QR receipts, serials recorded): ${(ours / 1000).toFixed(2)} s (target ≤ 15 s) ${ours <= 15_000 ? 'OK' : 'OVER TARGET'}`);
    console.log(`  baseline raw pdfkit, same text and font: ${(base / 1000).toFixed(2)} s (${(raw.length / 1048576).toFixed(1)} MB)`);
    console.log(`  ratio ours/pdfkit = ${(ours / base).toFixed(2)} (target ≤ 2) ${ours / base <= 2 ? 'OK' : 'OVER TARGET'}`);
  } finally {
    ctx.close();
    rmSync(root, { recursive: true, force: true });
  }
}
