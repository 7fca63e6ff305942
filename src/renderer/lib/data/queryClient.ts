import { QueryClient } from '@tanstack/react-query';
import { IpcError } from '../ipc';

let shared = false;

/** Set from `AppInfo.server`: on the branch server other PCs write too. */
export function setSharedStore(onServer: boolean): void {
  shared = onServer;
}

/**
 * One client for the window. Main answers from its database, so a retry would only repeat a refusal. Answers
 * stay fresh until a write touches them (see invalidation.ts) or the page is opened again; on the branch server,
 * where other PCs write too, also when the user comes back to the window.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: false,
      refetchOnWindowFocus: () => shared,
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
