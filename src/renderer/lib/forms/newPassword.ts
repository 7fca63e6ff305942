import type { TFunction } from 'i18next';
import { z } from 'zod';

/**
 * A channel's schema with a new password typed twice: the password's rule is the contract's own (main checks
 * the rest of the password rule and names the field), and the second entry must match. `confirm` is checked,
 * then left out of the channel's input.
 */
export function withConfirm<S extends z.ZodObject, K extends keyof z.output<S> & string>(schema: S, key: K, t: TFunction, confirmKey = 'confirm') {
  return schema
    .extend({ [confirmKey]: z.string() })
    .superRefine((v, ctx) => {
      const values = v as Record<string, unknown>;
      if (typeof values[key] === 'string' && values[key] !== values[confirmKey]) {
        ctx.addIssue({ code: 'custom', path: [confirmKey], message: t('setup.passwordMismatch'), params: { worded: true } });
      }
    })
    .transform((v) => {
      const { [confirmKey]: _confirm, ...input } = v as Record<string, unknown>;
      return input as z.output<S>;
    });
}
