import type { Kysely } from 'kysely';
import type { Settings } from '../../shared/ipc/settings';
import type { Database } from '../db/schema';
import { withDefaultRules, type InspectionRules } from '../../shared/domain/inspectionPlan';

export const DEFAULT_SETTINGS: Settings = {
  institution: '',
  branch: '',
  idleMinutes: 15,
  ltvLimitPercent: 70,
  allocationOrder: ['penalty', 'interest', 'principal'],
  // Multi-page contract scans run to tens of MB.
  attachmentMaxMb: 50,
  extensionLeadDays: 15,
  receiptChaseDays: 15,
  reminderLeadDays: 3,
  maturityReminderLeadDays: 30,
  overdueNoticeRepeatDays: 30,
  retentionYears: 30,
  debtRatioLimitPercent: 70,
  debtRatioJumpPoints: 10,
  worklogMinGood: 1,
  worklogMinNormal: 1,
  worklogMinRisk: 1,
  legalMinDpd: 90,
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

/** The inspection rules (a settings row of their own, `inspectionRules`), over today's defaults. */
export async function readInspectionRules(db: Kysely<Database>): Promise<InspectionRules> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'inspectionRules').executeTakeFirst();
  return withDefaultRules(row ? (JSON.parse(row.value) as Partial<InspectionRules>) : null);
}
