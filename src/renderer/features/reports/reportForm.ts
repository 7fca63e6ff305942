import type { TFunction } from 'i18next';
import { LEVELS } from '../../../shared/domain';
import type { Locale } from '../../../shared/ipc/app';
import type { FirstReportData, PostReportData, ReportData } from '../../../shared/ipc/reports';
import type { FieldErrors } from '../../lib/form';
import { dateError } from '../../lib/labels';
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
const POST_TEXT = ['operations', 'fundFlows', 'guarantorsCondition', 'warningsFound', 'firstRepaymentSource', 'conclusion'] as const;
const FIRST_TEXT = ['loanUse', 'evidenceNote', 'conditionsNote', 'legalDocsNote', 'conclusion'] as const;
const FIRST_YES_NO = ['useMatchesPurpose', 'conditionsMet', 'legalDocsValid'] as const;

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

/** The error of an amount as typed so far (negative, too many decimals…), or null. Zero is allowed. */
export function amountError(text: string, t: TFunction, locale: Locale): string | null {
  return text.trim() ? parseYuan(text, t, locale, { allowZero: true }).error : null;
}

/** The amount in fen, or null when empty or not (yet) an amount. */
export function amountFen(text: string, t: TFunction, locale: Locale): number | null {
  return text.trim() ? parseYuan(text, t, locale, { allowZero: true }).fen : null;
}

/**
 * What the draft holds: filled fields only (a draft may be partial), amounts as fen. Checks only what is
 * wrong as typed; what is missing is named by main on submission.
 */
export function draftOf(form: FormKind, v: ReportValues, t: TFunction, locale: Locale): { data: ReportData; errors: FieldErrors<ReportValues> } {
  const errors: FieldErrors<ReportValues> = {};
  const visit = dateError(v.visitDate, t);
  if (visit) errors.visitDate = visit;
  const out: Record<string, unknown> = {};
  const texts = form === 'post' ? POST_TEXT : FIRST_TEXT;
  for (const k of texts) if (v[k].trim()) out[k] = v[k].trim();
  if (v.proposedLevel && (LEVELS as readonly string[]).includes(v.proposedLevel)) out.proposedLevel = v.proposedLevel;
  if (form === 'post') {
    for (const k of AMOUNT_KEYS) {
      const text = v[k];
      if (!text.trim()) {
        // The collateral's value may be unknown (or there is none); the key is always there.
        if (k === 'collateralValueFen') out[k] = null;
        continue;
      }
      const parsed = parseYuan(text, t, locale, { allowZero: true });
      if (parsed.error) errors[k] = parsed.error;
      else out[k] = parsed.fen;
    }
    if (v.collateralState) out.collateralState = v.collateralState;
    return { data: out as Partial<PostReportData>, errors };
  }
  for (const k of FIRST_YES_NO) if (v[k]) out[k] = v[k];
  if (v.evidence.length > 0) out.evidence = v.evidence;
  return { data: out as Partial<FirstReportData>, errors };
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
