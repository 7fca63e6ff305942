import { describe, expect, it } from 'vitest';
import * as domain from '../../../src/shared/domain';

describe('public kernel', () => {
  it.each([
    'assertFen',
    'parseYuanToFen',
    'formatFen',
    'roundHalfUp',
    'amountInWords',
    'isValidDate',
    'addDays',
    'addMonthsClamped',
    'daysBetween',
    'compareDates',
    'todayIn',
    'buildSchedule',
    'allocatePayment',
    'penaltyAccrued',
    'daysPastDue',
    'dpdBucket',
    'overdueSummary',
    'classificationFloor',
    'levelRank',
    'isWorseOrEqual',
    'isValidResidentId',
    'isValidCreditCode',
    'residentIdCheckChar',
    'creditCodeCheckChar',
    'addWorkingDays',
    'isWorkingDay',
    'nextWorkingDayOnOrAfter',
    'limitationExpiry',
    'limitationExpiryWithCalendar',
  ])('exports the function %s', (name) => {
    expect(typeof (domain as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports LEVELS, the labels and the 2026 calendar', () => {
    expect(domain.LEVELS).toHaveLength(5);
    expect(Object.keys(domain.LEVEL_LABELS)).toEqual([...domain.LEVELS]);
    expect(domain.CN_CALENDAR_2026.workdays).toContain('2026-10-10');
  });
});
