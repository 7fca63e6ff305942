import type { z } from 'zod';
import { catalogues, lookup, type MessageKey } from '../i18n';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * One user-facing message for one zod issue, in the language `t` speaks. Main words the issues of a refused
 * call with it, and the renderer's forms word the same schemas' issues with it before a call is made, so a
 * field says the same thing whichever side noticed.
 */
export function issueMessage(t: Translate, i: z.core.$ZodIssue, path: string): string {
  // Schemas name their own message by catalogue key (see `msg` in fields.ts).
  if (i.message.startsWith('validation.') && lookup(catalogues['zh-CN'], i.message)) return t(i.message as MessageKey);
  switch (i.code) {
    case 'invalid_type':
      // A field that is simply not there is a missing answer, not a wrong one.
      return (i as { input?: unknown }).input === undefined ? t('validation.required') : t('validation.invalidType');
    case 'too_small': {
      const min = Number(i.minimum);
      if (i.origin === 'string') return min <= 1 ? t('validation.required') : t('validation.tooShort', { min });
      if (i.origin === 'array') return t('validation.required');
      return t('validation.tooSmall', { min });
    }
    case 'too_big': {
      const max = Number(i.maximum);
      return i.origin === 'string' ? t('validation.tooLong', { max }) : t('validation.tooBig', { max });
    }
    case 'invalid_format':
      return /username$/i.test(path) ? t('validation.username') : t('validation.invalidType');
    case 'unrecognized_keys':
      return t('validation.unknownField', { keys: i.keys.join(', ') });
    case 'invalid_value':
      return t('validation.invalidValue');
    default:
      return t('validation.invalidType');
  }
}
