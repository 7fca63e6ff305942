import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { amountInWords, formatFen } from '../../shared/domain';
import type { PrepaymentFeeRule, SettlementQuote } from '../../shared/domain/settlement';
import { a4, fieldGrid, zhDate, type Letterhead } from './common';

export interface SettlementQuotePrint {
  quote: SettlementQuote;
  contractNo: string;
  borrower: string;
  borrowerId: string;
  product: string;
  principalFen: number;
  annualRate: string;
  startDate: string;
  maturityDate: string;
  fee: PrepaymentFeeRule;
  /** Who printed it (经办人), by name. */
  preparedBy: string;
}

/** The product's prepayment fee rule, as the quote states it. */
export function feeRuleText(rule: PrepaymentFeeRule): string {
  if (rule.kind === 'percent') return `按提前偿还本金的 ${rule.percent}% 收取`;
  if (rule.kind === 'months') return `按提前偿还本金计收 ${rule.months} 个月利息`;
  return '本产品不收取提前还款违约金';
}

/**
 * 提前结清测算单: what settling the loan in full on the quote's date takes, item by item with each amount's
 * uppercase, valid for payment on that date only (interest runs daily), with the borrower's acknowledgement.
 */
export function settlementQuoteDoc(p: SettlementQuotePrint, head: Letterhead): TDocumentDefinitions {
  const q = p.quote;
  const row = (label: string, fen: number, note = ''): Content[] => [
    { text: label, font: 'Sans', fontSize: 9.5 },
    { text: `¥${formatFen(fen)}`, alignment: 'right', fontSize: 10 },
    { text: amountInWords(fen), fontSize: 9.5 },
    { text: note, fontSize: 8.5, color: '#444' },
  ];
  const rows: Content[][] = [
    row('剩余本金', q.principalFen),
    row('利息', q.interestFen, `含已到期未付利息，及上一还款日至 ${zhDate(q.date)} 的应计利息（按实际天数/360）`),
    row('罚息', q.penaltyFen, '逾期本息按合同约定的罚息利率计算'),
    row('提前还款违约金', q.feeFen, feeRuleText(p.fee)),
    row('合计', q.totalFen),
  ];
  if (q.creditFen > 0) rows.push(row('减：已收溢收款', q.creditFen, '已入账尚未冲抵的溢收款'));
  const payable: Content = {
    text: [
      { text: '结清应付金额：', font: 'Sans', bold: true },
      { text: `¥${formatFen(q.payableFen)}（${amountInWords(q.payableFen)}）`, bold: true },
    ],
    fontSize: 12,
    margin: [0, 10, 0, 4],
  };
  return a4('提前结清测算单', head, [
    { text: '提前结清测算单', style: 'title' },
    fieldGrid([
      ['合同编号', p.contractNo],
      ['借款人', p.borrower],
      ['证件号码', p.borrowerId],
      ['产品', p.product],
      ['借款金额', `¥${formatFen(p.principalFen)}（${amountInWords(p.principalFen)}）`],
      ['年利率', `${p.annualRate}%`],
      ['起始日', zhDate(p.startDate)],
      ['到期日', zhDate(p.maturityDate)],
      ['测算日', zhDate(q.date)],
      ['有效期至', zhDate(q.date)],
    ]),
    { text: '测算明细', style: 'section' },
    {
      table: {
        headerRows: 1,
        widths: [78, 78, '*', 150],
        body: [['项目', '金额（元）', '大写', '说明'].map((h) => ({ text: h, style: 'th' })), ...rows],
      },
      layout: { hLineColor: '#bbbbbb', vLineColor: '#bbbbbb' },
    },
    payable,
    {
      text: [
        `本测算单按截至 ${zhDate(q.date)} 已入账的还款计算，仅对当日足额还款有效；逾期或金额变动须重新测算。`,
        '利息按日计收，实际结清金额以入账时的核算为准。结清后，贷款人按约定办理抵质押物及权证的返还手续。',
      ].join(''),
      style: 'small',
      lineHeight: 1.5,
      margin: [0, 6, 0, 0],
    },
    {
      text: [`经办人：${p.preparedBy}        复核人：____________        日期：${zhDate(head.printedAt.slice(0, 10))}`, `借款人确认（签字或盖章）：____________________    日期：__________`].join('\n\n'),
      margin: [0, 28, 0, 0],
    },
  ]);
}
