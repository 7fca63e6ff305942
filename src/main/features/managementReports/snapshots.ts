import { addDays, endOfMonth } from '../../../shared/domain/dates';
import { DEFAULT_PROVISION_RATES, isProvisionRates, type ProvisionRates } from '../../../shared/domain/provisioning';
import { AppError } from '../../../shared/ipc/errors';
import type { SnapshotActivity, SnapshotView } from '../../../shared/ipc/managementReports';
import type { AppContext } from '../../kernel/context';
import { today } from '../../kernel/context';
import { requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { recordAudit } from '../../kernel/audit';
import { requireStore, type Store } from '../../kernel/store';
import { activityFor, loansOnBooks, type Db, type LoanFact } from './compute';

export const SYSTEM_ACTOR = 'system';
/** The settings key of the provisioning rates (not part of the general settings form). */
export const RATES_KEY = 'management.provisionRates';
/** How far back the sign-in job fills missing month-ends. */
export const MONTH_ENDS_BACK = 24;
const SNAPSHOT_ROWS_PER_INSERT = 500;

interface SnapshotRow {
  id: number;
  as_of: string;
  kind: 'month-end' | 'on-demand';
  supersedes: number | null;
  reason: string | null;
  taken_at: string;
  taken_by: string;
  provision_rates: string;
  activity: string;
  loans: number;
  balance_fen: number;
}

export async function readProvisionRates(db: Db): Promise<ProvisionRates> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', RATES_KEY).executeTakeFirst();
  if (!r) return structuredClone(DEFAULT_PROVISION_RATES);
  const v = JSON.parse(r.value) as unknown;
  return isProvisionRates(v) ? v : structuredClone(DEFAULT_PROVISION_RATES);
}

export async function getProvisionRates(ctx: AppContext): Promise<ProvisionRates> {
  return readProvisionRates(requireStore(ctx).db);
}

export async function setProvisionRates(ctx: AppContext, input: ProvisionRates): Promise<ProvisionRates> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const value = { byLevel: { ...input.byLevel }, factoringReserveMinBp: input.factoringReserveMinBp };
  await store.db.transaction().execute(async (trx) => {
    // Read in the write transaction, so that the audit entry's `before` is what this change replaced.
    const before = await readProvisionRates(trx);
    const json = JSON.stringify(value);
    await trx.insertInto('settings').values({ key: RATES_KEY, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'managementReports.setProvisionRates', entity: 'settings', entityId: RATES_KEY, detail: { before, after: value } });
  });
  return value;
}

function view(r: SnapshotRow, current: boolean): SnapshotView {
  return { id: r.id, asOf: r.as_of, kind: r.kind, supersedes: r.supersedes, current, reason: r.reason, takenAt: r.taken_at, takenBy: r.taken_by, loans: r.loans, balanceFen: r.balance_fen };
}

/** The snapshot in force for a date: the newest one taken of it. */
export async function currentSnapshot(db: Db, asOf: string): Promise<SnapshotRow | null> {
  return (await db.selectFrom('portfolio_snapshots').selectAll().where('as_of', '=', asOf).orderBy('id', 'desc').limit(1).executeTakeFirst()) ?? null;
}

export async function snapshotLoans(db: Db, id: number): Promise<LoanFact[]> {
  return db.selectFrom('portfolio_snapshot_loans').selectAll().where('snapshot_id', '=', id).orderBy('loan_id').execute();
}

/** The loans and the period's activity of a date: from its snapshot if there is one, else computed now and not stored. */
export async function factsAt(
  db: Db,
  asOf: string,
): Promise<{ source: 'snapshot' | 'live'; snapshot: SnapshotRow | null; facts: LoanFact[]; activity: SnapshotActivity; rates: ProvisionRates }> {
  const snap = await currentSnapshot(db, asOf);
  if (snap) {
    return {
      source: 'snapshot',
      snapshot: snap,
      facts: await snapshotLoans(db, snap.id),
      activity: { reportsSigned: null, ...(JSON.parse(snap.activity) as Omit<SnapshotActivity, 'reportsSigned'>) },
      rates: JSON.parse(snap.provision_rates) as ProvisionRates,
    };
  }
  const rates = await readProvisionRates(db);
  const chase = (await readSettings(db)).receiptChaseDays;
  return { source: 'live', snapshot: null, facts: await loansOnBooks(db, asOf, rates), activity: await activityFor(db, asOf, chase), rates };
}

