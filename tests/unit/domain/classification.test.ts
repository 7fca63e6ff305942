import { describe, expect, it } from 'vitest';
import {
  classificationFloor,
  classificationFloorDetail,
  FLOOR_REASON_CODES,
  floorReasonText,
  isNonPerforming,
  isWorseOrEqual,
  LEVEL_LABELS,
  LEVELS,
  levelRank,
  proposableLevels,
  type ClassificationFacts,
  type ClassificationLevel,
  type FloorReason,
  type FloorReasonCode,
} from '../../../src/shared/domain';
import { translate } from '../../../src/shared/i18n';
import { wordFloorReason } from '../../../src/shared/i18n/floorReasons';

describe('levels', () => {
  it('are ordered from best to worst with Chinese and English labels', () => {
    expect(LEVELS).toEqual(['normal', 'special-mention', 'substandard', 'doubtful', 'loss']);
    expect(LEVELS.map(levelRank)).toEqual([0, 1, 2, 3, 4]);
    expect(LEVELS.map((l) => LEVEL_LABELS[l].zh)).toEqual(['正常', '关注', '次级', '可疑', '损失']);
    expect(LEVEL_LABELS['special-mention'].en).toBe('Special mention');
  });

  it('compares', () => {
    expect(isWorseOrEqual('loss', 'doubtful')).toBe(true);
    expect(isWorseOrEqual('substandard', 'substandard')).toBe(true);
    expect(isWorseOrEqual('normal', 'special-mention')).toBe(false);
    expect(LEVELS.filter(isNonPerforming)).toEqual(['substandard', 'doubtful', 'loss']);
    expect(() => levelRank('bad' as ClassificationLevel)).toThrow(RangeError);
  });
});

describe('classificationFloor by days past due', () => {
  it.each([
    [0, 'normal'],
    [1, 'special-mention'],
    [7, 'special-mention'],
    [8, 'special-mention'],
    [90, 'special-mention'],
    [91, 'substandard'],
    [270, 'substandard'],
    [271, 'doubtful'],
    [360, 'doubtful'],
    [361, 'loss'],
    [2000, 'loss'],
  ])('%d days → %s', (dpd, level) => {
    const floor = classificationFloor({ daysPastDue: dpd });
    expect(floor.level).toBe(level);
    expect(floor.reasons.length).toBeGreaterThan(0);
  });

  it('cites the rule in Chinese', () => {
    expect(classificationFloor({ daysPastDue: 95 }).reasons).toEqual([
      '逾期 95 天，超过 90 天，至少为次级（《商业银行金融资产风险分类办法》）',
    ]);
    expect(classificationFloor({ daysPastDue: 1 }).reasons[0]).toMatch(/逾期 1 天.*至少为关注/);
    expect(classificationFloor({ daysPastDue: 271 }).reasons[0]).toMatch(/超过 270 天.*可疑/);
    expect(classificationFloor({ daysPastDue: 361 }).reasons[0]).toMatch(/超过 360 天.*损失/);
    expect(classificationFloor({ daysPastDue: 0 }).reasons[0]).toMatch(/未逾期/);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %s days', (dpd) => {
    expect(() => classificationFloor({ daysPastDue: dpd })).toThrow(RangeError);
  });
});

describe('technical overdue exception', () => {
  it.each([1, 7])('keeps %d days normal, with a reason', (dpd) => {
    const floor = classificationFloor({ daysPastDue: dpd, technicalOverdueException: true });
    expect(floor.level).toBe('normal');
    expect(floor.reasons.join()).toMatch(/技术性/);
  });

  it('does not apply beyond 7 days, and says so', () => {
    const floor = classificationFloor({ daysPastDue: 8, technicalOverdueException: true });
    expect(floor.level).toBe('special-mention');
    expect(floor.reasons.join()).toMatch(/不适用/);
    expect(classificationFloor({ daysPastDue: 91, technicalOverdueException: true }).level).toBe('substandard');
  });

  it('does not lift a restructuring floor', () => {
    expect(classificationFloor({ daysPastDue: 3, technicalOverdueException: true, restructured: true }).level).toBe('special-mention');
  });
});

describe('restructured assets', () => {
  it('are at least special mention', () => {
    const floor = classificationFloor({ daysPastDue: 0, restructured: true });
    expect(floor.level).toBe('special-mention');
    expect(floor.reasons.join()).toMatch(/重组/);
  });

  it('are at least substandard if non-performing before', () => {
    expect(classificationFloor({ daysPastDue: 0, restructured: true, nonPerformingBeforeRestructure: true }).level).toBe('substandard');
  });

  it('ignore nonPerformingBeforeRestructure without restructuring', () => {
    expect(classificationFloor({ daysPastDue: 0, nonPerformingBeforeRestructure: true }).level).toBe('normal');
  });

  it('never lower an overdue floor', () => {
    const floor = classificationFloor({ daysPastDue: 300, restructured: true, nonPerformingBeforeRestructure: true });
    expect(floor.level).toBe('doubtful');
    expect(floor.reasons).toHaveLength(2);
  });
});

