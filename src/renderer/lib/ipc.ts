import type { Channel, Input, Output } from '../../shared/ipc/contract';
import type { ErrorCode, ErrorRef, FieldIssue, Result } from '../../shared/ipc/errors';
import { i18n } from '../i18n';

export class IpcError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  /** The existing record the error is about, e.g. the borrower that already has this ID number. */
  readonly ref: ErrorRef | null;
  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = [], ref: ErrorRef | null = null) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.issues = issues;
    this.ref = ref;
  }
}

let onLocked: (() => void) | null = null;

/** Called whenever main answers LOCKED, so the app can re-read its state and show the lock screen. */
export function setLockedHandler(handler: (() => void) | null): void {
  onLocked = handler;
}

type Args<C extends Channel> = Record<never, never> extends Input<C> ? [input?: Input<C>] : [input: Input<C>];

export async function invoke<C extends Channel>(channel: C, ...args: Args<C>): Promise<Output<C>> {
  let result: Result<Output<C>>;
  try {
    result = (await window.api.invoke(channel, args[0] ?? {})) as Result<Output<C>>;
  } catch {
    throw new IpcError('INTERNAL', i18n.t('errors.network'));
  }
  if (result.ok) return result.value;
  const { code, message, issues, ref } = result.error;
  if (code === 'LOCKED' && channel !== 'app.info') onLocked?.();
  throw new IpcError(code, message, issues, ref ?? null);
}
