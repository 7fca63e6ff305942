import type { DrawdownsView } from '../../shared/ipc/drawdowns';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { LEVEL_LABELS, REPAYMENT_METHOD_LABELS, businessDateOf, formatFen, fractionAsPercent } from '../../shared/domain';
import type { InspectionView } from '../../shared/ipc/inspections';
import type { LoanDetail } from '../../shared/ipc/loans';
import { floorReasonsZh } from '../domain/floorReasons';
import { a4, fieldGrid, money, table, zhDate, type Letterhead } from './common';

export interface CardExtras {
  officerName: string;
  inspections: InspectionView[];
  warnings: { raisedAt: string; name: string; level: string; status: string; owner: string }[];
  documents: { docType: string; fileName: string; createdAt: string }[];
  workLog: { date: string; kind: string; content: string; author: string; comment: string | null }[];
  collections: { date: string; action: string; detail: string }[];
  drawdowns: DrawdownsView;
}

const MODES = { credit: '信用', guarantee: '保证', mortgage: '抵押', pledge: '质押' } as const;
const TIER = { good: '优质', normal: '一般', risk: '风险' } as const;
const PERIOD = { paid: '已还', overdue: '逾期', due: '今日到期', partial: '部分还款', future: '未到期' } as const;
const CUSTODY = { vault: '在库', lent: '借出', returned: '已退还' } as const;
const KIND = { first: '首次', routine: '常规', 'pre-maturity': '到期前', special: '专项' } as const;
const STATUS = { planned: '待检查', done: '已完成', cancelled: '已取消' } as const;
const WLEVEL: Record<string, string> = { light: '轻度', medium: '中度', serious: '严重' };
const WSTATUS: Record<string, string> = { raised: '已发起', planned: '处置中', feedback: '已反馈', confirmed: '已确认', cleared: '已解除', escalated: '已升级' };

/** 分次放款: the contract amount and each disbursement, only when the loan has more than one or room for more. */
function drawdownSection(v: DrawdownsView): Content[] {
  if (v.drawdowns.length < 2 && v.availableFen === 0) return [];
  return [
    { text: `合同金额 ${money(v.contractAmountFen)}，已放款 ${money(v.drawnFen)}，尚可放款 ${money(v.availableFen)}`, style: 'small', margin: [0, 4, 0, 2] },
    table(['次序', '放款日期', '放款金额（元）', '放款凭证号', '经办人'], v.drawdowns.map((d) => [String(d.seq), d.drawnOn, formatFen(d.amountFen), d.voucherNo || '—', d.by]), [28, 70, '*', '*', 70]),
  ];
}

/** The loan's status as the card's header states it: an outstanding loan in arrears says so, with its days past due. */
export function cardStatus(status: LoanDetail['loan']['status'], dpd: number): string {
  if (status === 'closed') return '已结清';
  if (status === 'written-off') return '已核销';
  return dpd > 0 ? `未结清，逾期 ${dpd} 天` : '未结清，未逾期';
}

