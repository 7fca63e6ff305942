import { QueryClient } from '@tanstack/react-query';
import { IpcError } from '../ipc';

/**
 * One client for the window. Main answers from a local database, so a retry would only repeat a refusal, and
 * the window's focus says nothing about the data: answers stay fresh until a write touches them (see
 * invalidation.ts) or the page is opened again.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: false,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      // A page opened again asks again: another user's write (branch server) or the day's batch may have moved it.
      staleTime: 0,
      throwOnError: false,
    },
    mutations: { retry: false },
  },
});

/** A locked session drops every answer: the next user, or the same after unlocking, asks afresh. */
export function isLocked(e: unknown): boolean {
  return e instanceof IpcError && e.code === 'LOCKED';
}
