import { useMutation, useQuery, useQueryClient, type UseMutationOptions, type UseQueryOptions } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Channel, Input, Output } from '../../../shared/ipc/contract';
import { invoke, type IpcError } from '../ipc';
import { notifyError } from '../notify';
import { touchedBy } from './invalidation';

type Args<C extends Channel> = Record<never, never> extends Input<C> ? [input?: Input<C>] : [input: Input<C>];

/** The query key of a read: the channel, then its input. */
export const ipcKey = <C extends Channel>(channel: C, input?: Input<C>) => [channel, input ?? {}] as const;

type QueryOpts<C extends Channel, T> = Omit<UseQueryOptions<Output<C>, IpcError, T, readonly unknown[]>, 'queryKey' | 'queryFn'> & {
  /** The page says nothing of a failure (a preview that is simply not shown while the input is refused). */
  quiet?: boolean;
  /** The UI language, for a read that main words in it: an answer in another language is another answer. */
  wordedIn?: string;
};

/**
 * A read through the typed contract, cached under [channel, input] (and the language, for `wordedIn`) and
 * refetched after the writes that touch its feature. A failed read is shown as a notification once (LOCKED
 * leaves it to the lock screen). Pass `enabled: false` to wait for an input.
 */
export function useIpcQuery<C extends Channel, T = Output<C>>(channel: C, input: Input<C>, opts: QueryOpts<C, T> = {}) {
  const { quiet = false, wordedIn, ...rest } = opts;
  const q = useQuery<Output<C>, IpcError, T, readonly unknown[]>({
    queryKey: wordedIn ? [channel, input ?? {}, wordedIn] : [channel, input ?? {}],
    queryFn: () => invoke(channel, ...([input] as Args<C>)),
    ...rest,
  });
  const failed = quiet ? null : q.error;
  useEffect(() => {
    if (failed) notifyError(failed);
  }, [failed]);
  return q;
}

type MutationOpts<C extends Channel> = Omit<UseMutationOptions<Output<C>, IpcError, Input<C>>, 'mutationFn'> & {
  /** Features to refetch beyond those the channel touches by default (invalidation.ts). */
  alsoTouches?: readonly string[];
};

/**
 * A write through the typed contract. On success every cached read of the features it touches is marked
 * stale (and those on screen refetch); `isPending` replaces a hand-kept busy flag.
 */
export function useIpcMutation<C extends Channel>(channel: C, opts: MutationOpts<C> = {}) {
  const client = useQueryClient();
  const { alsoTouches = [], onSuccess, ...rest } = opts;
  return useMutation<Output<C>, IpcError, Input<C>>({
    mutationFn: (input) => invoke(channel, ...([input] as Args<C>)),
    ...rest,
    onError: (e, ...more) => {
      // Refused as stale (someone at another PC changed it first): what is on screen is reloaded.
      if (e.code === 'CONFLICT') void client.invalidateQueries();
      return rest.onError?.(e, ...more);
    },
    onSuccess: async (...args) => {
      await invalidateFeatures(client, [...touchedBy(channel), ...alsoTouches]);
      await onSuccess?.(...args);
    },
  });
}

/** Marks every cached read of these features stale; those in use refetch. */
export function invalidateFeatures(client: ReturnType<typeof useQueryClient>, features: readonly string[]) {
  const set = new Set(features);
  return client.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && set.has(q.queryKey[0].slice(0, q.queryKey[0].indexOf('.'))) });
}

/**
 * A read asked for on demand rather than shown (a file to save or check: a PDF, a workbook). Nothing is cached and
 * nothing refetched after it; `isPending` is the button's busy state. A failure is shown as a notification unless
 * the caller places it itself (`onError`).
 */
export function useIpcCall<C extends Channel>(channel: C, opts: Omit<UseMutationOptions<Output<C>, IpcError, Input<C>>, 'mutationFn'> = {}) {
  return useMutation<Output<C>, IpcError, Input<C>>({ mutationFn: (input) => invoke(channel, ...([input] as Args<C>)), onError: notifyError, ...opts });
}
