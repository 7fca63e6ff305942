import { notifications } from '@mantine/notifications';
import { i18n } from '../i18n';
import { IpcError } from './ipc';

export function errorMessage(e: unknown): string {
  return e instanceof IpcError ? e.message : i18n.t('errors.internal');
}

export function notifyError(e: unknown): void {
  if (e instanceof IpcError && e.code === 'LOCKED') return; // the lock screen takes over
  const message = errorMessage(e);
  // The same refusal from several reads at once (a page's queries) is shown once: the id makes a repeat a no-op.
  notifications.show({ id: `error:${message}`, color: 'red', message, autoClose: 8000 });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message });
}
