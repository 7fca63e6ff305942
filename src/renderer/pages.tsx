import type { Permission } from '../shared/permissions';
import { AuditPage } from './features/audit/AuditPage';
import { HomePage } from './features/home/HomePage';
import { SettingsPage } from './features/settings/SettingsPage';
import { UsersPage } from './features/users/UsersPage';

export type Page = 'home' | 'users' | 'settings' | 'audit';

/** The workspace's pages in navbar order, each with the permission it needs (null: everyone). */
export const PAGES: readonly { id: Page; permission: Permission | null }[] = [
  { id: 'home', permission: null },
  { id: 'users', permission: 'users.manage' },
  { id: 'settings', permission: 'settings.manage' },
  { id: 'audit', permission: 'audit.verify' },
];

export function allowedPages(permissions: readonly Permission[]): Page[] {
  return PAGES.filter((p) => p.permission === null || permissions.includes(p.permission)).map((p) => p.id);
}

export function PageView({ page }: { page: Page }) {
  switch (page) {
    case 'users':
      return <UsersPage />;
    case 'settings':
      return <SettingsPage />;
    case 'audit':
      return <AuditPage />;
    default:
      return <HomePage />;
  }
}
