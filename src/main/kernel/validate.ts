import type { z } from 'zod';
import type { FieldIssue } from '../../shared/ipc/errors';
import { issueMessage } from '../../shared/ipc/issueMessage';
import type { AppContext } from './context';

/** Turns zod's issues into one user-facing message per field, in the user's language. */
export function fieldIssues(ctx: AppContext, error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return { path, message: issueMessage((key, params) => ctx.t(key, params), i, path) };
  });
}
