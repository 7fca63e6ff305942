import type { FormErrors } from '@mantine/form';
import type { z } from 'zod';
import { issueMessage, type Translate } from '../../../shared/ipc/issueMessage';

/**
 * A @mantine/form `validate` function from a zod schema: zod 4's safeParse, each issue worded as main would
 * word it (shared issueMessage), keyed by its dot path ('items.0.name'). The first issue of a field wins.
 * `mapPath` renames a path when the form's fields are not named as the schema's (e.g. 'data.x' → 'x').
 */
export function zodResolver<S extends z.ZodType>(schema: S, t: Translate, mapPath: (path: string) => string = (p) => p) {
  return (values: unknown): FormErrors => {
    const r = schema.safeParse(values);
    if (r.success) return {};
    const errors: FormErrors = {};
    for (const issue of r.error.issues) {
      const path = issue.path.map(String).join('.');
      const key = mapPath(path);
      // A custom check that already worded its message in the user's language (e.g. yuanField).
      const worded = issue.code === 'custom' && (issue.params as { worded?: boolean } | undefined)?.worded;
      errors[key] ??= worded ? issue.message : issueMessage(t, issue, path);
    }
    return errors;
  };
}
