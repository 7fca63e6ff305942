export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'LOCKED',
  'RULE_VIOLATION',
  'IO',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one input field; `path` is the field path, `message` user-facing. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Points at an existing record the message is about, e.g. the borrower that already has this ID number. */
export interface ErrorRef {
  entity: string;
  id: number;
}

export interface IpcError {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
  ref?: ErrorRef;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Thrown by services; crosses the boundary as `{code, message, issues}`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues?: FieldIssue[];
  readonly ref?: ErrorRef;
  constructor(code: ErrorCode, message: string, issues?: FieldIssue[], ref?: ErrorRef) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
    this.ref = ref;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
