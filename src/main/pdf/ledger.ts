import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { formatFen } from '../../shared/domain';
import type { LedgerEntry } from '../../shared/ipc/repayments';
import { a4, table, type Letterhead } from './common';

const KIND: Record<LedgerEntry['kind'], string> = {
  disbursement: '放款',
  repayment: '还款',
  reversal: '冲正',
  classification: '分类',
  'rate-change': '利率调整',
  extension: '展期',
  guarantee: '担保变更',
  collateral: '抵质押',
  payoff: '结清',
  'write-off': '核销',
  restructuring: '重组',
  acceleration: '宣布提前到期',
  prepayment: '部分提前还款',
};

export function ledgerDoc(contractNo: string, borrower: string, entries: LedgerEntry[], head: Letterhead): TDocumentDefinitions {
  const doc = a4('贷款台账', head, [
    { text: '贷款台账', style: 'title' },
    { text: `合同编号：${contractNo}    借款人：${borrower}`, alignment: 'center', margin: [0, 0, 0, 10] },
    table(
      ['日期', '事项', '摘要', '发生额', '本金变动', '利息', '罚息', '本金余额', '经办'],
      entries.map((e) => [e.date, KIND[e.kind], e.description, formatFen(e.amountFen), formatFen(e.principalFen), formatFen(e.interestFen), formatFen(e.penaltyFen), formatFen(e.balanceFen), e.by]),
      [50, 34, '*', 52, 52, 42, 38, 56, 40],
    ),
  ]);
  return { ...doc, pageOrientation: 'landscape' };
}
