import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { businessDateOf } from '../../shared/domain';
import { a4, table, zhDate, type Letterhead } from './common';

export interface FileCover {
  contractNo: string;
  borrower: string;
  officer: string;
  product: string;
  startDate: string;
  maturityDate: string;
  closedOn: string | null;
  retentionUntil: string | null;
  retentionYears: number;
  location: { room: string; cabinet: string; shelf: string; box: string } | null;
  documents: { docType: string; fileName: string; createdAt: string }[];
}

/** Per loan: a box label to cut out, then the file cover (档案封面) with the catalogue of contents (卷内目录). */
export function labelsDoc(files: FileCover[], head: Letterhead): TDocumentDefinitions {
  const content: Content[] = [];
  files.forEach((f, i) => {
    const where = f.location ? `${f.location.room} · ${f.location.cabinet} 柜 · ${f.location.shelf} 层 · ${f.location.box} 号盒` : '（未登记存放位置）';
    content.push(
      {
        table: {
          widths: ['*'],
          body: [
            [
              {
                stack: [
                  { text: head.institution, font: 'Sans', fontSize: 10, alignment: 'center' },
                  { text: '信贷档案', font: 'Sans', bold: true, fontSize: 18, alignment: 'center', margin: [0, 4, 0, 4] },
                  { text: f.contractNo, font: 'Sans', bold: true, fontSize: 16, alignment: 'center' },
                  { text: f.borrower, fontSize: 14, alignment: 'center', margin: [0, 2, 0, 2] },
                  { text: where, fontSize: 10, alignment: 'center' },
                ],
                margin: [8, 10, 8, 10],
              },
            ],
          ],
        },
        margin: [90, 0, 90, 6],
      },
      { text: '✂ - - - - - - - - - - - - - - 沿此线剪下，贴于档案盒脊 - - - - - - - - - - - - - -', alignment: 'center', fontSize: 8, color: '#777', margin: [0, 0, 0, 18] },
      { text: '档  案  封  面', style: 'title' },
      {
        table: {
          widths: [90, '*'],
          body: [
            ['合同编号', f.contractNo],
            ['借款人', f.borrower],
            ['业务品种', f.product],
            ['贷款期限', `${zhDate(f.startDate)} 至 ${zhDate(f.maturityDate)}`],
            ['管户信贷员', f.officer],
            ['结清日期', f.closedOn ? zhDate(f.closedOn) : '未结清'],
            ['保管期限至', f.retentionUntil ? zhDate(f.retentionUntil) : `结清后 ${f.retentionYears} 年`],
            ['存放位置', where],
          ].map(([a, b]) => [{ text: a, font: 'Sans', fillColor: '#f5f5f5' }, b]),
        },
        margin: [0, 0, 0, 14],
      },
      { text: '卷 内 目 录', style: 'section', alignment: 'center' },
      table(
        ['序号', '资料类型', '文件名称', '归档日期'],
        f.documents.map((d, n) => [String(n + 1), d.docType, d.fileName, businessDateOf(d.createdAt)]),
        [32, 110, '*', 64],
      ),
      { text: '\n立卷人：____________    审核人：____________    立卷日期：____________', margin: [0, 12, 0, 0] },
    );
    if (i < files.length - 1) content.push({ text: '', pageBreak: 'after' });
  });
  return a4('档案封面及卷内目录', head, content);
}
