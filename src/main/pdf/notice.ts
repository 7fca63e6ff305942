import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { fill, type TemplateBlocks } from '../notices/templates';
import { a4, money, zhDate, type Letterhead } from './common';

export interface NoticeData {
  serial: string;
  blocks: TemplateBlocks;
  values: Record<string, string>;
  amounts: { principalFen: number; interestFen: number; penaltyFen: number } | null;
  payBy: string | null;
  issueDate: string;
  contact: string;
  receipt: boolean;
}

function amountsTable(a: NonNullable<NoticeData['amounts']>): Content {
  const total = a.principalFen + a.interestFen + a.penaltyFen;
  const row = (label: string, fen: number) => [{ text: label, font: 'Sans', fontSize: 10 }, { text: money(fen), fontSize: 10 }];
  return {
    table: { widths: [70, '*'], body: [row('本金', a.principalFen), row('利息', a.interestFen), row('罚息', a.penaltyFen), row('合计', total)] },
    layout: { hLineColor: '#999999', vLineColor: '#999999' },
    margin: [0, 8, 0, 8],
  };
}

/** One notice, ending with the tear-off receipt (回执) that carries the serial number and its QR code. */
export function noticeContent(n: NoticeData, head: Letterhead): Content[] {
  const v = { ...n.values, serial: n.serial, title: n.blocks.title };
  const out: Content[] = [
    { text: n.blocks.title, style: 'title', margin: [0, 0, 0, 4] },
    { text: `编号：${n.serial}`, alignment: 'right', font: 'Sans', fontSize: 10, margin: [0, 0, 0, 10] },
    { text: fill(n.blocks.body, v), lineHeight: 1.6 },
  ];
  if (n.amounts) out.push(amountsTable(n.amounts));
  if (n.payBy) out.push({ text: `还款截止日期：${zhDate(n.payBy)}`, font: 'Sans', margin: [0, 0, 0, 6] });
  if (n.blocks.consequences) out.push({ text: fill(n.blocks.consequences, v), lineHeight: 1.5, margin: [0, 2, 0, 8] });
  out.push(
    { text: `联系人：${n.contact}`, margin: [0, 4, 0, 0] },
    { text: `${head.institution}${head.branch ? ` ${head.branch}` : ''}（盖章）`, alignment: 'right', margin: [0, 10, 0, 2] },
    { text: zhDate(n.issueDate), alignment: 'right' },
  );
  if (n.receipt) {
    out.push(
      { text: '✂ - - - - - - - - - - - - - - - - - - - - - - 请沿此线剪下，签字后寄回或交回 - - - - - - - - - - - - - - - - - - - - - -', alignment: 'center', fontSize: 8, color: '#666', margin: [0, 14, 0, 6] },
      {
        columns: [
          {
            width: '*',
            stack: [
              { text: `回  执（编号：${n.serial}）`, font: 'Sans', bold: true, fontSize: 12, margin: [0, 0, 0, 6] },
              { text: `致：${head.institution}`, margin: [0, 0, 0, 4] },
              { text: fill(n.blocks.receipt, v), lineHeight: 1.4, fontSize: 9.5 },
              { text: '\n签字或盖章：______________________    与收件人关系：______________', fontSize: 10 },
              { text: '\n签收日期：________年____月____日', fontSize: 10 },
            ],
          },
          { width: 90, stack: [{ qr: n.serial, fit: 84, alignment: 'right' }, { text: n.serial, fontSize: 7, alignment: 'right', margin: [0, 2, 0, 0] }] },
        ],
        columnGap: 12,
      },
    );
  }
  return out;
}

/** Several notices in one PDF, one to a page, for a single trip to the printer. */
export function noticesDoc(notices: NoticeData[], head: Letterhead): TDocumentDefinitions {
  const content: Content[] = [];
  notices.forEach((n, i) => {
    content.push(...noticeContent(n, head));
    if (i < notices.length - 1) content.push({ text: '', pageBreak: 'after' });
  });
  const title = notices.length === 1 ? notices[0].blocks.title : `通知书（${notices.length} 份）`;
  return a4(title, head, content);
}
