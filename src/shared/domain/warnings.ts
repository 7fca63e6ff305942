/** Open = still in the loop (raised → planned → feedback); closed = cleared or escalated by a supervisor. */
export const OPEN_WARNING_STATUSES = ['raised', 'planned', 'feedback'] as const;

/**
 * 处置期限 of a warning not yet planned: its owner is to plan its disposal within this many days of the day it
 * was raised. The plan then sets its own due date (by default this many days from the day it is made).
 */
export const PLAN_DUE_DAYS = 10;
