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

/** The classes staff may propose for a loan whose rule floor is `floor`: the floor itself and every worse one. */
export function proposableLevels(floor: ClassificationLevel): ClassificationLevel[] {
  return LEVELS.filter((l) => isWorseOrEqual(l, floor));
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

/** Why the floor is what it is; the codes are the keys of the catalogues' `loan.floorReason`. */
export const FLOOR_REASON_CODES = [
  'loss',
  'doubtful',
  'substandard',
  'specialMention',
  'technical',
  'technicalNotApplicable',
  'restructuredNpl',
  'restructured',
  'factoring',
  'none',
] as const;
export type FloorReasonCode = (typeof FLOOR_REASON_CODES)[number];

export interface FloorReason {
  code: FloorReasonCode;
  /** `dpd` for the reasons that quote the days past due. */
  params: { dpd?: number };
}

export interface ClassificationFloorDetail {
  level: ClassificationLevel;
  reasons: FloorReason[];
}

const RULES = '《商业银行金融资产风险分类办法》';
export const TECHNICAL_OVERDUE_MAX_DAYS = 7;

/** The kernel's Chinese sentence for each code, `{{dpd}}` standing for the days; the zh-CN catalogue words them the same (tested). */
export const FLOOR_REASON_ZH: Record<FloorReasonCode, string> = {
  loss: `逾期 {{dpd}} 天，超过 360 天，为损失（${RULES}）`,
  doubtful: `逾期 {{dpd}} 天，超过 270 天，至少为可疑（${RULES}）`,
  substandard: `逾期 {{dpd}} 天，超过 90 天，至少为次级（${RULES}）`,
  specialMention: `逾期 {{dpd}} 天，存在逾期，至少为关注（${RULES}）`,
  technical: `逾期 {{dpd}} 天，属操作性或技术性原因导致的 7 天内短期逾期，可不归为关注，仍为正常（${RULES}）`,
  technicalNotApplicable: `逾期 {{dpd}} 天，超过 7 天，不适用技术性短期逾期例外（${RULES}）`,
  restructuredNpl: `重组前已为不良资产，重组后观察期内至少为次级（${RULES}）`,
  restructured: `重组资产在观察期内至少为关注（${RULES}）`,
  factoring: '保理融资逾期 {{dpd}} 天，超过 90 天，应列入不良，至少为次级（银保监办发〔2019〕205号）',
  none: '未逾期，且无重组等下限因素，下限为正常',
};

/** The Chinese sentence for a reason, as classificationFloor returns it. */
export function floorReasonText(reason: FloorReason): string {
  return FLOOR_REASON_ZH[reason.code].replace('{{dpd}}', String(reason.params.dpd ?? ''));
}

/** The floor with its reasons as codes and parameters, for storage and for wording in any language. */
export function classificationFloorDetail(facts: ClassificationFacts): ClassificationFloorDetail {
  const dpd = facts.daysPastDue;
  if (!Number.isSafeInteger(dpd) || dpd < 0) throw new RangeError(`逾期天数必须是非负整数：${String(dpd)}`);
  let level: ClassificationLevel = 'normal';
  const reasons: FloorReason[] = [];
  const note = (code: FloorReasonCode, withDpd: boolean): void => {
    reasons.push({ code, params: withDpd ? { dpd } : {} });
  };
  const raise = (to: ClassificationLevel, code: FloorReasonCode, withDpd: boolean): void => {
    if (levelRank(to) > levelRank(level)) level = to;
    note(code, withDpd);
  };

  if (dpd > 360) raise('loss', 'loss', true);
  else if (dpd > 270) raise('doubtful', 'doubtful', true);
  else if (dpd > 90) raise('substandard', 'substandard', true);
  else if (dpd > 0) {
    if (facts.technicalOverdueException && dpd <= TECHNICAL_OVERDUE_MAX_DAYS) note('technical', true);
    else {
      if (facts.technicalOverdueException) note('technicalNotApplicable', true);
      raise('special-mention', 'specialMention', true);
    }
  }

  if (facts.restructured) {
    if (facts.nonPerformingBeforeRestructure) raise('substandard', 'restructuredNpl', false);
    else raise('special-mention', 'restructured', false);
  }

  if (facts.factoring && dpd > 90) raise('substandard', 'factoring', true);

  if (reasons.length === 0) note('none', false);
  return { level, reasons };
}

/** The floor with its reasons in Chinese (the public kernel's shape). */
export function classificationFloor(facts: ClassificationFacts): ClassificationFloor {
  const { level, reasons } = classificationFloorDetail(facts);
  return { level, reasons: reasons.map(floorReasonText) };
}
