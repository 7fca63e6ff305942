import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { a4, fieldGrid, table, zhDate, type Letterhead } from './common';

export interface DestructionCertificate {
  listId: number;
  reason: string;
  proposedBy: string;
  proposedAt: string;
  approvals: { by: string; at: string }[];
  executedBy: string;
  executedAt: string;
  loans: { contractNo: string; borrower: string; closedOn: string | null; retentionUntil: string | null }[];
  files: { contractNo: string; docType: string; fileName: string; size: number; sha256: string }[];
}

const day = (iso: string) => zhDate(iso);

/** 档案销毁清单: the loans and electronic files destroyed, the approvals and who carried it out. */
export function destructionDoc(c: DestructionCertificate, head: Letterhead): TDocumentDefinitions {
  const content: Content[] = [
    { text: '档 案 销 毁 清 单', style: 'title' },
    fieldGrid([
      ['清单编号', `第 ${c.listId} 号`],
      ['销毁理由', c.reason],
      ['提出人', `${c.proposedBy}（${day(c.proposedAt)}）`],
      ['批准人', c.approvals.map((a) => `${a.by}（${day(a.at)}）`).join('；')],
      ['执行人', `${c.executedBy}（${day(c.executedAt)}）`],
    ]),
    { text: '一、销毁的纸质档案', style: 'section' },
    table(
      ['序号', '合同编号', '借款人', '结清日期', '保管期满'],
      c.loans.map((l, i) => [String(i + 1), l.contractNo, l.borrower, l.closedOn ? zhDate(l.closedOn) : '—', l.retentionUntil ? zhDate(l.retentionUntil) : '—']),
      [32, 110, '*', 80, 80],
    ),
    { text: '二、删除的电子文件', style: 'section' },
    c.files.length === 0
      ? { text: '（无电子文件）' }
      : table(
          ['序号', '合同编号', '资料类型', '文件名称', '大小（字节）', 'SHA-256（前 16 位）'],
          c.files.map((f, i) => [String(i + 1), f.contractNo, f.docType, f.fileName, String(f.size), f.sha256.slice(0, 16)]),
          [28, 80, 70, '*', 56, 90],
        ),
    { text: '电子文件已从文件库中删除，文件记录保留备查；纸质档案按本清单销毁。', margin: [0, 10, 0, 0] },
    { text: '\n监销人：____________    执行人：____________    销毁日期：____________', margin: [0, 12, 0, 0] },
  ];
  return a4('档案销毁清单', head, content);
}
