import { LEVELS, type ClassificationLevel } from './classification';

/**
 * 贷款损失准备: rates per five-level class in basis points (1 bp = 0.01 %), integers, never floats.
 * Defaults per 《银行贷款损失准备计提指引》(银发〔2002〕98号): general 1 % on normal loans, special 关注 2 %,
 * 次级 25 %, 可疑 50 %, 损失 100 %. Factoring: a risk reserve of at least 1 % of the financing balance
 * (银保监办发〔2019〕205号).
 */
export interface ProvisionRates {
  byLevel: Record<ClassificationLevel, number>;
  /** Floor of the factoring risk reserve, basis points of the factoring financing balance. */
  factoringReserveMinBp: number;
}

export const DEFAULT_PROVISION_RATES: ProvisionRates = {
  byLevel: { normal: 100, 'special-mention': 200, substandard: 2500, doubtful: 5000, loss: 10000 },
  factoringReserveMinBp: 100,
};

export const BASIS_POINTS = 10_000;

/** balance × bp ÷ 10,000, rounded half-up to the fen, in exact integer arithmetic. */
export function provisionFen(balanceFen: number, bp: number): number {
  if (!Number.isSafeInteger(balanceFen) || !Number.isInteger(bp) || bp < 0) throw new RangeError('provision: integer fen and basis points');
  const n = BigInt(balanceFen) * BigInt(bp);
  const q = n / 10_000n;
  const r = n % 10_000n;
  return Number(r * 2n >= 10_000n ? q + 1n : q);
}

/** A ratio of two integer amounts as a decimal (one correctly rounded division); null when the base is zero. */
export function ratioOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** The non-performing classes (不良): 次级, 可疑, 损失. */
export const NPL_LEVELS: readonly ClassificationLevel[] = ['substandard', 'doubtful', 'loss'];

export function isProvisionRates(x: unknown): x is ProvisionRates {
  if (!x || typeof x !== 'object') return false;
  const r = x as ProvisionRates;
  return (
    !!r.byLevel &&
    LEVELS.every((l) => Number.isInteger(r.byLevel[l]) && r.byLevel[l] >= 0 && r.byLevel[l] <= BASIS_POINTS) &&
    Number.isInteger(r.factoringReserveMinBp) &&
    r.factoringReserveMinBp >= 0 &&
    r.factoringReserveMinBp <= BASIS_POINTS
  );
}
