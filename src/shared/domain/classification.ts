/**
 * Five-level classification floor per 《商业银行金融资产风险分类办法》(2023). The floor is the best level the
 * facts allow; staff may classify worse, never better.
 */

export const LEVELS = ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'] as const;
export type ClassificationLevel = (typeof LEVELS)[number];

export const LEVEL_LABELS: Record<ClassificationLevel, { zh: string; en: string }> = {
  normal: { zh: '正常', en: 'Normal' },
  'special-mention': { zh: '关注', en: 'Special mention' },
  substandard: { zh: '次级', en: 'Substandard' },
  doubtful: { zh: '可疑', en: 'Doubtful' },
  loss: { zh: '损失', en: 'Loss' },
};

/** 0 = normal … 4 = loss. */
export function levelRank(level: ClassificationLevel): number {
  const rank = LEVELS.indexOf(level);
  if (rank < 0) throw new RangeError(`未知的风险分类：${String(level)}`);
  return rank;
}

/** True when a is the same as or worse than b. */
export function isWorseOrEqual(a: ClassificationLevel, b: ClassificationLevel): boolean {
  return levelRank(a) >= levelRank(b);
}

/** Non-performing = substandard, doubtful or loss. */
export function isNonPerforming(level: ClassificationLevel): boolean {
  return isWorseOrEqual(level, 'substandard');
}

export interface ClassificationFacts {
  daysPastDue: number;
  /** A restructured asset still in its observation period. */
  restructured?: boolean;
  /** The asset was substandard or worse before it was restructured. */
  nonPerformingBeforeRestructure?: boolean;
  factoring?: boolean;
  /** The overdue is a short operational or technical one (e.g. a bank transfer delay). Applies only up to 7 days. */
  technicalOverdueException?: boolean;
}

export interface ClassificationFloor {
  level: ClassificationLevel;
  reasons: string[];
}

const RULES = '《商业银行金融资产风险分类办法》';
export const TECHNICAL_OVERDUE_MAX_DAYS = 7;

export function classificationFloor(facts: ClassificationFacts): ClassificationFloor {
  const dpd = facts.daysPastDue;
  if (!Number.isSafeInteger(dpd) || dpd < 0) throw new RangeError(`逾期天数必须是非负整数：${String(dpd)}`);
  let level: ClassificationLevel = 'normal';
  const reasons: string[] = [];
  const raise = (to: ClassificationLevel, reason: string): void => {
    if (levelRank(to) > levelRank(level)) level = to;
    reasons.push(reason);
  };

  if (dpd > 360) raise('loss', `逾期 ${dpd} 天，超过 360 天，为损失（${RULES}）`);
  else if (dpd > 270) raise('doubtful', `逾期 ${dpd} 天，超过 270 天，至少为可疑（${RULES}）`);
  else if (dpd > 90) raise('substandard', `逾期 ${dpd} 天，超过 90 天，至少为次级（${RULES}）`);
  else if (dpd > 0) {
    if (facts.technicalOverdueException && dpd <= TECHNICAL_OVERDUE_MAX_DAYS) {
      reasons.push(`逾期 ${dpd} 天，属操作性或技术性原因导致的 7 天内短期逾期，可不归为关注，仍为正常（${RULES}）`);
    } else {
      if (facts.technicalOverdueException) {
        reasons.push(`逾期 ${dpd} 天，超过 7 天，不适用技术性短期逾期例外（${RULES}）`);
      }
      raise('special-mention', `逾期 ${dpd} 天，存在逾期，至少为关注（${RULES}）`);
    }
  }

  if (facts.restructured) {
    if (facts.nonPerformingBeforeRestructure) {
      raise('substandard', `重组前已为不良资产，重组后观察期内至少为次级（${RULES}）`);
    } else {
      raise('special-mention', `重组资产在观察期内至少为关注（${RULES}）`);
    }
  }

  if (facts.factoring && dpd > 90) {
    raise('substandard', `保理融资逾期 ${dpd} 天，超过 90 天，应列入不良，至少为次级（银保监办发〔2019〕205号）`);
  }

  if (reasons.length === 0) reasons.push('未逾期，且无重组等下限因素，下限为正常');
  return { level, reasons };
}
