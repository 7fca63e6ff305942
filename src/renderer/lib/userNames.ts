import { useIpcQuery } from './data/useIpc';

/**
 * People by their display names: username → name for every user of the branch (users.names, open to anyone
 * signed in), read once and kept a few minutes. An unknown username (or one not yet loaded) shows as itself.
 */
export function useUserNames(): (username: string | null | undefined) => string {
  const names = useIpcQuery('users.names', {}, { staleTime: 5 * 60_000, select: (list) => new Map(list.map((u) => [u.username, u.displayName])) }).data;
  return (username) => (username ? (names?.get(username) ?? username) : '—');
}
