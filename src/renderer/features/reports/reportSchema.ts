import type { TFunction } from 'i18next';
import { z } from 'zod';
import type { Locale } from '../../../shared/ipc/app';
import { date } from '../../../shared/ipc/fields';
import { firstReportData, postReportData, type ReportData } from '../../../shared/ipc/reports';
import { normaliseDateText } from '../../lib/dates';
import { yuanField } from '../../lib/forms/yuanField';
import { AMOUNT_KEYS, type FormKind } from './reportForm';

/** '' (nothing typed or chosen yet) → undefined, the rest trimmed. */
const blankToUndefined = z.string().transform((s) => s.trim() || undefined);

/**
 * What the form sends as a draft, from the contract's own report schemas: every field optional (a draft may be
 * partial) but each present one held to its rule; amounts typed in yuan. Output: `{ visitDate, data }`, the
 * input of reports.create/update. What is missing is named by main on submission (reports.submit).
 */
export function reportDraftSchema(kind: FormKind, t: TFunction, locale: Locale) {
  const contract = kind === 'post' ? postReportData : firstReportData;
  const fields: Record<string, z.ZodType> = {};
  // Each field's rule is the contract's; only its input type (what the form holds) is widened here.
  for (const [key, rule] of Object.entries(contract.shape) as [string, z.ZodType<unknown, any>][]) {
    if ((AMOUNT_KEYS as readonly string[]).includes(key)) {
      // The collateral's value may be unknown (or there is none): empty is null, and the key is always sent.
      fields[key] = key === 'collateralValueFen' ? yuanField(rule, { t, locale, emptyAs: null, allowZero: true }) : yuanField(rule.optional(), { t, locale, allowZero: true });
    } else if (key === 'evidence') {
      fields[key] = z.array(z.string()).transform((a) => (a.length ? a : undefined)).pipe(rule.optional());
    } else {
      fields[key] = blankToUndefined.pipe(rule.optional());
    }
  }
  return z
    .object({ visitDate: z.string().transform(normaliseDateText).pipe(date), ...fields })
    .transform(({ visitDate, ...data }) => ({
      visitDate,
      data: Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as ReportData,
    }));
}
