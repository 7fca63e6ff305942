import { describe, expect, it } from 'vitest';
import { CN_CALENDAR_2026, limitationExpiry, limitationExpiryWithCalendar } from '../../../src/shared/domain';

describe('limitationExpiry (民法典 Art. 188, 195, 201–202)', () => {
  it.each([
    ['2023-05-10', '2026-05-10'],
    ['2023-01-31', '2026-01-31'],
    ['2023-06-30', '2026-06-30'],
    ['2023-12-31', '2026-12-31'],
    ['2024-02-29', '2027-02-28'],
    ['2025-02-28', '2028-02-28'],
    ['2025-03-01', '2028-03-01'],
  ])('due %s ends %s', (dueDate, expected) => {
    expect(limitationExpiry({ dueDate, interruptions: [] })).toBe(expected);
  });

  it('restarts from the latest interruption', () => {
    expect(limitationExpiry({ dueDate: '2023-05-10', interruptions: ['2024-03-01'] })).toBe('2027-03-01');
    expect(limitationExpiry({ dueDate: '2023-05-10', interruptions: ['2025-08-31', '2024-03-01', '2026-04-30'] })).toBe('2029-04-30');
  });

  it('restarts from an interruption on Feb 29 to Feb 28', () => {
    expect(limitationExpiry({ dueDate: '2026-01-31', interruptions: ['2028-02-29'] })).toBe('2031-02-28');
  });

  it('ignores interruptions before the due date and counts one on it', () => {
    expect(limitationExpiry({ dueDate: '2023-05-10', interruptions: ['2023-05-09', '2022-01-01'] })).toBe('2026-05-10');
    expect(limitationExpiry({ dueDate: '2023-05-10', interruptions: ['2023-05-10'] })).toBe('2026-05-10');
  });

  it('counts an interruption on the last day but cannot revive an expired period', () => {
    expect(limitationExpiry({ dueDate: '2020-01-10', interruptions: ['2023-01-10'] })).toBe('2026-01-10');
    expect(limitationExpiry({ dueDate: '2020-01-10', interruptions: ['2023-01-11'] })).toBe('2023-01-10');
    expect(limitationExpiry({ dueDate: '2020-01-10', interruptions: ['2022-06-01', '2026-01-01'] })).toBe('2025-06-01');
  });

  it('refuses invalid dates', () => {
    expect(() => limitationExpiry({ dueDate: '2023-02-29', interruptions: [] })).toThrow(RangeError);
    expect(() => limitationExpiry({ dueDate: '2023-02-28', interruptions: ['2024-13-01'] })).toThrow(RangeError);
  });
});

describe('limitationExpiryWithCalendar (Art. 203)', () => {
  it('moves a holiday last day to the next working day', () => {
    expect(limitationExpiryWithCalendar({ dueDate: '2023-10-01', interruptions: [] }, CN_CALENDAR_2026)).toBe('2026-10-08');
    expect(limitationExpiryWithCalendar({ dueDate: '2023-02-15', interruptions: [] }, CN_CALENDAR_2026)).toBe('2026-02-24');
  });

  it('moves a weekend last day, but not a make-up working Saturday', () => {
    expect(limitationExpiryWithCalendar({ dueDate: '2023-10-11', interruptions: [] }, CN_CALENDAR_2026)).toBe('2026-10-12');
    expect(limitationExpiryWithCalendar({ dueDate: '2023-10-10', interruptions: [] }, CN_CALENDAR_2026)).toBe('2026-10-10');
    expect(limitationExpiryWithCalendar({ dueDate: '2023-11-23', interruptions: [] }, CN_CALENDAR_2026)).toBe('2026-11-23');
  });

  it('applies to the period running after an interruption', () => {
    expect(limitationExpiryWithCalendar({ dueDate: '2022-05-10', interruptions: ['2023-10-03'] }, CN_CALENDAR_2026)).toBe('2026-10-08');
  });

  it('lets an interruption on the extended last day count', () => {
    // 2023-10-01 is a Sunday, so the first period runs to Monday 2023-10-02.
    expect(limitationExpiryWithCalendar({ dueDate: '2020-10-01', interruptions: ['2023-10-02'] }, CN_CALENDAR_2026)).toBe('2026-10-08');
    expect(limitationExpiry({ dueDate: '2020-10-01', interruptions: ['2023-10-02'] })).toBe('2023-10-01');
  });
});
