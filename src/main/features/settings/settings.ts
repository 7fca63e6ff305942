import type { Settings } from '../../../shared/ipc/settings';
import { recordAudit } from '../../kernel/audit';
import { requirePermission, requireSession } from '../../kernel/authz';
import type { AppContext } from '../../kernel/context';
import { readInspectionRules, readSettings, writeSettings } from '../../kernel/settings';
import type { InspectionRules } from '../../../shared/domain/inspectionPlan';
import { requireStore } from '../../kernel/store';
import { withKeyring } from '../keys/keys';

export async function getSettings(ctx: AppContext): Promise<Settings> {
  requirePermission(ctx, 'settings.manage');
  return readSettings(requireStore(ctx).db);
}

export async function updateSettings(ctx: AppContext, input: Settings): Promise<Settings> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const before = await readSettings(store.db);
  // The sign-in page shows the institution before the store is open, so the keyring carries a copy: on one PC
  // written after the commit (a crash in between is put right when the store next opens), on the branch server
  // in the same transaction; every PC's remembered name follows at its next sign-in.
  await withKeyring(ctx, store, async (trx, keyring) => {
    await writeSettings(trx, input);
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'settings.update', entity: 'settings', entityId: 'app', detail: { before, after: input } });
    keyring.institution = input.institution;
    keyring.branch = input.branch;
  });
  if (store.kind === 'branch' && ctx.config.server) ctx.saveConfig({ server: { ...ctx.config.server, institution: input.institution, branch: input.branch } });
  s.idleMinutes = input.idleMinutes;
  return input;
}

export async function settingsLimits(ctx: AppContext): Promise<{ attachmentMaxMb: number; ltvLimitPercent: number; receiptChaseDays: number }> {
  requireSession(ctx);
  const s = await readSettings(requireStore(ctx).db);
  return { attachmentMaxMb: s.attachmentMaxMb, ltvLimitPercent: s.ltvLimitPercent, receiptChaseDays: s.receiptChaseDays };
}

export async function getInspectionRules(ctx: AppContext): Promise<InspectionRules> {
  requirePermission(ctx, 'settings.manage');
  return readInspectionRules(requireStore(ctx).db);
}

/**
 * Saves the inspection rules (audited before → after). Inspections already planned keep their dates; the rules
 * apply wherever planning next runs (a new loan, a change of class or tier, a drawdown, the daily batch).
 */
export async function updateInspectionRules(ctx: AppContext, input: InspectionRules): Promise<InspectionRules> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const before = await readInspectionRules(store.db);
  await store.db.transaction().execute(async (trx) => {
    const value = JSON.stringify(input);
    await trx.insertInto('settings').values({ key: 'inspectionRules', value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'settings.inspectionRules', entity: 'settings', entityId: 'inspectionRules', detail: { before, after: input } });
  });
  return readInspectionRules(store.db);
}
