import { describe, expect, it } from 'vitest';
import {
  classificationFloor,
  isNonPerforming,
  isWorseOrEqual,
  LEVEL_LABELS,
  LEVELS,
  levelRank,
  type ClassificationLevel,
} from '../../../src/shared/domain';

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
