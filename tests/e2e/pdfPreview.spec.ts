import { expect, test, type Page } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startBridge } from './bridge';
import { darkPixels, firstRun, login, logout, watchProblems } from './flows';
import { shot, tr } from './helpers';

const zh = tr('zh-CN');

/** A long PDF in standard fonts that are not embedded; for ZapfDingbats pdf.js needs its bundled font data. */
async function longPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const dingbats = await doc.embedFont(StandardFonts.ZapfDingbats);
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Page ${i} of ${pages}`, { x: 60, y: 760, size: 28, font });
    page.drawText('✔', { x: 500, y: 760, size: 28, font: dingbats });
    for (let y = 700; y > 80; y -= 24) page.drawText('Overdue notice batch, line of sample text.', { x: 60, y, size: 12, font });
  }
  return Buffer.from(await doc.save());
}

async function expectDrawn(page: Page, viewer: ReturnType<Page['getByTestId']>, n: number): Promise<void> {
  const p = viewer.locator(`[data-page="${n}"]`);
  await expect(p).toHaveAttribute('data-state', 'rendered');
  const canvas = p.locator('canvas');
  // Drawn at the screen's pixel density: the canvas has device pixels, the box CSS pixels.
  const [w, cssW, dpr] = await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.getBoundingClientRect().width, window.devicePixelRatio]);
  expect(Math.abs(w - cssW * dpr)).toBeLessThan(2);
  expect(await canvas.evaluate(darkPixels)).toBeGreaterThan(1000);
}

test('PDFs are previewed in the page by pdf.js: drawn, selectable, lazy, and nothing breaks the CSP', async ({ page }) => {
  test.setTimeout(300_000);
  const bridge = await startBridge();
  try {
    const problems = await watchProblems(page, new URL(bridge.url).origin);
    const assets: string[] = [];
    page.on('request', (r) => r.url().includes('/pdfjs/') && assets.push(new URL(r.url()).pathname));
    await page.goto(bridge.url);
    await firstRun(page, { demoBorrowers: 5, timeout: 150_000 });

    // 通知书模板 › 预览: the sample notice is drawn onto a canvas, its text selectable on top.
    await login(page, 'risk1');
    await page.getByRole('navigation').getByRole('button', { name: zh('nav.templates'), exact: true }).click();
    await page.getByTestId('template-list').getByRole('button', { name: zh('noticesUi.docType.overdue-notice') }).click();
    const title = await page.getByLabel(zh('templatesUi.blocks.title'), { exact: true }).inputValue();
    await page.getByRole('button', { name: zh('templatesUi.preview') }).click();
    const viewer = page.getByTestId('template-preview').getByTestId('pdf-viewer');
    await expect(viewer.getByTestId('pdf-page-count')).toHaveText(/^共 \d+ 页$/);
    await expectDrawn(page, viewer, 1);
    await expect(viewer.locator('[data-page="1"]')).toContainText(title.replace(/\s+/g, ''), { useInnerText: false });
    await expect(page.locator('iframe, embed, object')).toHaveCount(0);
    // The text layer lies over the drawing: selecting it selects the notice's words.
    await viewer.locator('[data-page="1"] [data-layer="text"]').selectText();
    expect(await page.evaluate(() => getSelection()!.toString().replace(/\s+/g, ''))).toContain(title.replace(/\s+/g, ''));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'pdf-01-template-preview');

    // Zoom: in from "fit width", back to fit.
    const fitted = await viewer.getByTestId('pdf-zoom').innerText();
    await viewer.getByRole('button', { name: zh('pdfViewer.zoomIn') }).click();
    await expect(viewer.getByTestId('pdf-zoom')).not.toHaveText(fitted);
    await expectDrawn(page, viewer, 1);
    await viewer.getByRole('button', { name: zh('pdfViewer.fitWidth') }).click();
    await expect(viewer.getByTestId('pdf-zoom')).toHaveText(fitted);
    await logout(page);

    // A 60-page document: its page count shows, only the pages near the view are drawn, the last on scrolling.
    await login(page, 'officer1');
    const contractNo = await page.evaluate(async () => {
      const api = (window as unknown as { api: { invoke(c: string, i: unknown): Promise<{ value: { rows: { contractNo: string }[] } }> } }).api;
      const r = await api.invoke('loans.list', { query: '', officer: null, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc', limit: 10, offset: 0 });
      return r.value.rows[0].contractNo;
    });
    await page.getByRole('button', { name: zh('nav.loans'), exact: true }).click();
    await page.getByLabel(zh('loans.query'), { exact: true }).fill(contractNo);
    await page.getByRole('button', { name: contractNo }).click();
    await expect(page.getByTestId('loan-contract-no')).toHaveText(contractNo);
    await page.getByRole('tab', { name: zh('documentsUi.tab'), exact: true }).click();
    await page.getByTestId('doc-file-input').setInputFiles({ name: '批量通知书.pdf', mimeType: 'application/pdf', buffer: await longPdf(60) });
    // 通知书 in the name suggests the type; uploading confirms it.
    await expect(page.getByRole('combobox', { name: zh('documentsUi.typeFor', { name: '批量通知书.pdf' }), exact: true })).toHaveValue('通知书及回执');
    await page.getByTestId('doc-upload').click();
    await page.getByTestId('documents').locator('tbody tr').filter({ hasText: '批量通知书.pdf' }).getByRole('button', { name: zh('documentsUi.preview') }).click();
    const doc = page.getByTestId('doc-preview').getByTestId('pdf-viewer');
    await expect(doc).toHaveAttribute('data-pages', '60');
    await expect(doc.getByTestId('pdf-page-count')).toHaveText(zh('pdfViewer.pages', { count: 60 }));
    await expectDrawn(page, doc, 1);
    await expect(doc.locator('[data-page="1"]')).toContainText('Page 1 of 60');
    // ZapfDingbats is not embedded: pdf.js's worker fetched its stand-in from the bundle, same origin.
    expect(assets.some((a) => a.startsWith('/pdfjs/standard_fonts/'))).toBe(true);
    await shot(page, 'pdf-02-document-preview');
    expect(await doc.locator('[data-state="rendered"]').count()).toBeLessThan(8);
    await doc.locator('[data-page="60"]').scrollIntoViewIfNeeded();
    await expectDrawn(page, doc, 60);
    await expect(doc.locator('[data-page="60"]')).toContainText('Page 60 of 60');
    await expect(doc.locator('[data-page="1"]')).toHaveAttribute('data-state', 'blank');
    await shot(page, 'pdf-03-document-last-page');
    await page.getByTestId('doc-preview').getByRole('button', { name: zh('documentsUi.close') }).click();

    // 打印档案封面 through main, whose answers are stood in for (the bridge has no print window): a failure
    // shows main's reason and offers the system's PDF reader; a print that went through is reported.
    const shellCalls: string[] = [];
    let answer: unknown = { available: true, outcome: 'failed', message: '打印失败（打印机脱机）' };
    await page.route('**/__invoke', async (route) => {
      const { channel } = route.request().postDataJSON() as { channel: string };
      if (channel !== 'shell.printPdf' && channel !== 'shell.openPdf') return route.continue();
      shellCalls.push(channel);
      const value = channel === 'shell.printPdf' ? answer : { available: true, path: '/tmp/cover.pdf' };
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value }) });
    });
    await page.getByRole('button', { name: zh('documentsUi.printCover') }).click();
    const failed = page.getByTestId('print-failed');
    await expect(failed).toContainText('打印失败（打印机脱机）');
    await shot(page, 'pdf-04-print-failed');
    await failed.getByRole('button', { name: zh('print.openInReader') }).click();
    await expect(failed).toHaveCount(0);
    answer = { available: true, outcome: 'printed', message: null };
    await page.getByRole('button', { name: zh('documentsUi.printCover') }).click();
    await expect(page.getByText(zh('print.printed'))).toBeVisible();
    expect(shellCalls).toEqual(['shell.printPdf', 'shell.openPdf', 'shell.printPdf']);
    await page.unroute('**/__invoke');

    expect(problems).toEqual([]);
  } finally {
    await bridge.stop();
  }
});
