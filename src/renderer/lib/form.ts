import { useState, type ChangeEvent } from 'react';
import type { Locale } from '../../shared/ipc/app';
import { useLocale } from './appInfo';
import { notifyError } from './notify';
import { IpcError } from './ipc';

export type FieldErrors<T> = Partial<Record<keyof T & string, string>>;

/**
 * Controlled form state plus per-field errors, which main's `issues` can fill. `mapPath` names the field an
 * issue's path belongs to when the form's fields are not named as the channel's input (default: its first part).
 */
export function useFormState<T extends Record<string, unknown>>(initial: T, mapPath?: (path: string) => string) {
  const [values, setValues] = useState<T>(initial);
  // Messages are in the language they were made in; after a language switch they are dropped.
  const locale = useLocale();
  const [stored, setStored] = useState<{ locale: Locale; errors: FieldErrors<T> }>({ locale, errors: {} });
  const errors: FieldErrors<T> = stored.locale === locale ? stored.errors : {};

  function setErrors(next: FieldErrors<T> | ((prev: FieldErrors<T>) => FieldErrors<T>)): void {
    setStored((s) => ({ locale, errors: typeof next === 'function' ? next(s.locale === locale ? s.errors : {}) : next }));
  }

  function set<K extends keyof T & string>(key: K, value: T[K]): void {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  }

  /** Props for a text-like input bound to `key`. */
  function text<K extends keyof T & string>(key: K) {
    return {
      value: values[key] as string,
      error: errors[key],
      onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(key, e.currentTarget.value as T[K]),
    };
  }

  /** Puts main's issues on the fields they name; returns the issues no field took. */
  function applyIssues(e: IpcError): IpcError['issues'] {
    const next: FieldErrors<T> = {};
    const rest: IpcError['issues'] = [];
    for (const issue of e.issues) {
      const key = mapPath ? mapPath(issue.path) : issue.path.split('.')[0];
      if (key in values) next[key as keyof T & string] ??= issue.message;
      else rest.push(issue);
    }
    setErrors((prev) => ({ ...prev, ...next }));
    return rest;
  }

  /** Field issues go to fields; anything else becomes a notification. */
  function handleError(e: unknown): void {
    if (e instanceof IpcError && e.issues.length > 0) {
      const rest = applyIssues(e);
      if (rest.length === 0) return;
    }
    notifyError(e);
  }

  return { values, setValues, errors, setErrors, set, text, applyIssues, handleError };
}

export type FormState<T extends Record<string, unknown>> = ReturnType<typeof useFormState<T>>;
