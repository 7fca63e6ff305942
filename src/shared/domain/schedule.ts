/** Repayment schedules for the four repayment methods. All interest is exact until one half-up rounding per period. */
import { addMonthsClamped, assertDate, daysBetween } from './dates';
import { compareRatio, monthlyRate, parseDecimal, percentToRatio, roundHalfUp, type Ratio } from './decimal';
import { assertFen, fenFromBigInt } from './money';

export const REPAYMENT_METHODS = ['equal-installment', 'equal-principal', 'monthly-interest', 'bullet'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

export const REPAYMENT_METHOD_LABELS: Record<RepaymentMethod, { zh: string; en: string }> = {
  'equal-installment': { zh: '等额本息', en: 'Equal instalments' },
  'equal-principal': { zh: '等额本金', en: 'Equal principal' },
  'monthly-interest': { zh: '按月付息到期还本', en: 'Monthly interest, principal at maturity' },
  bullet: { zh: '利随本清', en: 'Bullet (principal and interest at maturity)' },
};

export interface ScheduleInput {
  principalFen: number;
  /** Annual rate in per cent as written in the contract, e.g. "4.9". */
  annualRate: string;
  months: number;
  method: RepaymentMethod;
  /** Drawdown date; period k falls due on addMonthsClamped(startDate, k). */
  startDate: string;
}

export interface ScheduleRow {
  period: number;
  dueDate: string;
  principalFen: number;
  interestFen: number;
  totalFen: number;
  /** Principal still owed after this period is paid. */
  balanceFen: number;
}

export const MAX_ANNUAL_RATE_PERCENT = '36';
export const MAX_TERM_MONTHS = 600;

/** Validates the contract rate (0 < rate ≤ 36 %) and returns it as an exact fraction per cent. */
export function parseAnnualRate(annualRate: string): Ratio {
  let r: Ratio;
  try {
    r = parseDecimal(annualRate);
  } catch {
    throw new RangeError(`年利率格式不正确（应为百分数数字，如 "4.35"）：${String(annualRate)}`);
  }
  if (r.num <= 0n || compareRatio(r, parseDecimal(MAX_ANNUAL_RATE_PERCENT)) > 0) {
    throw new RangeError(`年利率必须大于 0 且不超过 ${MAX_ANNUAL_RATE_PERCENT}%：${annualRate}`);
  }
  return r;
}

function validate(input: ScheduleInput): void {
  if (!Number.isSafeInteger(input.principalFen) || input.principalFen <= 0) {
    throw new RangeError(`本金必须是正的整数（分）：${String(input.principalFen)}`);
  }
  parseAnnualRate(input.annualRate);
  if (!Number.isInteger(input.months) || input.months < 1 || input.months > MAX_TERM_MONTHS) {
    throw new RangeError(`期限必须是 1 到 ${MAX_TERM_MONTHS} 之间的整数月：${String(input.months)}`);
  }
  if (!REPAYMENT_METHODS.includes(input.method)) throw new RangeError(`不支持的还款方式：${String(input.method)}`);
  assertDate(input.startDate, '起息日');
}

function interestOn(balance: number, rate: Ratio): number {
  return fenFromBigInt(roundHalfUp(BigInt(balance) * rate.num, rate.den));
}

/**
 * 等额本息 payment = P·r(1+r)^n / ((1+r)^n − 1). With r = N/D this is exactly
 * P·N·(D+N)^n / (D·((D+N)^n − D^n)), evaluated in BigInt and rounded half-up once.
 */
export function equalInstallmentPayment(principalFen: number, annualRate: string, months: number): number {
  validate({ principalFen, annualRate, months, method: 'equal-installment', startDate: '2000-01-01' });
  const { num: n, den: d } = monthlyRate(annualRate);
  const growth = (d + n) ** BigInt(months);
  return fenFromBigInt(roundHalfUp(BigInt(principalFen) * n * growth, d * (growth - d ** BigInt(months))));
}

export function buildSchedule(input: ScheduleInput): ScheduleRow[] {
  validate(input);
  const { principalFen: principal, annualRate, months, method, startDate } = input;
  const due = (k: number): string => addMonthsClamped(startDate, k);

  if (method === 'bullet') {
    const dueDate = due(months);
    const days = BigInt(daysBetween(startDate, dueDate));
    const rate = percentToRatio(annualRate);
    const interestFen = fenFromBigInt(roundHalfUp(BigInt(principal) * rate.num * days, rate.den * 360n));
    const totalFen = assertFen(principal + interestFen, '本期应还金额');
    return [{ period: 1, dueDate, principalFen: principal, interestFen, totalFen, balanceFen: 0 }];
  }

  const rate = monthlyRate(annualRate);
  const payment = method === 'equal-installment' ? equalInstallmentPayment(principal, annualRate, months) : 0;
  // 等额本金: P/n rounded half-up to the fen; the last period takes whatever is left (DESIGN.md: schedules).
  const evenPrincipal = fenFromBigInt(roundHalfUp(BigInt(principal), BigInt(months)));
  const rows: ScheduleRow[] = [];
  let balance = principal;
  for (let k = 1; k <= months; k++) {
    const interestFen = interestOn(balance, rate);
    let principalFen: number;
    if (k === months) principalFen = balance;
    else if (method === 'equal-installment') principalFen = Math.min(Math.max(payment - interestFen, 0), balance);
    else if (method === 'equal-principal') principalFen = Math.min(evenPrincipal, balance);
    else principalFen = 0;
    balance -= principalFen;
    const totalFen = assertFen(principalFen + interestFen, '本期应还金额');
    rows.push({ period: k, dueDate: due(k), principalFen, interestFen, totalFen, balanceFen: balance });
  }
  return rows;
}
