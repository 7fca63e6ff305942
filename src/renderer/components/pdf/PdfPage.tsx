import { Center, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy, PDFPageProxy, RenderTask } from './pdfjs';
import classes from './PdfViewer.module.css';

/** A page's size at scale 1 (PDF points, rotation applied). */
export interface PageSize {
  width: number;
  height: number;
}

/** pdf.js's own viewer caps a canvas at 2^25 pixels; a bigger one can fail to allocate. */
const MAX_CANVAS_PIXELS = 2 ** 25;

/** Drops the canvas and text layer; a zero-sized canvas frees its memory at once. */
function clear(el: HTMLElement): void {
  for (const c of el.querySelectorAll('canvas')) c.width = c.height = 0;
  el.replaceChildren();
}

interface Props {
  doc: PDFDocumentProxy;
  number: number;
  /** CSS pixels per PDF point. */
  scale: number;
  /** The size to reserve until this page's own size is known (the first page's). */
  guess: PageSize;
  /** The scrolling box: a page is drawn only while it is near the visible part. */
  root: HTMLElement;
}

/**
 * One page: a box of the page's size, drawn onto a canvas at the screen's pixel density (with a transparent
 * text layer on top, so text can be selected) only while it is within a screen of the visible part. Far pages
 * keep their size but no canvas, so a 50-page batch costs the memory of a few pages.
 */
export function PdfPage({ doc, number, scale, guess, root }: Props) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const layers = useRef<HTMLDivElement>(null);
  const [page, setPage] = useState<PDFPageProxy | null>(null);
  const [near, setNear] = useState(false);
  const [state, setState] = useState<'blank' | 'rendered' | 'failed'>('blank');

  useEffect(() => {
    let stale = false;
    doc
      .getPage(number)
      .then((p) => !stale && setPage(p))
      .catch(() => !stale && setState('failed'));
    return () => {
      stale = true;
    };
  }, [doc, number]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => setNear(entries[entries.length - 1].isIntersecting), { root, rootMargin: '100% 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [root]);

  useEffect(() => {
    const el = layers.current;
    if (!el || !page) return;
    if (!near) {
      clear(el);
      page.cleanup();
      setState((s) => (s === 'failed' ? s : 'blank'));
      return;
    }
    const viewport = page.getViewport({ scale });
    const density = Math.min(window.devicePixelRatio || 1, Math.sqrt(MAX_CANVAS_PIXELS / (viewport.width * viewport.height)));
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width * density);
    canvas.height = Math.floor(viewport.height * density);
    let task: RenderTask | null = page.render({ canvas, viewport, transform: density === 1 ? undefined : [density, 0, 0, density, 0, 0] });
    let text: { cancel(): void } | null = null;
    let stale = false;
    void (async () => {
      try {
        await task.promise;
        task = null;
        const { TextLayer } = await import('./pdfjs');
        if (stale) return;
        // The old drawing stays (stretched) until the new one is ready: no flash while zooming.
        const textBox = document.createElement('div');
        textBox.className = classes.text;
        textBox.dataset.layer = 'text';
        clear(el);
        el.append(canvas, textBox);
        setState('rendered');
        const layer = new TextLayer({ textContentSource: page.streamTextContent(), container: textBox, viewport });
        text = layer;
        await layer.render();
      } catch (e) {
        // Cancelled because the page scrolled away or the zoom changed: not a failure.
        if (!stale && !(e instanceof Error && e.name === 'RenderingCancelledException')) setState('failed');
      }
    })();
    return () => {
      stale = true;
      task?.cancel();
      text?.cancel();
    };
  }, [page, near, scale]);

  const size = page ? page.getViewport({ scale: 1 }) : guess;
  const factor = page ? scale * page.userUnit : scale;
  return (
    <div
      ref={box}
      className={classes.page}
      style={{ width: Math.floor(size.width * scale), height: Math.floor(size.height * scale), ['--total-scale-factor' as string]: factor }}
      role="group"
      aria-label={t('pdfViewer.page', { n: number })}
      data-page={number}
      data-state={state}
    >
      <div ref={layers} />
      {state === 'failed' && (
        <Center pos="absolute" inset={0}>
          <Text size="sm" c="dimmed">
            {t('pdfViewer.pageFailed')}
          </Text>
        </Center>
      )}
    </div>
  );
}
