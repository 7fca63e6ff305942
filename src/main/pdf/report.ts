import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { LEVEL_LABELS, type ClassificationLevel } from '../../shared/domain';
import { BALANCE_SHEET_KEYS, unsecuredOf, type FirstReportData, type PostReportData, type ReportLoanFacts, type ReportView } from '../../shared/ipc/reports';
import { a4, fieldGrid, money, zhDate, type Letterhead } from './common';

const KIND = { first: '首次检查', routine: '常规检查', 'pre-maturity': '到期前检查', special: '专项检查' } as const;
const YES = { yes: '是', no: '否' } as const;
const EVIDENCE = { contract: '购销合同', invoice: '发票', 'payment-record': '支付凭证', other: '其他' } as const;
const COLLATERAL = { intact: '存在且完好', damaged: '存在但受损', missing: '缺失', none: '无抵质押物' } as const;
const STATUS = { draft: '草稿', submitted: '待审核', returned: '已退回', signed: '已签批', accepted: '已归档', superseded: '已被更正' } as const;

export interface ReportPrint {
  report: ReportView;
  officerName: string;
  reviewerName: string | null;
  principalFen: number;
  startDate: string;
  maturityDate: string;
  /** What the form asked of this loan: a part it did not ask prints as not applicable, not as left empty. */
  facts: ReportLoanFacts;
}

/** A part of the form this loan was not asked (no guarantor: 保证人情况; no collateral: 抵质押物; personal borrower: the company's figures). */
const NOT_APPLICABLE = '不适用';
const UNSECURED = '不适用（信用贷款，无保证人和抵质押物）';
const NO_GUARANTOR = '不适用（无保证人）';
const NO_COLLATERAL = '不适用（无抵质押物）';
const PERSONAL = '不适用（个人借款人）';

/** A paragraph: as written; a part not asked of this loan says why; an asked part left empty says so. */
const para = (label: string, text: string | undefined, notAsked?: string): Content[] => [
  { text: label, style: 'section' },
  { text: text && text.trim() ? text : (notAsked ?? '（未填写）'), margin: [0, 0, 0, 4] },
];

function firstBody(d: Partial<FirstReportData>): Content[] {
  return [
    ...para('一、贷款资金用途核查', d.loanUse),
    fieldGrid([
      ['用途与合同约定一致', d.useMatchesPurpose ? YES[d.useMatchesPurpose] : '—'],
      ['核查凭证', (d.evidence ?? []).map((e) => EVIDENCE[e]).join('、') || '—'],
    ]),
    ...(d.evidenceNote ? [{ text: `凭证说明：${d.evidenceNote}`, style: 'small', margin: [0, 4, 0, 0] } as Content] : []),
    { text: '二、放款条件落实与法律文件', style: 'section' },
    fieldGrid([
      ['放款条件已落实', d.conditionsMet ? YES[d.conditionsMet] : '—'],
      ['法律文件有效', d.legalDocsValid ? YES[d.legalDocsValid] : '—'],
    ]),
    ...(d.conditionsNote ? [{ text: `条件落实说明：${d.conditionsNote}`, style: 'small' } as Content] : []),
    ...(d.legalDocsNote ? [{ text: `法律文件说明：${d.legalDocsNote}`, style: 'small' } as Content] : []),
    ...para('三、检查结论', d.conclusion),
  ];
}

