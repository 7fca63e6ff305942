import type { TFunction } from 'i18next';
import type { Locale } from '../../shared/ipc/app';
import { amountInWords, formatFen, normaliseAmountText, parseYuanToFen } from '../../shared/domain';

const YUAN_SHAPE = /^-?(\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?万?$/;

export interface ParsedYuan {
  fen: number | null;
  error: string | null;
}

/**
 * Typed yuan → integer fen with parseYuanToFen, which refuses rather than rounds. In Chinese the domain's own
 * message is shown; in English the same refusal is worded from the catalogue.
 */
export function parseYuan(text: string, t: TFunction, locale: Locale, opts: { optional?: boolean; allowZero?: boolean } = {}): ParsedYuan {
  const s = text.trim();
  if (!s) return opts.optional ? { fen: null, error: null } : { fen: null, error: t('portfolio.amount.required') };
  try {
    const fen = parseYuanToFen(s);
    if (fen === 0 && !opts.allowZero) return { fen: null, error: t('portfolio.amount.positive') };
    return { fen, error: null };
  } catch (e) {
    if (locale === 'zh-CN' && e instanceof RangeError) return { fen: null, error: e.message };
    const n = normaliseAmountText(s);
    if (!YUAN_SHAPE.test(n)) return { fen: null, error: t('portfolio.amount.format') };
    if (n.startsWith('-')) return { fen: null, error: t('portfolio.amount.negative') };
    if (/\.\d{3,}$/.test(n) || /\.\d{7,}万$/.test(n)) return { fen: null, error: t('portfolio.amount.decimals') };
    return { fen: null, error: t('portfolio.amount.range') };
  }
}

/** 123456 → "1,234.56". */
export function yuan(fen: number): string {
  return formatFen(fen);
}

/** 人民币… for a positive amount typed so far, or null while it is not a valid amount. */
export function wordsOf(text: string): string | null {
  try {
    const fen = parseYuanToFen(text.trim());
    return fen > 0 ? amountInWords(fen) : null;
  } catch {
    return null;
  }
}

/**
 * The amount that will be saved, as "50,000.00", when what was typed is not already written that way (万,
 * full-width digits, a closing 元); null otherwise or while it is not a valid amount.
 */
export function parsedOf(text: string): string | null {
  const s = text.trim();
  if (!s || /^\d+(\.\d{1,2})?$/.test(s) || /^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(s)) return null;
  try {
    return formatFen(parseYuanToFen(s));
  } catch {
    return null;
  }
}

/** A valid amount as it is shown read-only, "1,200,000.00"; null while it is not one. */
export function groupedOf(text: string): string | null {
  try {
    return text.trim() ? formatFen(parseYuanToFen(text.trim())) : null;
  } catch {
    return null;
  }
}

/** Fen → yuan text for an input's initial value: 150000 → "1500.00"; null → "". */
export function fenToInput(fen: number | null): string {
  return fen === null ? '' : formatFen(fen).replaceAll(',', '');
}
