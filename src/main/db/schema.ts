import type { Generated } from 'kysely';

export interface UsersTable {
  username: string;
  display_name: string;
  roles: string; // JSON array of Role
  disabled: number;
  must_change_password: number;
  created_at: string;
  updated_at: string;
}

/** Mirror of the keyring's wraps, so a lost keyring can be rebuilt after recovery. */
export interface KeyWrapsTable {
  username: string;
  wrap: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface Database {
  users: UsersTable;
  key_wraps: KeyWrapsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
}
