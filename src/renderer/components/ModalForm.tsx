import { Alert, Button, Group, Modal, Stack, type ButtonProps, type ModalProps } from '@mantine/core';
import type { FormErrors } from '@mantine/form';
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { IpcError } from '../lib/ipc';
import { serverIssues } from '../lib/forms/serverIssues';
import { notifyError } from '../lib/notify';

interface FormLike<V> {
  onSubmit: (handler: (values: V) => void) => (e?: React.FormEvent<HTMLFormElement>) => void;
  setErrors: (errors: FormErrors) => void;
  getValues: () => V;
}

interface Props<V> {
  opened?: boolean;
  onClose: () => void;
  title: ReactNode;
  form: FormLike<V>;
  /** Runs with valid values (the schema passed); a rejection is shown: field issues on the fields, the rest above them. */
  onSubmit: (values: V) => Promise<unknown>;
  /** The write is under way (the mutation's isPending): the button spins, the dialog stays. */
  busy: boolean;
  submitLabel: ReactNode;
  submitColor?: ButtonProps['color'];
  cancelLabel?: ReactNode;
  size?: ModalProps['size'];
  /** Main's issue path → the form's field (default: as is). */
  mapPath?: (path: string) => string;
  /** The test id of the alert above the fields (a rule that names no field). */
  errorTestId?: string;
  children: ReactNode;
}

/**
 * The one dialog around a form: title, fields, cancel and submit. Enter submits from a one-line field,
 * Ctrl+Enter (⌘+Enter) from a multi-line one. A refusal from main shows its field issues on the fields and
 * anything else (`{code, message}`) above them; a LOCKED session is left to the lock screen.
 */
export function ModalForm<V>({ opened = true, onClose, title, form, onSubmit, busy, submitLabel, submitColor, cancelLabel, size, mapPath, errorTestId = 'form-error', children }: Props<V>) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);

  const submit = form.onSubmit((values) => {
    setFailure(null);
    onSubmit(values).catch((e: unknown) => {
      if (!(e instanceof IpcError)) return notifyError(e);
      if (e.code === 'LOCKED') return;
      const fields = Object.keys(form.getValues() as object);
      const { errors, rest } = serverIssues(e, fields, mapPath);
      form.setErrors(errors);
      if (Object.keys(errors).length === 0 || rest.length > 0) setFailure([e.message, ...rest].join(' '));
    });
  });

  const ctrlEnter = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target instanceof HTMLTextAreaElement) {
      e.preventDefault();
      e.currentTarget.requestSubmit();
    }
  };

  return (
    <Modal opened={opened} onClose={busy ? () => {} : onClose} title={title} centered size={size}>
      <form noValidate onSubmit={submit} onKeyDown={ctrlEnter}>
        <Stack gap="sm">
          {failure && (
            <Alert color="red" variant="light" data-testid={errorTestId}>
              {failure}
            </Alert>
          )}
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {cancelLabel ?? t('forms.cancel')}
            </Button>
            <Button type="submit" color={submitColor} loading={busy}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
