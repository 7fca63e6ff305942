import { describe, expect, it } from 'vitest';
import { missingCalendarYear } from '../../../src/renderer/features/inspections/nextYear';

describe('asking the administrator for a holiday file', () => {
  it('asks for next year from 1 December until it is imported, and not before', () => {
    expect(missingCalendarYear([2025, 2026], '2026-11-30')).toBeNull();
    expect(missingCalendarYear([2025, 2026], '2026-12-01')).toEqual({ year: 2027, urgent: false });
    expect(missingCalendarYear([2025, 2026], '2026-12-31')).toEqual({ year: 2027, urgent: false });
    expect(missingCalendarYear([2025, 2026, 2027], '2026-12-07')).toBeNull();
  });

  it('asks urgently for the current year when it is missing, whatever the month', () => {
    expect(missingCalendarYear([2025, 2026], '2027-01-04')).toEqual({ year: 2027, urgent: true });
    expect(missingCalendarYear([2025, 2026], '2027-06-30')).toEqual({ year: 2027, urgent: true });
    expect(missingCalendarYear([2025, 2026, 2027], '2027-06-30')).toBeNull();
  });
});
