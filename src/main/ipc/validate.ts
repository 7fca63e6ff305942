import type { z } from 'zod';
import type { FieldIssue } from '../../shared/ipc/errors';
import { catalogues, lookup, type MessageKey } from '../../shared/i18n';
import type { AppContext } from '../kernel/context';

/** Turns zod's issues into one user-facing message per field, in the user's language. */
export function fieldIssues(ctx: AppContext, error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return { path, message: messageOf(ctx, i, path) };
  });
}

function messageOf(ctx: AppContext, i: z.core.$ZodIssue, path: string): string {
  // Schemas name their own message by catalogue key (see `msg` in shared/ipc/fields.ts).
  if (i.message.startsWith('validation.') && lookup(catalogues['zh-CN'], i.message)) return ctx.t(i.message as MessageKey);
  switch (i.code) {
    case 'invalid_type':
      // A field that is simply not there is a missing answer, not a wrong one.
      return (i as { input?: unknown }).input === undefined ? ctx.t('validation.required') : ctx.t('validation.invalidType');
    case 'too_small': {
      const min = Number(i.minimum);
      if (i.origin === 'string') return min <= 1 ? ctx.t('validation.required') : ctx.t('validation.tooShort', { min });
      if (i.origin === 'array') return ctx.t('validation.required');
      return ctx.t('validation.tooSmall', { min });
    }
    case 'too_big': {
      const max = Number(i.maximum);
      return i.origin === 'string' ? ctx.t('validation.tooLong', { max }) : ctx.t('validation.tooBig', { max });
    }
    case 'invalid_format':
      return /username$/i.test(path) ? ctx.t('validation.username') : ctx.t('validation.invalidType');
    case 'unrecognized_keys':
      return ctx.t('validation.unknownField', { keys: i.keys.join(', ') });
    case 'invalid_value':
      return ctx.t('validation.invalidValue');
    default:
      return ctx.t('validation.invalidType');
  }
}
