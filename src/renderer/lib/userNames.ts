import { useTranslation } from 'react-i18next';
import { useIpcQuery } from './data/useIpc';

/**
 * People by their display names: username → name for every user of the branch (users.names, open to anyone
 * signed in), read once and kept a few minutes. An unknown username (or one not yet loaded) shows as itself.
 * The daily batch's actor, `system`, is worded here, in the UI's language, so a switch of language shows at once.
 */
export function useUserNames(): (username: string | null | undefined) => string {
  const { t } = useTranslation();
  const names = useIpcQuery('users.names', {}, { staleTime: 5 * 60_000, select: (list) => new Map(list.map((u) => [u.username, u.displayName])) }).data;
  return (username) => (!username ? '—' : username === 'system' ? t('app.system') : (names?.get(username) ?? username));
}
