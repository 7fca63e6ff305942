import type { TFunction } from 'i18next';
import type { Locale } from '../../../shared/ipc/app';
import type { ReportData } from '../../../shared/ipc/reports';
import { fenToInput, parseYuan } from '../../lib/money';

/** Both forms' fields as typed: text, amounts in yuan, choices ('' until chosen). */
export interface ReportValues extends Record<string, unknown> {
  visitDate: string;
  operations: string;
  revenueFen: string;
  totalAssetsFen: string;
  liabilitiesFen: string;
  cashFen: string;
  fundFlows: string;
  guarantorsCondition: string;
  collateralState: string;
  collateralValueFen: string;
  warningsFound: string;
  firstRepaymentSource: string;
  conclusion: string;
  proposedLevel: string;
  loanUse: string;
  useMatchesPurpose: string;
  evidence: string[];
  evidenceNote: string;
  conditionsMet: string;
  conditionsNote: string;
  legalDocsValid: string;
  legalDocsNote: string;
}

export type FormKind = 'first' | 'post';

export const AMOUNT_KEYS = ['revenueFen', 'totalAssetsFen', 'liabilitiesFen', 'cashFen', 'collateralValueFen'] as const;
export type AmountKey = (typeof AMOUNT_KEYS)[number];

export function emptyValues(visitDate: string): ReportValues {
  return {
    visitDate,
    operations: '',
    revenueFen: '',
    totalAssetsFen: '',
    liabilitiesFen: '',
    cashFen: '',
    fundFlows: '',
    guarantorsCondition: '',
    collateralState: '',
    collateralValueFen: '',
    warningsFound: '',
    firstRepaymentSource: '',
    conclusion: '',
    proposedLevel: '',
    loanUse: '',
    useMatchesPurpose: '',
    evidence: [],
    evidenceNote: '',
    conditionsMet: '',
    conditionsNote: '',
    legalDocsValid: '',
    legalDocsNote: '',
  };
}

/** A saved report's data back into the form. */
export function valuesOf(visitDate: string, data: ReportData): ReportValues {
  const v = emptyValues(visitDate);
  for (const [k, x] of Object.entries(data as Record<string, unknown>)) {
    if (!(k in v)) continue;
    if ((AMOUNT_KEYS as readonly string[]).includes(k)) v[k] = typeof x === 'number' ? fenToInput(x) : '';
    else if (k === 'evidence') v.evidence = Array.isArray(x) ? x.map(String) : [];
    else v[k] = typeof x === 'string' ? x : '';
  }
  return v;
}

/** The amount in fen, or null when empty or not (yet) an amount. */
export function amountFen(text: string, t: TFunction, locale: Locale): number | null {
  return text.trim() ? parseYuan(text, t, locale, { allowZero: true }).fen : null;
}

/** Liabilities ÷ assets in per mille, rounded half-up, as main computes it; null without positive assets. */
export function debtPermille(liabilitiesFen: number | null, totalAssetsFen: number | null): bigint | null {
  if (liabilitiesFen === null || !totalAssetsFen || totalAssetsFen <= 0) return null;
  const a = BigInt(totalAssetsFen);
  return (BigInt(liabilitiesFen) * 2000n + a) / (2n * a);
}

export function permilleText(p: bigint): string {
  const neg = p < 0n;
  const abs = neg ? -p : p;
  return `${neg ? '-' : ''}${abs / 10n}.${abs % 10n}`;
}

/** "65.3" → 653n. */
export function parsePercent(s: string | null): bigint | null {
  if (!s || !/^\d+\.\d$/.test(s)) return null;
  return BigInt(s.replace('.', ''));
}
