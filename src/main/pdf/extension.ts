import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { formatFen } from '../../shared/domain';
import { a4, fieldGrid, money, table, zhDate, type Letterhead } from './common';

export interface ExtensionPrint {
  contractNo: string;
  contractDate: string;
  borrower: string;
  borrowerId: string;
  principalFen: number;
  balanceFen: number;
  annualRate: string;
  maturity: string;
  newMaturity: string | null;
  reason: string | null;
  guarantors: string[];
  approvedOn: string | null;
  schedule: { period: number; dueDate: string; principalFen: number; interestFen: number }[];
}

const signLines = (labels: string[]): Content => ({
  text: labels.map((l) => `${l}（签字或盖章）：____________________    日期：__________`).join('\n\n'),
  margin: [0, 24, 0, 0],
});

/** 展期申请书: the borrower's application, filled from the request (or blank for handwriting). */
export function extensionApplicationDoc(p: ExtensionPrint, head: Letterhead): TDocumentDefinitions {
  return a4('贷款展期申请书', head, [
    { text: '贷款展期申请书', style: 'title' },
    { text: `${head.institution}：`, margin: [0, 0, 0, 8] },
    {
      text: `本人/本单位于 ${zhDate(p.contractDate)} 与贵单位签订借款合同（编号 ${p.contractNo}），借款金额 ${money(p.principalFen)}，到期日 ${zhDate(p.maturity)}。截至申请日，尚欠本金 ${money(p.balanceFen)}。因 ${p.reason ?? '______________________________'}，现申请将上述借款展期至 ${p.newMaturity ? zhDate(p.newMaturity) : '______年____月____日'}，展期期间按原合同约定计息并按期付息。`,
      lineHeight: 1.6,
    },
    fieldGrid([
      ['借款人', p.borrower],
      ['证件号码', p.borrowerId],
      ['原到期日', zhDate(p.maturity)],
      ['申请展期至', p.newMaturity ? zhDate(p.newMaturity) : ''],
    ]),
    { text: p.guarantors.length ? `保证人意见：同意为展期后的借款继续提供保证担保。` : '', margin: [0, 12, 0, 0] },
    signLines(['借款人', ...p.guarantors.map((g) => `保证人 ${g}`)]),
  ]);
}

/** 贷款展期协议: the approved extension, with the new schedule of what is not yet paid. */
export function extensionAgreementDoc(p: ExtensionPrint, head: Letterhead): TDocumentDefinitions {
  return a4('贷款展期协议', head, [
    { text: '贷款展期协议', style: 'title' },
    { text: `贷款人（甲方）：${head.institution}\n借款人（乙方）：${p.borrower}${p.guarantors.length ? `\n保证人（丙方）：${p.guarantors.join('、')}` : ''}`, margin: [0, 0, 0, 10] },
    {
      text: `鉴于乙方与甲方于 ${zhDate(p.contractDate)} 签订的借款合同（编号 ${p.contractNo}，以下简称“原合同”）项下借款尚欠本金 ${money(p.balanceFen)}，乙方申请展期，经甲方于 ${zhDate(p.approvedOn)} 审批同意，各方达成协议如下：`,
      lineHeight: 1.6,
    },
    { text: `一、原合同项下借款到期日由 ${zhDate(p.maturity)} 变更为 ${zhDate(p.newMaturity)}。`, margin: [0, 6, 0, 2] },
    { text: `二、展期期间利率仍为年利率 ${p.annualRate}%，乙方按下列还款计划还款。`, margin: [0, 2, 0, 6] },
    table(
      ['期次', '到期日', '应还本金', '应还利息'],
      p.schedule.map((r) => [String(r.period), r.dueDate, formatFen(r.principalFen), formatFen(r.interestFen)]),
    ),
    { text: '三、除本协议变更的内容外，原合同其他条款继续有效。', margin: [0, 8, 0, 2] },
    ...(p.guarantors.length ? [{ text: '四、丙方同意对展期后的全部债务继续承担原保证合同约定的保证责任。', margin: [0, 2, 0, 2] } as Content] : []),
    signLines(['甲方', '乙方', ...p.guarantors.map((g) => `丙方 ${g}`)]),
  ]);
}
