import type { SessionInfo } from '../../shared/ipc/session';
import type { Permission } from '../../shared/permissions';
import { useAppInfo } from './appInfo';

/** The signed-in user; only used below ActiveSession, where there always is one. */
export function useSession(): SessionInfo {
  const session = useAppInfo().info.session;
  if (!session) throw new Error('useSession without a session');
  return session;
}

export function useCan(permission: Permission): boolean {
  return useSession().permissions.includes(permission);
}
