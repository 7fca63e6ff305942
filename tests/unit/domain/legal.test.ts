import { describe, expect, it } from 'vitest';
import { enforcementDeadline, legalDatesOutOfOrder, preservationAlert } from '../../../src/shared/domain';

describe('enforcementDeadline (民事诉讼法 Art. 250: two years from the performance date)', () => {
  it.each([
    ['2026-03-15', '2028-03-15'],
    ['2026-12-31', '2028-12-31'],
    ['2027-01-31', '2029-01-31'],
    // No 29 February two years on: the month's last day.
    ['2028-02-29', '2030-02-28'],
    ['2026-02-28', '2028-02-28'],
    ['2026-03-01', '2028-03-01'],
  ])('performance due %s: apply by %s', (due, expected) => {
    expect(enforcementDeadline(due)).toBe(expected);
  });

  it('refuses a date that does not exist', () => {
    expect(() => enforcementDeadline('2027-02-29')).toThrow();
  });
});

describe('preservationAlert', () => {
  it('warns within 30 days of the last day, and after it', () => {
    expect(preservationAlert('2026-12-31', '2026-11-30')).toBe(null);
    expect(preservationAlert('2026-12-31', '2026-12-01')).toBe('soon');
    expect(preservationAlert('2026-12-31', '2026-12-31')).toBe('soon');
    expect(preservationAlert('2026-12-31', '2027-01-01')).toBe('lapsed');
  });
});

describe('legalDatesOutOfOrder', () => {
  const none = { filedOn: null, hearingOn: null, outcomeOn: null, performanceDue: null, enforcementAppliedOn: null };
  it('accepts dates in order, equal dates and missing ones', () => {
    expect(legalDatesOutOfOrder(none)).toBe(null);
    expect(legalDatesOutOfOrder({ ...none, filedOn: '2026-01-05', hearingOn: '2026-01-05', outcomeOn: '2026-03-01', performanceDue: '2026-03-31', enforcementAppliedOn: '2026-04-02' })).toBe(null);
    expect(legalDatesOutOfOrder({ ...none, filedOn: '2026-01-05', outcomeOn: '2026-03-01' })).toBe(null);
  });
  it('names the first date out of order', () => {
    expect(legalDatesOutOfOrder({ ...none, filedOn: '2026-02-01', hearingOn: '2026-01-31' })).toBe('hearingOn');
    expect(legalDatesOutOfOrder({ ...none, filedOn: '2026-02-01', outcomeOn: '2026-01-31' })).toBe('outcomeOn');
    expect(legalDatesOutOfOrder({ ...none, hearingOn: '2026-02-01', outcomeOn: '2026-01-31' })).toBe('outcomeOn');
    expect(legalDatesOutOfOrder({ ...none, outcomeOn: '2026-02-01', performanceDue: '2026-01-31' })).toBe('performanceDue');
    expect(legalDatesOutOfOrder({ ...none, outcomeOn: '2026-02-01', enforcementAppliedOn: '2026-01-31' })).toBe('enforcementAppliedOn');
  });
});
