import type { TFunction } from 'i18next';
import { z } from 'zod';
import type { Locale } from '../../../shared/ipc/app';
import { parseYuan } from '../money';

export interface YuanOptions {
  t: TFunction;
  locale: Locale;
  /** What an empty field becomes: undefined (left out) or null ("unknown"); the contract's rule may refuse it. */
  emptyAs?: null | undefined;
  allowZero?: boolean;
}

/**
 * A form field typed as yuan text: checked and turned into fen by the domain's parser (which refuses, never
 * rounds; its message says why), then held to the contract's own rule for the amount (`fenRule`, e.g. the
 * channel schema's `shape.amountFen`).
 */
export function yuanField<R extends z.ZodType>(fenRule: R, { t, locale, emptyAs, allowZero = false }: YuanOptions) {
  return z
    .string()
    .transform((text, ctx) => {
      if (!text.trim()) return emptyAs;
      const parsed = parseYuan(text, t, locale, { allowZero });
      if (parsed.error !== null) {
        ctx.addIssue({ code: 'custom', message: parsed.error, params: { worded: true } });
        return z.NEVER;
      }
      return parsed.fen;
    })
    .pipe(fenRule as unknown as z.ZodType<z.output<R>, number | null | undefined>);
}
