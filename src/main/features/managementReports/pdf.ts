import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { businessDateOf, DPD_BUCKETS, formatFen, LEVEL_LABELS, LEVELS } from '../../../shared/domain';
import type { AgeingBucket, MonthlyFigures, ShareRow } from '../../../shared/ipc/managementReports';
import { a4, fieldGrid, money, table, zhDate, type Letterhead } from '../../pdf/common';

/** A ratio as printed: two decimals of a per cent, or — when its base is zero. */
export function pct(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(2)}%`;
}

const bpText = (bp: number) => `${(bp / 100).toFixed(2)}%`;

export const AGEING_LABELS: Record<AgeingBucket, string> = { current: '未到期', '1-30': '逾期 1–30 天', '31-60': '逾期 31–60 天', '61-90': '逾期 61–90 天', '91-180': '逾期 91–180 天', '181+': '逾期 180 天以上' };

/** A share table with one amount column (figures and 大写). */
const shareTable = (keyHead: string, rows: ShareRow[], empty = '（未填）') =>
  table(['序号', keyHead, '笔数', '余额', '占比'], rows.map((r, i) => [String(i + 1), r.key || empty, String(r.count), money(r.balanceFen), pct(r.share)]), [28, 90, 28, '*', 44]);

/**
 * 贷后管理月报 (always in Chinese, like every formal printout): the KPIs, the five-level classification, overdue by
 * DPD bucket, the ten largest borrowers, the provisions, concentration by industry and product, factoring against
 * the 205号 limits, the class migration, vintage, the factoring receivables' ageing, and a signature block. Every
 * amount carries its uppercase form (`money`), except in the matrices of several amount columns, whose figures
 * are in yuan and whose totals are written out beneath them.
 */
export function monthlyReportDoc({ k, c, m, v, ageing }: MonthlyFigures, head: Letterhead): TDocumentDefinitions {
  const title = '贷后管理月报';
  const a = k.activity;
  const rc = (x: { due: number; met: number; rate: number | null }) => `${x.met} / ${x.due}（${pct(x.rate)}）`;
  const f = c.factoring;
  const migCols = [...LEVELS, 'closed', 'written-off'] as const;
  const migHead = ['期初＼期末', ...LEVELS.map((l) => LEVEL_LABELS[l].zh), '结清', '核销', '合计'];
  const migWidths = [56, ...migCols.map(() => '*' as const), '*' as const];
  const migFrom = m.byClass.reduce((n, r) => n + migCols.reduce((x, to) => x + r.to[to].balanceFen, 0), 0);
  const migGone = (to: 'closed' | 'written-off') => m.byClass.reduce((n, r) => n + r.to[to].balanceFen, 0);
  const sum = <T,>(rows: T[], by: (r: T) => number) => rows.reduce((n, r) => n + by(r), 0);
  const content: Content[] = [
    { text: title, style: 'title' },
    { text: `数据日期：${zhDate(k.asOf)}　统计期间：${zhDate(a.periodStart)}至${zhDate(k.asOf)}　数据来源：${k.source === 'snapshot' ? `月末快照（${k.takenAt ? businessDateOf(k.takenAt) : ''}生成）` : '按当前数据即时计算'}`, style: 'small', margin: [0, 0, 0, 8] },
    { text: '一、主要指标', style: 'section' },
    fieldGrid([
      ['在账贷款笔数', `${k.loans} 笔`],
      ['贷款余额', money(k.balanceFen)],
      ['逾期贷款余额', money(k.overdueBalanceFen)],
      ['逾期率（余额）', pct(k.overdueRate)],
      ['逾期笔数', `${k.overdueLoans} 笔（${pct(k.overdueCountRate)}）`],
      ['不良贷款余额', money(k.nplBalanceFen)],
      ['不良贷款率', pct(k.nplRatio)],
      ['应计提贷款损失准备', money(k.provisionRequiredFen)],
      ['已计提贷款损失准备', k.provisionHeldFen === null ? '未登记' : money(k.provisionHeldFen)],
      [`拨备覆盖率（${k.coverageBasis === 'held' ? '按已计提' : '按应计提'}）`, pct(k.coverageRatio)],
      ['本期核销', `${a.writeOffs.count} 笔，${money(a.writeOffs.balanceFen)}`],
      ['本期核销后收回', `${a.recoveries.count} 笔，${money(a.recoveries.amountFen)}`],
      ['承诺还款兑现', rc(a.promises)],
      ['回执按期收回', rc(a.receipts)],
      ['贷后检查按期完成', rc(a.inspections)],
      ['检查报告按期签批', a.reportsSigned ? rc(a.reportsSigned) : '—（快照未记录）'],
      ['未结预警信号', `${a.warnings.open} 条，平均 ${a.warnings.averageAgeDays ?? '—'} 天`],
    ]),
    { text: '指标口径：贷款余额为在账贷款（已发放、未结清、未核销）的剩余本金；逾期指逾期天数大于 0；不良指次级、可疑、损失三类；各比率以贷款余额（或笔数）为分母。', style: 'small', margin: [0, 4, 0, 0] },
    { text: '二、五级分类', style: 'section' },
    table(
      ['分类', '笔数', '余额', '占比'],
      LEVELS.map((l) => [LEVEL_LABELS[l].zh, String(k.byClass[l].count), money(k.byClass[l].balanceFen), pct(k.balanceFen ? k.byClass[l].balanceFen / k.balanceFen : null)]),
      [40, 36, '*', 48],
    ),
    { text: '三、逾期分档', style: 'section' },
    table(
      ['分档', '笔数', '余额', '占比'],
      DPD_BUCKETS.map((b) => [b, String(k.byBucket[b].count), money(k.byBucket[b].balanceFen), pct(k.balanceFen ? k.byBucket[b].balanceFen / k.balanceFen : null)]),
      [40, 36, '*', 48],
    ),
    { text: '四、前十大借款人', style: 'section' },
    table(
      ['序号', '借款人', '笔数', '余额', '占比'],
      c.topBorrowers.map((r, i) => [String(i + 1), r.key, String(r.count), money(r.balanceFen), pct(r.share)]),
      [28, 90, 28, '*', 44],
    ),
    { text: `前十大借款人余额合计占比：${pct(c.top10Share)}；最大单一借款人占比：${pct(c.largestShare)}。`, style: 'small', margin: [0, 4, 0, 0] },
    { text: '五、贷款损失准备', style: 'section' },
    table(
      ['分类', '余额', '计提比例', '应计提'],
      [
        ...LEVELS.map((l) => [LEVEL_LABELS[l].zh, money(k.byClass[l].balanceFen), bpText(k.byClass[l].provisionRateBp), money(k.byClass[l].provisionFen)]),
        ['保理风险准备下限', money(k.factoring.balanceFen), bpText(k.rates.factoringReserveMinBp), money(k.factoring.reserveMinFen)],
        ['应计提合计', '', '', money(k.provisionRequiredFen)],
      ],
      [64, '*', 44, '*'],
    ),
    { text: '计提比例默认按《银行贷款损失准备计提指引》（银发〔2002〕98号）；保理融资风险准备不低于融资余额的 1%（银保监办发〔2019〕205号）。', style: 'small', margin: [0, 4, 0, 0] },
    { text: '六、行业与产品集中度', style: 'section' },
    { text: '（一）按行业', style: 'small', bold: true, margin: [0, 0, 0, 4] },
    shareTable('行业', c.byIndustry),
    { text: '（二）按产品', style: 'small', bold: true, margin: [0, 8, 0, 4] },
    shareTable('产品', c.byProduct),
    { text: '七、保理业务集中度', style: 'section' },
    {
      text:
        `风险资产（在账保理融资余额）：${money(f.balanceFen)}。限额：单一应收账款债务人不超过 ${bpText(f.limits.debtorMaxBp)}，关联方债务人合计不超过 ${bpText(f.limits.relatedMaxBp)}` +
        `（银保监办发〔2019〕205号）。超限 ${f.breaches} 项。每笔保理融资的余额按其应收账款发票金额分摊到各债务人。`,
      style: 'small',
      margin: [0, 0, 0, 4],
    },
    { text: '（一）按应收账款债务人', style: 'small', bold: true, margin: [0, 0, 0, 4] },
    table(
      ['序号', '债务人', '关联方', '余额', '占比', '超限'],
      f.byDebtor.map((r, i) => [String(i + 1), r.key || '（未录入应收账款）', r.relatedParty ? '是' : '', money(r.balanceFen), pct(r.share), r.breach ? '超限' : '']),
      [28, 90, 32, '*', 44, 32],
    ),
    {
      text:
        f.relatedParty.debtors === 0
          ? '关联方债务人：无。'
          : `关联方债务人 ${f.relatedParty.debtors} 户，合计 ${money(f.relatedParty.balanceFen)}，占风险资产 ${pct(f.relatedParty.share)}，${f.relatedParty.breach ? '超过' : '未超过'}限额 ${bpText(f.limits.relatedMaxBp)}。`,
      style: 'small',
      margin: [0, 4, 0, 0],
    },
    { text: '（二）按卖方（融资人）', style: 'small', bold: true, margin: [0, 8, 0, 4] },
    shareTable('卖方', f.bySeller),
    { text: '八、五级分类迁徙矩阵', style: 'section' },
    { text: `期初 ${zhDate(m.fromAsOf)}（${m.fromSource === 'snapshot' ? '月末快照' : '即时计算'}）至 ${zhDate(m.asOf)}；行为期初分类，列为期末分类或去向；余额按期初余额计。`, style: 'small', margin: [0, 0, 0, 4] },
    { text: '（一）按笔数', style: 'small', bold: true, margin: [0, 0, 0, 4] },
    table(migHead, m.byClass.map((r) => [LEVEL_LABELS[r.from].zh, ...migCols.map((to) => String(r.to[to].count)), String(migCols.reduce((n, to) => n + r.to[to].count, 0))]), migWidths),
    { text: '（二）按余额（元）', style: 'small', bold: true, margin: [0, 8, 0, 4] },
    table(migHead, m.byClass.map((r) => [LEVEL_LABELS[r.from].zh, ...migCols.map((to) => formatFen(r.to[to].balanceFen)), formatFen(migCols.reduce((n, to) => n + r.to[to].balanceFen, 0))]), migWidths),
    { text: `期初在账余额 ${money(migFrom)}；期末已结清 ${money(migGone('closed'))}，已核销 ${money(migGone('written-off'))}；期间新增贷款 ${m.newLoans.count} 笔，余额 ${money(m.newLoans.balanceFen)}。`, style: 'small', margin: [0, 4, 0, 0] },
    { text: '九、按发放季度（Vintage）', style: 'section' },
    table(
      ['发放季度', '笔数', '发放本金（元）', '余额（元）', '逾期余额（元）', '不良余额（元）', '不良/本金'],
      v.rows.map((r) => [r.vintage, String(r.loans), formatFen(r.principalFen), formatFen(r.balanceFen), formatFen(r.overdueBalanceFen), formatFen(r.nplBalanceFen), pct(r.nplOfPrincipal)]),
      [44, 28, '*', '*', '*', '*', 44],
    ),
    { text: `合计：发放本金 ${money(sum(v.rows, (r) => r.principalFen))}；余额 ${money(sum(v.rows, (r) => r.balanceFen))}；不良余额 ${money(sum(v.rows, (r) => r.nplBalanceFen))}。`, style: 'small', margin: [0, 4, 0, 0] },
    { text: '十、保理应收账款账龄', style: 'section' },
    table(
      ['账龄（按到期日）', '笔数', '未收回金额', '占比'],
      ageing.buckets.map((b) => [AGEING_LABELS[b.bucket], String(b.count), money(b.outstandingFen), pct(b.share)]),
      [80, 28, '*', 44],
    ),
    { text: `未收回应收账款合计 ${money(ageing.outstandingFen)}（发票金额减去截至数据日期债务人付款与卖方回购，已冲正的不计）。`, style: 'small', margin: [0, 4, 0, 0] },
    { text: '\n编制人（签字）：____________　　审核人（签字）：____________　　负责人（签字）：____________\n\n日期：________年____月____日', margin: [0, 24, 0, 0], unbreakable: true },
  ];
  return a4(title, head, content);
}
