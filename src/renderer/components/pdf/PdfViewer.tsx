import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from './pdfjs';
import { PdfPage, type PageSize } from './PdfPage';
import classes from './PdfViewer.module.css';

/** "100 %" is the printed size: 96 CSS pixels per inch, 72 PDF points per inch (as in pdf.js's viewer). */
const CSS_PER_PT = 96 / 72;
const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

type Zoom = 'fit' | number;

function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The scroll box's inner width, followed so that "fit width" stays fitted (also when a scroll bar appears). */
function useContentWidth(el: HTMLElement | null): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return width;
}

interface Props {
  base64: string;
  /** Names the scrolling region for screen readers. */
  title: string;
  height?: number | string;
  testId?: string;
}

/**
 * Shows a PDF in the page with pdf.js, drawn onto canvases: no browser plugin and no frame, so it looks the
 * same in Electron and in test Chromium and works under our CSP. Pages are drawn lazily as they scroll near.
 */
export function PdfViewer({ base64, title, height = '70vh', testId = 'pdf-viewer' }: Props) {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [first, setFirst] = useState<PageSize | null>(null);
  const [error, setError] = useState<'password' | 'broken' | null>(null);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const width = useContentWidth(box);

  useEffect(() => {
    let stale = false;
    let destroy: (() => Promise<void>) | null = null;
    setDoc(null);
    setError(null);
    // pdf.js is loaded the first time a PDF is shown, not with the app.
    import('./pdfjs')
      .then(async ({ loadPdf }) => {
        if (stale) return;
        const task = loadPdf(bytesOf(base64));
        destroy = () => task.destroy();
        const d = await task.promise;
        const v = (await d.getPage(1)).getViewport({ scale: 1 });
        if (stale) return;
        setFirst({ width: v.width, height: v.height });
        setDoc(d);
      })
      .catch((e: unknown) => {
        if (!stale) setError(e instanceof Error && e.name === 'PasswordException' ? 'password' : 'broken');
      });
    return () => {
      stale = true;
      void destroy?.();
    };
  }, [base64]);

  const fit = first && width > 0 ? Math.max(0.2, Math.floor((width / first.width) * 1000) / 1000) : 1;
  const scale = zoom === 'fit' ? fit : zoom * CSS_PER_PT;
  const percent = scale / CSS_PER_PT;
  const zoomIn = () => setZoom(ZOOMS.find((z) => z > percent + 0.01) ?? ZOOMS[ZOOMS.length - 1]);
  const zoomOut = () => setZoom([...ZOOMS].reverse().find((z) => z < percent - 0.01) ?? ZOOMS[0]);

  return (
    <Stack gap={6} data-testid={testId} data-pages={doc?.numPages ?? ''}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" c="dimmed" data-testid="pdf-page-count">
          {doc ? t('pdfViewer.pages', { count: doc.numPages }) : error ? '' : t('pdfViewer.loading')}
        </Text>
        <Group gap={4}>
          <Button size="compact-sm" variant="default" disabled={!doc} onClick={zoomOut} aria-label={t('pdfViewer.zoomOut')} title={t('pdfViewer.zoomOut')}>
            −
          </Button>
          <Text size="sm" w={48} ta="center" data-testid="pdf-zoom">
            {Math.round(percent * 100)}%
          </Text>
          <Button size="compact-sm" variant="default" disabled={!doc} onClick={zoomIn} aria-label={t('pdfViewer.zoomIn')} title={t('pdfViewer.zoomIn')}>
            +
          </Button>
          <Button size="compact-sm" variant={zoom === 'fit' ? 'light' : 'default'} disabled={!doc} onClick={() => setZoom('fit')}>
            {t('pdfViewer.fitWidth')}
          </Button>
        </Group>
      </Group>
      <div ref={setBox} className={classes.scroll} style={{ height }} role="region" aria-label={title} tabIndex={0}>
        {error ? (
          <Alert color="orange" variant="light">
            {t(error === 'password' ? 'pdfViewer.password' : 'pdfViewer.broken')}
          </Alert>
        ) : !doc || !first || !box ? (
          <Center h="100%">
            <Loader size="sm" />
          </Center>
        ) : (
          <div className={classes.pages}>
            {Array.from({ length: doc.numPages }, (_, i) => (
              <PdfPage key={i} doc={doc} number={i + 1} scale={scale} guess={first} root={box} />
            ))}
          </div>
        )}
      </div>
    </Stack>
  );
}