/** The paper 贷后管理卡 kept in the loan file: everything about one loan on A4. */
export function cardDoc(d: LoanDetail, x: CardExtras, head: Letterhead): TDocumentDefinitions {
  const l = d.loan;
  const b = d.borrower;
  const st = d.state;
  const lvl = (v: string) => LEVEL_LABELS[v as keyof typeof LEVEL_LABELS]?.zh ?? v;
  const content: Content[] = [
    { text: l.kind === 'factoring' ? '贷后管理卡（保理融资）' : '贷后管理卡', style: 'title' },
    { text: `合同编号：${l.contractNo}    管户信贷员：${x.officerName}    状态：${cardStatus(l.status, st.dpd)}`, alignment: 'center', fontSize: 9, margin: [0, 0, 0, 8] },
    { text: '一、借款人', style: 'section' },
    fieldGrid([
      ['名称', b.name],
      [b.kind === 'person' ? '身份证号' : '信用代码', b.idNumber],
      ['电话', b.phone || '—'],
      ['客户分类', TIER[b.tier]],
      ['地址', b.address || '—'],
      [b.kind === 'person' ? '工作单位' : '法定代表人', (b.kind === 'person' ? b.employer : b.legalRep) || '—'],
    ]),
    { text: '二、合同要素', style: 'section' },
    fieldGrid([
      ['产品', l.product],
      ['贷款金额', money(l.principalFen)],
      ['年利率', `${l.annualRate}%（罚息利率上浮 ${fractionAsPercent(l.penaltyUplift)}%）`],
      ['还款方式', REPAYMENT_METHOD_LABELS[l.method].zh],
      ['放款日', zhDate(l.startDate)],
      ['到期日', zhDate(l.maturityDate)],
      ['担保方式', l.guaranteeModes.map((m) => MODES[m]).join('、')],
      ['用途', l.purpose || '—'],
    ]),
    ...drawdownSection(x.drawdowns),
    { text: '三、还款与逾期（截至 ' + zhDate(st.asOf) + '）', style: 'section' },
    fieldGrid([
      ['本金余额', money(st.balanceFen)],
      ['逾期天数', `${st.dpd} 天（${st.bucket}）`],
      ['逾期本金', money(st.overduePrincipalFen)],
      ['逾期利息', money(st.overdueInterestFen)],
      ['未还罚息', money(st.penaltyOutstandingFen)],
      ['五级分类', `${lvl(st.level)}（分类下限：${lvl(st.floorLevel)}）`],
    ]),
    { text: `分类依据：${floorReasonsZh(st.floorReasons)}`, style: 'small', margin: [0, 4, 0, 0] },
    { text: '还款计划', style: 'section' },
    table(
      ['期次', '到期日', '应还本金', '应还利息', '已还本金', '已还利息', '状态'],
      d.schedule.map((p) => [String(p.period), p.dueDate, formatFen(p.principalFen), formatFen(p.interestFen), formatFen(p.principalPaidFen), formatFen(p.interestPaidFen), PERIOD[p.status]]),
      [28, 58, '*', '*', '*', '*', 44],
    ),
    { text: '分类历史', style: 'section' },
    table(
      ['时间', '分类', '类型', '提出人', '审批人', '理由'],
      d.classifications.map((c) => [businessDateOf(c.proposedAt), lvl(c.level), { system: '系统', pending: '待审批', approved: '已批准', rejected: '已驳回' }[c.status], c.proposedBy, c.decidedBy ?? '—', c.reason]),
      [56, 40, 40, 50, 50, '*'],
    ),
    { text: '四、保证人', style: 'section' },
    table(
      ['保证人', '证件号码', '电话', '保证方式', '担保金额', '保证期间至'],
      d.guarantees.map((g) => [g.name, g.idNumber, g.phone || '—', g.guaranteeType === 'joint' ? '连带责任保证' : '一般保证', formatFen(g.amountFen), g.periodEnd]),
    ),
    { text: '五、抵质押物及权证', style: 'section' },
    table(
      ['类型', '描述', '所有权人', '最新评估', '抵押率', '权证及保管'],
      d.collateral.map((c) => [
        `${c.kind === 'mortgage' ? '抵押' : '质押'} · ${c.type}`,
        c.description,
        c.owner,
        c.valuations[0] ? `${formatFen(c.valuations[0].valueFen)}（${c.valuations[0].valuedOn}）` : '—',
        c.ltvPercent ? `${c.ltvPercent}%${c.ltvOverLimit ? ' 超限' : ''}` : '—',
        c.certificates.map((x) => `${x.certNo}（${CUSTODY[x.custody]}）`).join('\n') || '—',
      ]),
    ),
    { text: '六、贷后检查', style: 'section' },
    table(
      ['类型', '应检查日', '状态', '报告'],
      x.inspections.map((i) => [KIND[i.kind], i.dueDate, i.overdue ? '已逾期' : STATUS[i.status], i.report ? `${i.report.status === 'accepted' ? '已归档' : i.report.status === 'signed' ? '已签批' : '处理中'}` : '—']),
    ),
    { text: '七、预警信号', style: 'section' },
    table(['发起日', '信号', '等级', '状态', '负责人'], x.warnings.map((w) => [businessDateOf(w.raisedAt), w.name, WLEVEL[w.level] ?? w.level, WSTATUS[w.status] ?? w.status, w.owner])),
    { text: '八、催收记录', style: 'section' },
    table(['日期', '措施', '内容'], x.collections.map((c) => [c.date, c.action, c.detail])),
    { text: '九、档案资料', style: 'section' },
    table(['资料类型', '文件名', '归档日期'], x.documents.map((f) => [f.docType, f.fileName, businessDateOf(f.createdAt)])),
    { text: '十、工作日志', style: 'section' },
    table(['日期', '方式', '内容', '记录人', '主管意见'], x.workLog.map((w) => [w.date, w.kind, w.content, w.author, w.comment ?? '—']), [52, 36, '*', 44, 90]),
    { text: '\n管户信贷员（签字）：________________    信贷主管（签字）：________________', margin: [0, 16, 0, 0] },
  ];
  return a4('贷后管理卡', head, content);
}