/** Computes and stores a snapshot of `asOf` with its audit entry, in one transaction. */
async function storeSnapshot(ctx: AppContext, store: Store, asOf: string, actor: string, opts: { supersedes: SnapshotRow | null; reason: string | null }): Promise<SnapshotView> {
  const at = ctx.nowIso();
  const kind = endOfMonth(asOf) === asOf ? 'month-end' : 'on-demand';
  // One transaction for the figures, their storing and the audit entry. On SQLite it begins IMMEDIATE (db/open.ts):
  // the write lock is held from the first read, so nothing commits between the figures and their storing.
  const row = await store.db.transaction().execute(async (trx) => {
    const rates = await readProvisionRates(trx);
    const chase = (await readSettings(trx)).receiptChaseDays;
    const facts = await loansOnBooks(trx, asOf, rates);
    const activity = await activityFor(trx, asOf, chase);
    const balance = facts.reduce((n, f) => n + f.balance_fen, 0);
    const snapshot = await trx
      .insertInto('portfolio_snapshots')
      .values({
        as_of: asOf,
        kind,
        supersedes: opts.supersedes?.id ?? null,
        reason: opts.reason,
        taken_at: at,
        taken_by: actor,
        provision_rates: JSON.stringify(rates),
        activity: JSON.stringify(activity),
        loans: facts.length,
        balance_fen: balance,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const snapshotId = snapshot.id;
    // Several rows a statement (22 values each, well under SQLite's bound-parameter limit).
    for (let i = 0; i < facts.length; i += SNAPSHOT_ROWS_PER_INSERT) {
      await trx
        .insertInto('portfolio_snapshot_loans')
        .values(facts.slice(i, i + SNAPSHOT_ROWS_PER_INSERT).map((f) => ({ snapshot_id: snapshotId, ...f })))
        .execute();
    }
    const before = opts.supersedes ? { snapshotId: opts.supersedes.id, loans: opts.supersedes.loans, balanceFen: opts.supersedes.balance_fen, takenAt: opts.supersedes.taken_at } : null;
    await recordAudit(trx, at, {
      actor,
      action: opts.supersedes ? 'managementReports.retakeSnapshot' : 'managementReports.takeSnapshot',
      entity: 'portfolioSnapshot',
      entityId: asOf,
      reason: opts.reason ?? undefined,
      detail: { snapshotId, kind, loans: facts.length, balanceFen: balance, before },
    });
    return snapshot;
  });
  return view(row, true);
}

function assertPast(ctx: AppContext, asOf: string): void {
  if (asOf > today(ctx)) throw new AppError('RULE_VIOLATION', ctx.t('managementReports.errors.future'), [{ path: 'asOf', message: ctx.t('managementReports.errors.future') }]);
}

/** On demand, for any date up to today that has no snapshot yet. */
export async function takeSnapshot(ctx: AppContext, input: { asOf: string }): Promise<SnapshotView> {
  const s = requirePermission(ctx, 'portfolio.reports');
  const store = requireStore(ctx);
  assertPast(ctx, input.asOf);
  if (await currentSnapshot(store.db, input.asOf)) throw new AppError('CONFLICT', ctx.t('managementReports.errors.exists', { date: ctx.day(input.asOf) }));
  return storeSnapshot(ctx, store, input.asOf, s.username, { supersedes: null, reason: null });
}

/**
 * A date that already has a snapshot is taken again only by a supervisor, with a reason: a new version that names
 * the one it replaces (which is kept), recorded in the audit trail with the figures before and after.
 */
export async function retakeSnapshot(ctx: AppContext, input: { asOf: string; reason: string }): Promise<SnapshotView> {
  const s = requirePermission(ctx, 'classification.approve');
  const store = requireStore(ctx);
  assertPast(ctx, input.asOf);
  return storeSnapshot(ctx, store, input.asOf, s.username, { supersedes: await currentSnapshot(store.db, input.asOf), reason: input.reason });
}

export async function listSnapshots(ctx: AppContext): Promise<SnapshotView[]> {
  requirePermission(ctx, 'portfolio.reports');
  const store = requireStore(ctx);
  const rows = await store.db.selectFrom('portfolio_snapshots').selectAll().orderBy('as_of', 'desc').orderBy('id', 'desc').execute();
  const seen = new Set<string>();
  return rows.map((r) => {
    const current = !seen.has(r.as_of);
    seen.add(r.as_of);
    return view(r, current);
  });
}

/** The month-ends before today, newest first, back to the first disbursement (at most MONTH_ENDS_BACK). */
export function pastMonthEnds(todayDate: string, firstStart: string | null, back = MONTH_ENDS_BACK): string[] {
  if (!firstStart) return [];
  const out: string[] = [];
  let d = addDays(`${todayDate.slice(0, 7)}-01`, -1);
  while (out.length < back && d >= endOfMonth(firstStart)) {
    out.push(d);
    d = addDays(`${d.slice(0, 7)}-01`, -1);
  }
  return out;
}

/** Takes every missing month-end snapshot (as `system`); the job after a sign-in. Returns the dates taken. */
export async function fillMonthEnds(ctx: AppContext, store: Store): Promise<string[]> {
  const first = (await store.db.selectFrom('loans').select((eb) => eb.fn.min('start_date').as('d')).executeTakeFirst())?.d ?? null;
  const taken: string[] = [];
  for (const asOf of pastMonthEnds(today(ctx), first).reverse()) {
    if (await currentSnapshot(store.db, asOf)) continue;
    await storeSnapshot(ctx, store, asOf, SYSTEM_ACTOR, { supersedes: null, reason: null });
    taken.push(asOf);
  }
  return taken;
}

const running = new WeakMap<AppContext, Promise<string[]>>();

/** After a sign-in or unlock has been answered: fills the missing month-ends in the background, once at a time. */
export function monthEndsAfterSignIn(ctx: AppContext): Promise<string[]> {
  const store = ctx.store;
  if (!store) return Promise.resolve([]);
  const prev = running.get(ctx) ?? Promise.resolve([]);
  const next = prev
    .catch(() => [])
    .then(() => (ctx.store === store ? fillMonthEnds(ctx, store) : []))
    .catch((e: unknown) => {
      // A store closed under the job (the app killed, a test's PC gone) is no failure to report: what is missing
      // is taken after the next sign-in, each snapshot being one transaction.
      if (ctx.store === store) console.error('[managementReports] month-end snapshots failed', e);
      return [];
    });
  running.set(ctx, next);
  return next;
}

/** Resolves once the month-end snapshots started at sign-in have finished (before sign-out and quit). */
export async function monthEndsSettled(ctx: AppContext): Promise<void> {
  await (running.get(ctx) ?? Promise.resolve([]));
}

export async function recordProvisionHeld(ctx: AppContext, input: { asOf: string; heldFen: number; note: string }): Promise<{ asOf: string; heldFen: number }> {
  const s = requirePermission(ctx, 'portfolio.reports');
  const store = requireStore(ctx);
  assertPast(ctx, input.asOf);
  const at = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('provision_held').values({ as_of: input.asOf, held_fen: input.heldFen, note: input.note, entered_by: s.username, entered_at: at }).execute();
    await recordAudit(trx, at, { actor: s.username, action: 'managementReports.recordProvisionHeld', entity: 'provisionHeld', entityId: input.asOf, detail: { heldFen: input.heldFen, note: input.note } });
  });
  return { asOf: input.asOf, heldFen: input.heldFen };
}

export async function provisionHeld(db: Db, asOf: string): Promise<number | null> {
  const r = await db.selectFrom('provision_held').select('held_fen').where('as_of', '=', asOf).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r?.held_fen ?? null;
}
