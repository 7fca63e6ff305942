import type { TFunction } from 'i18next';
import type { Locale } from '../../shared/ipc/app';
import { amountInWords, formatFen, parseYuanToFen } from '../../shared/domain';

const YUAN_SHAPE = /^-?(\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

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
    if (!YUAN_SHAPE.test(s)) return { fen: null, error: t('portfolio.amount.format') };
    if (s.startsWith('-')) return { fen: null, error: t('portfolio.amount.negative') };
    if (/\.\d{3,}$/.test(s)) return { fen: null, error: t('portfolio.amount.decimals') };
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

/** Fen → yuan text for an input's initial value: 150000 → "1500.00"; null → "". */
export function fenToInput(fen: number | null): string {
  return fen === null ? '' : formatFen(fen).replaceAll(',', '');
}
