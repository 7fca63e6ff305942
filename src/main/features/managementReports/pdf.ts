import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { DPD_BUCKETS, LEVEL_LABELS, LEVELS } from '../../../shared/domain';
import type { Concentration, Kpis } from '../../../shared/ipc/managementReports';
import { a4, fieldGrid, money, table, zhDate, type Letterhead } from '../../pdf/common';

/** A ratio as printed: two decimals of a per cent, or — when its base is zero. */
export function pct(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(2)}%`;
}

const bpText = (bp: number) => `${(bp / 100).toFixed(2)}%`;

/**
 * 贷后管理月报 (always in Chinese, like every formal printout): the KPIs, the five-level classification, overdue by
 * DPD bucket, the ten largest borrowers and the provisions. Every amount carries its uppercase form (`money`).
 */
export function monthlyReportDoc(k: Kpis, c: Concentration, head: Letterhead): TDocumentDefinitions {
  const title = '贷后管理月报';
  const a = k.activity;
  const rc = (x: { due: number; met: number; rate: number | null }) => `${x.met} / ${x.due}（${pct(x.rate)}）`;
  const content: Content[] = [
    { text: title, style: 'title' },
    { text: `数据日期：${zhDate(k.asOf)}　统计期间：${zhDate(a.periodStart)}至${zhDate(k.asOf)}　数据来源：${k.source === 'snapshot' ? `月末快照（${k.takenAt?.slice(0, 10) ?? ''}生成）` : '按当前数据即时计算'}`, style: 'small', margin: [0, 0, 0, 8] },
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
  ];
  return a4(title, head, content);
}
