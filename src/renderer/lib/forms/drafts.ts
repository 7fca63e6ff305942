import type { UseFormReturnType } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { invoke } from '../ipc';

/** Saves still waiting for their pause, by form: flushed before the session locks or the form goes away. */
const pending = new Map<string, () => Promise<void>>();

/** Writes every draft still waiting; called before locking (idle or by hand) and logging out. */
export async function flushDrafts(): Promise<void> {
  await Promise.allSettled([...pending.values()].map((f) => f()));
}

export const DRAFT_PAUSE_MS = 600;

export interface Draft {
  /** When the draft now shown was saved, if the form opened with one. */
  restoredAt: string | null;
  /** Whether the draft has been read (the form may be shown). */
  ready: boolean;
  /** Drops the draft and puts the form back as it was saved. */
  discard: () => void;
  /** Forgets the draft once its content has been saved for real. */
  clear: () => Promise<void>;
}

/**
 * A form's working copy, kept by main (drafts.*) for the signed-in user under `formKey`: what is typed is saved
 * after a short pause, and the form opens with it again after leaving the page, the lock screen or a restart.
 * A form put back as it was saved has no draft. `formKey` null (a record not the user's to edit): no draft.
 */
export function useDraft<V extends Record<string, unknown>>(formKey: string | null, form: UseFormReturnType<V>): Draft {
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const [ready, setReady] = useState(formKey === null);
  const lastSaved = useRef<string | null>(null);
  const hasDraft = useRef(false);
  const values = JSON.stringify(form.values);

  // Read once per form: a draft, if any, replaces what the form opened with (it is newer by construction).
  useEffect(() => {
    if (!formKey) return;
    let stale = false;
    invoke('drafts.get', { formKey })
      .then((d) => {
        if (stale) return;
        if (d) {
          try {
            form.setValues(JSON.parse(d.values) as Partial<V>);
            hasDraft.current = true;
            lastSaved.current = d.values;
            setRestoredAt(d.savedAt);
          } catch {
            // An unreadable draft is as good as none.
          }
        }
        setReady(true);
      })
      .catch(() => !stale && setReady(true));
    return () => {
      stale = true;
    };
    // The form object is stable; only another key is another draft.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formKey]);

  const initial = JSON.stringify(form.getInitialValues());
  useEffect(() => {
    if (!formKey || !ready || values === lastSaved.current) return;
    const write = async () => {
      pending.delete(formKey);
      if (values === initial) {
        if (hasDraft.current) await invoke('drafts.clear', { formKey }).catch(() => {});
        hasDraft.current = false;
      } else {
        await invoke('drafts.save', { formKey, values }).catch(() => {});
        hasDraft.current = true;
      }
      lastSaved.current = values;
    };
    pending.set(formKey, write);
    const timer = setTimeout(() => void write(), DRAFT_PAUSE_MS);
    return () => {
      clearTimeout(timer);
      // Leaving the page (or the next keystroke): a save still due is written now, or by the next effect.
      queueMicrotask(() => {
        const due = pending.get(formKey);
        if (due === write) void write();
      });
    };
  }, [formKey, ready, values, initial]);

  return {
    restoredAt,
    ready,
    discard: () => {
      form.setValues(form.getInitialValues());
      setRestoredAt(null);
    },
    clear: async () => {
      if (!formKey) return;
      pending.delete(formKey);
      lastSaved.current = JSON.stringify(form.getValues());
      setRestoredAt(null);
      if (hasDraft.current) await invoke('drafts.clear', { formKey }).catch(() => {});
      hasDraft.current = false;
    },
  };
}
