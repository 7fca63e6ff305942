import type { FormErrors } from '@mantine/form';
import { errorMessage } from '../notify';
import { serverIssues } from './serverIssues';

/**
 * A page form's refused call (the dialog's is ModalForm's): main's field issues go on the form's fields; what
 * names no field comes back as one message for above the form, or null when every issue found its field.
 */
export function applyRefusal(form: { setErrors: (e: FormErrors) => void; getValues: () => object }, e: unknown, mapPath?: (path: string) => string): string | null {
  const { errors, rest } = serverIssues(e, Object.keys(form.getValues()), mapPath);
  form.setErrors(errors);
  return Object.keys(errors).length === 0 || rest.length > 0 ? [errorMessage(e), ...rest].join(' ') : null;
}
