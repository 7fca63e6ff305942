import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { amountInWords, businessDateOf, formatFen } from '../../shared/domain';

/** An amount as printed on our documents: figures with separators, then the uppercase (大写) in brackets. */
export function money(fen: number): string {
  return `¥${formatFen(fen)}（${amountInWords(fen)}）`;
}

/** 2026年6月15日, of a business date or of a stored timestamp (its business date in China time). */
export function zhDate(date: string | null): string {
  if (!date) return '—';
  const [y, m, d] = (date.length > 10 ? businessDateOf(date) : date).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

export interface Letterhead {
  institution: string;
  branch: string;
  printedAt: string;
}

/** A4 with the institution in the header, and page x / y and the print time in the footer. */
export function a4(title: string, head: Letterhead, content: Content[]): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: [48, 64, 48, 56],
    info: { title, creator: 'LoanKeeper 贷后管家' },
    header: {
      columns: [
        { text: `${head.institution}${head.branch ? ` · ${head.branch}` : ''}`, font: 'Sans', fontSize: 9, color: '#444' },
        { text: title, alignment: 'right', font: 'Sans', fontSize: 9, color: '#444' },
      ],
      margin: [48, 28, 48, 0],
    },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `打印时间：${head.printedAt}`, fontSize: 8, color: '#666' },
        { text: `第 ${page} 页 / 共 ${pages} 页`, alignment: 'right', fontSize: 8, color: '#666' },
      ],
      margin: [48, 16, 48, 0],
    }),
    content,
    styles: {
      title: { font: 'Sans', bold: true, fontSize: 18, alignment: 'center', margin: [0, 0, 0, 14] },
      section: { font: 'Sans', bold: true, fontSize: 12, margin: [0, 12, 0, 6] },
      th: { font: 'Sans', bold: true, fontSize: 9, fillColor: '#eeeeee' },
      small: { fontSize: 9 },
    },
    defaultStyle: { font: 'Serif', fontSize: 10, lineHeight: 1.25 },
  };
}

/** A two-column table of label → value pairs, two pairs per row. */
export function fieldGrid(pairs: [string, string][]): Content {
  const body: string[][] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const a = pairs[i];
    const b = pairs[i + 1] ?? ['', ''];
    body.push([a[0], a[1], b[0], b[1]]);
  }
  return {
    table: {
      widths: [72, '*', 72, '*'],
      body: body.map((r) => r.map((c, i) => (i % 2 === 0 ? { text: c, font: 'Sans', fontSize: 9, fillColor: '#f5f5f5' } : { text: c, fontSize: 9.5 }))),
    },
    layout: { hLineColor: '#bbbbbb', vLineColor: '#bbbbbb' },
  };
}

export function table(headers: string[], rows: string[][], widths?: (string | number)[]): Content {
  return {
    table: {
      headerRows: 1,
      widths: widths ?? headers.map(() => '*'),
      body: [headers.map((h) => ({ text: h, style: 'th' })), ...(rows.length ? rows.map((r) => r.map((c) => ({ text: c, fontSize: 8.5 }))) : [[{ text: '（无）', colSpan: headers.length, fontSize: 8.5, color: '#666' }, ...headers.slice(1).map(() => '')]])],
    },
    layout: { hLineColor: '#bbbbbb', vLineColor: '#bbbbbb' },
  };
}