function postBody(d: Partial<PostReportData>, r: ReportView, facts: ReportLoanFacts): Content[] {
  // A figure given is printed; one not asked of this loan is not applicable; one asked and left empty is '—'.
  const orElse = (notAsked: boolean, empty: string) => (notAsked ? NOT_APPLICABLE : empty);
  const fig = (v: number | undefined) => (v === undefined ? orElse(facts.personal, '—') : money(v));
  const noFigures = BALANCE_SHEET_KEYS.every((k) => d[k] === undefined);
  const unsecured = unsecuredOf(facts);
  return [
    ...para('一、借款人经营及财务状况', d.operations),
    ...(facts.personal && noFigures ? [{ text: `财务数据：${PERSONAL}`, style: 'small', margin: [0, 0, 0, 4] } as Content] : []),
    fieldGrid([
      ['营业收入', fig(d.revenueFen)],
      ['资产总额', fig(d.totalAssetsFen)],
      ['负债总额', fig(d.liabilitiesFen)],
      ['货币资金', fig(d.cashFen)],
      ['资产负债率', r.debtRatio ? `${r.debtRatio}%` : orElse(facts.personal, '—')],
      ['上次报告资产负债率', r.previousDebtRatio ? `${r.previousDebtRatio}%` : orElse(facts.personal, '（无上次报告）')],
    ]),
    ...para('二、资金流向', d.fundFlows),
    ...para('三、保证人情况', d.guarantorsCondition, facts.guaranteed ? undefined : unsecured ? UNSECURED : NO_GUARANTOR),
    { text: '四、抵质押物情况', style: 'section' },
    fieldGrid([
      ['抵质押物状态', d.collateralState ? COLLATERAL[d.collateralState] : facts.collateralised ? '—' : unsecured ? NOT_APPLICABLE : NO_COLLATERAL],
      ['现值', d.collateralValueFen == null ? orElse(!facts.collateralised, '—') : money(d.collateralValueFen)],
    ]),
    ...para('五、发现的预警信号', d.warningsFound || '未发现'),
    ...para('六、第一还款来源分析', d.firstRepaymentSource),
    ...para('七、检查结论', d.conclusion),
  ];
}

/** A signed-form-style report: the same layout whether printed for review or for the file. */
export function reportDoc(p: ReportPrint, head: Letterhead): TDocumentDefinitions {
  const r = p.report;
  const d = r.data as Partial<FirstReportData & PostReportData>;
  const title = r.form === 'first' ? '首次检查报告' : `贷后检查报告（${KIND[r.inspectionKind]}）`;
  const level = d.proposedLevel ? LEVEL_LABELS[d.proposedLevel as ClassificationLevel].zh : '—';
  const signed = r.status === 'signed' || r.status === 'accepted' || r.status === 'superseded';
  const reviewedAt = r.events.findLast((e) => e.step === 'sign')?.at ?? null;
  const submittedAt = r.events.findLast((e) => e.step === 'submit')?.at ?? null;
  const content: Content[] = [
    { text: title, style: 'title' },
    { text: `报告编号：JC-${String(r.id).padStart(6, '0')}-V${r.version}    状态：${STATUS[r.status]}`, alignment: 'right', fontSize: 9, margin: [0, 0, 0, 8] },
    fieldGrid([
      ['借款人', r.borrowerName],
      ['合同编号', r.contractNo],
      ['贷款金额', money(p.principalFen)],
      ['贷款期限', `${zhDate(p.startDate)} 至 ${zhDate(p.maturityDate)}`],
      ['检查日期', zhDate(r.visitDate)],
      ['检查人', p.officerName],
    ]),
    ...(r.form === 'first' ? firstBody(d) : postBody(d, r, p.facts)),
    fieldGrid([['建议分类', level], ['附件', r.attachments.length ? `${r.attachments.length} 份（${r.attachments.map((a) => a.fileName).join('、')}）` : '无']]),
    { text: '', margin: [0, 18, 0, 0] },
    {
      table: {
        widths: ['*', '*'],
        body: [
          [
            { text: `检查人（签字）：${'\u00a0'.repeat(4)}${p.officerName}\n\n日期：${submittedAt ? zhDate(submittedAt) : '________________'}`, margin: [4, 8, 4, 8] },
            {
              text: `信贷主管审核意见：${signed ? r.reviewComment || '同意' : ''}\n\n审核人（签字）：${signed ? (p.reviewerName ?? '') : ''}\n\n日期：${signed && reviewedAt ? zhDate(reviewedAt) : '________________'}`,
              margin: [4, 8, 4, 8],
            },
          ],
        ],
      },
    },
  ];
  return a4(title, head, content);
}