describe('factoring', () => {
  it('over 90 days is non-performing, citing 银保监办发〔2019〕205号', () => {
    const floor = classificationFloor({ daysPastDue: 91, factoring: true });
    expect(floor.level).toBe('substandard');
    expect(floor.reasons.some((r) => r.includes('银保监办发〔2019〕205号'))).toBe(true);
  });

  it('at 90 days is special mention, without the factoring reason', () => {
    const floor = classificationFloor({ daysPastDue: 90, factoring: true });
    expect(floor.level).toBe('special-mention');
    expect(floor.reasons.some((r) => r.includes('205号'))).toBe(false);
  });

  it('follows the general floors beyond 270 days', () => {
    expect(classificationFloor({ daysPastDue: 400, factoring: true }).level).toBe('loss');
  });
});

describe('classificationFloorDetail: every reason as a code', () => {
  const cases: [FloorReasonCode, ClassificationFacts, ClassificationLevel, FloorReason[]][] = [
    ['loss', { daysPastDue: 361 }, 'loss', [{ code: 'loss', params: { dpd: 361 } }]],
    ['doubtful', { daysPastDue: 271 }, 'doubtful', [{ code: 'doubtful', params: { dpd: 271 } }]],
    ['substandard', { daysPastDue: 91 }, 'substandard', [{ code: 'substandard', params: { dpd: 91 } }]],
    ['specialMention', { daysPastDue: 90 }, 'special-mention', [{ code: 'specialMention', params: { dpd: 90 } }]],
    ['technical', { daysPastDue: 7, technicalOverdueException: true }, 'normal', [{ code: 'technical', params: { dpd: 7 } }]],
    [
      'technicalNotApplicable',
      { daysPastDue: 8, technicalOverdueException: true },
      'special-mention',
      [
        { code: 'technicalNotApplicable', params: { dpd: 8 } },
        { code: 'specialMention', params: { dpd: 8 } },
      ],
    ],
    ['restructuredNpl', { daysPastDue: 0, restructured: true, nonPerformingBeforeRestructure: true }, 'substandard', [{ code: 'restructuredNpl', params: {} }]],
    ['restructured', { daysPastDue: 0, restructured: true }, 'special-mention', [{ code: 'restructured', params: {} }]],
    [
      'factoring',
      { daysPastDue: 91, factoring: true },
      'substandard',
      [
        { code: 'substandard', params: { dpd: 91 } },
        { code: 'factoring', params: { dpd: 91 } },
      ],
    ],
    ['none', { daysPastDue: 0 }, 'normal', [{ code: 'none', params: {} }]],
  ];

  it('covers every code', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual([...FLOOR_REASON_CODES].sort());
  });

  it.each(cases)('%s', (_code, facts, level, reasons) => {
    expect(classificationFloorDetail(facts)).toEqual({ level, reasons });
    // The public kernel gives the same floor, its reasons the Chinese sentences of these codes.
    expect(classificationFloor(facts)).toEqual({ level, reasons: reasons.map(floorReasonText) });
  });

  it.each(cases)('%s reads the same as the zh-CN catalogue, and in English without Chinese', (_code, facts) => {
    for (const r of classificationFloorDetail(facts).reasons) {
      const zh = wordFloorReason((k, p) => translate('zh-CN', k, p), r);
      expect(zh).toBe(floorReasonText(r));
      const en = wordFloorReason((k, p) => translate('en', k, p), r);
      expect(en).not.toMatch(/[\u3400-\u9fff]/);
      if (r.params.dpd !== undefined) {
        expect(zh).toContain(`逾期 ${r.params.dpd} 天`);
        expect(en).toContain(`${r.params.dpd} days past due`);
      }
    }
  });

  it('keeps the wording of rows stored before codes', () => {
    expect(floorReasonText({ code: 'specialMention', params: { dpd: 14 } })).toBe('逾期 14 天，存在逾期，至少为关注（《商业银行金融资产风险分类办法》）');
    expect(floorReasonText({ code: 'none', params: {} })).toBe('未逾期，且无重组等下限因素，下限为正常');
  });

  it('words legacy text as it was stored', () => {
    expect(wordFloorReason((k, p) => translate('en', k, p), { code: 'legacy', params: { text: '旧措辞' } })).toBe('旧措辞');
  });
});

describe('proposableLevels', () => {
  it('offers the floor and every worse class, never a better one', () => {
    expect(proposableLevels('normal')).toEqual([...LEVELS]);
    expect(proposableLevels('substandard')).toEqual(['substandard', 'doubtful', 'loss']);
    expect(proposableLevels('loss')).toEqual(['loss']);
    for (const floor of LEVELS) for (const l of proposableLevels(floor)) expect(isWorseOrEqual(l, floor)).toBe(true);
  });
});
