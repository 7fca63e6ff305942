/**
 * 逾期原因: why a borrower fell behind, as the officer learns it at the first contact that reaches them in an
 * overdue spell (the seeds: 找出逾期原因). Stored as codes; the UI and the reports word them.
 */
export const DELINQUENCY_REASONS = ['business-difficulty', 'income-loss', 'illness-accident', 'dispute', 'wilful', 'death-missing', 'other'] as const;
export type DelinquencyReason = (typeof DELINQUENCY_REASONS)[number];

/** A contact outcome in which someone answered, so a reason can be asked for. */
export const REACHED_OUTCOMES = ['reached', 'promised', 'refused'] as const;
