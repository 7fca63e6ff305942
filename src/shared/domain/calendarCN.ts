/** Mainland China public holidays and make-up working days (调休), as published by the State Council. */
import { addDays, daysBetween } from './dates';
import type { WorkingCalendar } from './workingDays';

export interface PublishedCalendar extends WorkingCalendar {
  year: number;
  source: string;
}

function range(from: string, to: string): string[] {
  return Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));
}

/** 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）. */
export const CN_CALENDAR_2026: PublishedCalendar = Object.freeze({
  year: 2026,
  source: '国办发明电〔2025〕7号',
  holidays: Object.freeze([
    ...range('2026-01-01', '2026-01-03'), // 元旦
    ...range('2026-02-15', '2026-02-23'), // 春节
    ...range('2026-04-04', '2026-04-06'), // 清明节
    ...range('2026-05-01', '2026-05-05'), // 劳动节
    ...range('2026-06-19', '2026-06-21'), // 端午节
    ...range('2026-09-25', '2026-09-27'), // 中秋节
    ...range('2026-10-01', '2026-10-07'), // 国庆节
  ]),
  workdays: Object.freeze(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']),
});

/** 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）. */
export const CN_CALENDAR_2025: PublishedCalendar = Object.freeze({
  year: 2025,
  source: '国办发明电〔2024〕12号',
  holidays: Object.freeze([
    '2025-01-01', // 元旦
    ...range('2025-01-28', '2025-02-04'), // 春节
    ...range('2025-04-04', '2025-04-06'), // 清明节
    ...range('2025-05-01', '2025-05-05'), // 劳动节
    ...range('2025-05-31', '2025-06-02'), // 端午节
    ...range('2025-10-01', '2025-10-08'), // 国庆节、中秋节
  ]),
  workdays: Object.freeze(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']),
});

/** Every year the app ships; imported years are added on top (a year's file replaces the shipped one). */
export const CN_CALENDARS: readonly PublishedCalendar[] = Object.freeze([CN_CALENDAR_2025, CN_CALENDAR_2026]);
