import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { formatFen } from '../../shared/domain';
import { a4, table, zhDate, type Letterhead } from './common';

export interface HandoverLoan {
  contractNo: string;
  borrower: string;
  balanceFen: number;
  location: string;
  documents: number;
  certificates: string[];
  openWarnings: number;
}

/** 移交清单: what passes from one officer to another, signed by both and by the supervisor who oversaw it. */
export function handoverDoc(h: { from: string; to: string; reason: string; date: string; loans: HandoverLoan[] }, head: Letterhead): TDocumentDefinitions {
  return a4('档案及贷款移交清单', head, [
    { text: '档案及贷款移交清单', style: 'title' },
    { text: `移交日期：${zhDate(h.date)}    移交人：${h.from}    接收人：${h.to}`, alignment: 'center', margin: [0, 0, 0, 4] },
    { text: `移交原因：${h.reason}`, alignment: 'center', margin: [0, 0, 0, 12] },
    table(
      ['序号', '合同编号', '借款人', '本金余额', '纸质档案位置', '电子档案', '在库权证', '未结预警'],
      h.loans.map((l, i) => [String(i + 1), l.contractNo, l.borrower, formatFen(l.balanceFen), l.location, `${l.documents} 份`, l.certificates.join('\n') || '无', String(l.openWarnings)]),
      [24, 70, '*', 58, 70, 40, 80, 34],
    ),
    { text: `合计：${h.loans.length} 笔，本金余额 ${formatFen(h.loans.reduce((n, l) => n + l.balanceFen, 0))} 元`, margin: [0, 8, 0, 24] },
    { text: '移交人（签字）：______________    接收人（签字）：______________    监交人（签字）：______________' },
  ]);
}
