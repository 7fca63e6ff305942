import type { FormErrors } from '@mantine/form';
import { IpcError } from '../ipc';

/**
 * Main's field issues (a refused call) as form errors on the fields the form has; the rest are returned, to be
 * shown above the form. `mapPath` as in zodResolver.
 */
export function serverIssues(e: unknown, fields: readonly string[], mapPath: (path: string) => string = (p) => p): { errors: FormErrors; rest: string[] } {
  const errors: FormErrors = {};
  const rest: string[] = [];
  if (!(e instanceof IpcError)) return { errors, rest };
  for (const issue of e.issues) {
    const key = mapPath(issue.path);
    const top = key.split('.')[0];
    if (fields.includes(top)) errors[key] ??= issue.message;
    else rest.push(issue.message);
  }
  return { errors, rest };
}
