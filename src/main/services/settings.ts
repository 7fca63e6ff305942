import type { Kysely } from 'kysely';
import type { Settings } from '../../shared/ipc/settings';
import type { Database } from '../db/schema';
import { recordAudit } from './audit';
import type { AppContext } from './context';
import { loadKeyring, saveKeyring } from './keys';
import { requirePermission, requireSession } from './session';
import { requireStore } from './store';

export const DEFAULT_SETTINGS: Settings = {
  institution: '',
  branch: '',
  idleMinutes: 15,
  ltvLimitPercent: 70,
  allocationOrder: ['penalty', 'interest', 'principal'],
  attachmentMaxMb: 20,
  extensionLeadDays: 15,
  receiptChaseDays: 15,
  reminderLeadDays: 3,
  maturityReminderLeadDays: 30,
  overdueNoticeRepeatDays: 30,
  retentionYears: 30,
};

/** Stored values over the defaults: a key never saved (e.g. one added after setup) reads as its default. */
export async function readSettings(db: Kysely<Database>): Promise<Settings> {
  const rows = await db.selectFrom('settings').selectAll().execute();
  const stored = Object.fromEntries(rows.filter((r) => r.key in DEFAULT_SETTINGS).map((r) => [r.key, JSON.parse(r.value) as unknown]));
  return { ...DEFAULT_SETTINGS, ...stored } as Settings;
}

export async function writeSettings(db: Kysely<Database>, s: Partial<Settings>): Promise<void> {
  for (const [key, value] of Object.entries(s)) {
    await db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
      .execute();
  }
}

export async function getSettings(ctx: AppContext): Promise<Settings> {
  requirePermission(ctx, 'settings.manage');
  return readSettings(requireStore(ctx).db);
}

export async function updateSettings(ctx: AppContext, input: Settings): Promise<Settings> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const before = await readSettings(store.db);
  await store.db.transaction().execute(async (trx) => {
    await writeSettings(trx, input);
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'settings.update', entity: 'settings', entityId: 'app', detail: { before, after: input } });
  });
  // The login screen shows the institution before the store is open, so the keyring carries a copy (written
  // after the commit; a crash in between is put right when the store next opens).
  const keyring = loadKeyring(ctx, store.dir);
  keyring.institution = input.institution;
  keyring.branch = input.branch;
  saveKeyring(ctx, store.dir, keyring);
  s.idleMinutes = input.idleMinutes;
  return input;
}

export async function settingsLimits(ctx: AppContext): Promise<{ attachmentMaxMb: number; ltvLimitPercent: number; receiptChaseDays: number }> {
  requireSession(ctx);
  const s = await readSettings(requireStore(ctx).db);
  return { attachmentMaxMb: s.attachmentMaxMb, ltvLimitPercent: s.ltvLimitPercent, receiptChaseDays: s.receiptChaseDays };
}
