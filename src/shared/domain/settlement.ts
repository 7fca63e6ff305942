/**
 * Early settlement (提前结清) and the preview of a payment before it is posted. Both replay the loan with the same
 * function that posting uses ({@link replayLoan}), so what the user is shown is what the post does.
 */
import { parseDecimal, percentToRatio, roundHalfUp } from './decimal';
import { fenFromBigInt } from './money';
import { replayLoan, type DueRow, type ExcessUse, type LoanTerms, type RepaymentEvent } from './loanState';

/** A product's prepayment fee (提前还款违约金): none, a percentage of the principal repaid early, or months of its interest. */
export type PrepaymentFeeRule = { kind: 'none' } | { kind: 'percent'; percent: string } | { kind: 'months'; months: number };

export const NO_FEE: PrepaymentFeeRule = { kind: 'none' };

/** The fee on `prepaidPrincipalFen` (principal not yet due), rounded half-up to the fen once. */
export function prepaymentFee(rule: PrepaymentFeeRule, prepaidPrincipalFen: number, annualRate: string): number {
  if (prepaidPrincipalFen <= 0 || rule.kind === 'none') return 0;
  if (rule.kind === 'percent') {
    const p = percentToRatio(rule.percent);
    return fenFromBigInt(roundHalfUp(BigInt(prepaidPrincipalFen) * p.num, p.den));
  }
  const r = parseDecimal(annualRate);
  // principal × annual% ÷ 100 ÷ 12 × months
  return fenFromBigInt(roundHalfUp(BigInt(prepaidPrincipalFen) * r.num * BigInt(rule.months), r.den * 1200n));
}

export interface SettlementQuote {
  date: string;
  principalFen: number;
  /** Overdue and due interest, plus interest since the last due date to the settlement date (actual/360). */
  interestFen: number;
  penaltyFen: number;
  feeFen: number;
  totalFen: number;
  /** 溢收款 already held, which counts towards the total. */
  creditFen: number;
  /** What the borrower still has to pay: total less the credit held, never below zero. */
  payableFen: number;
}

/** What settling the loan in full on `date` takes, with payments up to and including that date. */
export function settlementQuoteOf(schedule: readonly DueRow[], repayments: readonly RepaymentEvent[], date: string, terms: LoanTerms, fee: PrepaymentFeeRule): SettlementQuote {
  const st = replayLoan(schedule, repayments, date, terms);
  const need = st.settlement;
  const feeFen = prepaymentFee(fee, need.prepaidPrincipalFen, terms.annualRate);
  const totalFen = need.principalFen + need.interestFen + need.penaltyFen + feeFen;
  return { date, principalFen: need.principalFen, interestFen: need.interestFen, penaltyFen: need.penaltyFen, feeFen, totalFen, creditFen: st.creditFen, payableFen: Math.max(0, totalFen - st.creditFen) };
}

export interface PeriodSplit {
  period: number;
  dueDate: string;
  penaltyFen: number;
  interestFen: number;
  principalFen: number;
}

export interface PaymentPreview {
  date: string;
  amountFen: number;
  excess: Exclude<ExcessUse, 'advance'>;
  /** Fallen due by the date (that day's instalment included) and unpaid, with penalty, before this payment. */
  dueFen: number;
  penaltyFen: number;
  interestFen: number;
  principalFen: number;
  feeFen: number;
  /** Held as 溢收款 from this payment. */
  creditFen: number;
  periods: PeriodSplit[];
  balanceAfterFen: number;
  exceedsDue: boolean;
  paysOff: boolean;
  /** An early settlement was asked for and this payment (with the credit held) covers it. */
  settles: boolean;
  /** An early settlement was asked for: what it takes on the date. */
  quote: SettlementQuote | null;
  /** The post is refused unless the user confirms: more than is due, the loan paid off, or money held over. */
  needsConfirmation: boolean;
}

/** A new payment's id sorts after every stored one of the same day. */
export const PREVIEW_ID = Number.MAX_SAFE_INTEGER;

export function previewPayment(
  schedule: readonly DueRow[],
  repayments: readonly RepaymentEvent[],
  terms: LoanTerms,
  payment: { date: string; amountFen: number; excess: Exclude<ExcessUse, 'advance'> },
  fee: PrepaymentFeeRule,
): PaymentPreview {
  const before = replayLoan(schedule, repayments, payment.date, terms);
  const quote = payment.excess === 'settle' ? settlementQuoteOf(schedule, repayments, payment.date, terms, fee) : null;
  const event: RepaymentEvent = { id: PREVIEW_ID, date: payment.date, amountFen: payment.amountFen, excess: payment.excess, feeFen: quote?.feeFen ?? 0 };
  const after = replayLoan(schedule, [...repayments, event], payment.date, terms);
  const a = after.allocations.find((x) => x.id === PREVIEW_ID)!;
  const periods: PeriodSplit[] = [];
  after.periods.forEach((p, i) => {
    const b = before.periods[i];
    const split = { penaltyFen: p.penaltyPaidFen - b.penaltyPaidFen, interestFen: p.interestPaidFen - b.interestPaidFen, principalFen: p.principalPaidFen - b.principalPaidFen };
    if (split.penaltyFen || split.interestFen || split.principalFen) periods.push({ period: p.period, dueDate: p.dueDate, ...split });
  });
  const exceedsDue = payment.amountFen > before.dueFen;
  const paysOff = after.paidOff && !before.paidOff;
  const settles = payment.excess === 'settle' && after.paidOff;
  return {
    date: payment.date,
    amountFen: payment.amountFen,
    excess: payment.excess,
    dueFen: before.dueFen,
    penaltyFen: a.penaltyFen,
    interestFen: a.interestFen,
    principalFen: a.principalFen,
    feeFen: a.feeFen,
    creditFen: a.unallocatedFen,
    periods,
    balanceAfterFen: after.balanceFen,
    exceedsDue,
    paysOff,
    settles,
    quote,
    needsConfirmation: exceedsDue || paysOff || a.unallocatedFen > 0,
  };
}
