import { addDays, endOfMonth } from '../../../shared/domain/dates';
import { DEFAULT_PROVISION_RATES, isProvisionRates, type ProvisionRates } from '../../../shared/domain/provisioning';
import { AppError } from '../../../shared/ipc/errors';
import type { SnapshotActivity, SnapshotView } from '../../../shared/ipc/managementReports';
import type { AppContext } from '../../kernel/context';
import { today } from '../../kernel/context';
import { requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { rawTransaction, recordAuditRaw, requireStore, type Store } from '../../kernel/store';
import { activityFor, loansOnBooks, type LoanFact } from './compute';

export const SYSTEM_ACTOR = 'system';
/** The settings key of the provisioning rates (not part of the general settings form). */
export const RATES_KEY = 'management.provisionRates';
/** How far back the sign-in job fills missing month-ends. */
export const MONTH_ENDS_BACK = 24;

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

export function readProvisionRates(store: Store): ProvisionRates {
  const r = store.sqlite.prepare(`SELECT value FROM settings WHERE key = ?`).get(RATES_KEY) as { value: string } | undefined;
  if (!r) return structuredClone(DEFAULT_PROVISION_RATES);
  const v = JSON.parse(r.value) as unknown;
  return isProvisionRates(v) ? v : structuredClone(DEFAULT_PROVISION_RATES);
}

export async function getProvisionRates(ctx: AppContext): Promise<ProvisionRates> {
  return readProvisionRates(requireStore(ctx));
}

export async function setProvisionRates(ctx: AppContext, input: ProvisionRates): Promise<ProvisionRates> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const before = readProvisionRates(store);
  const value = { byLevel: { ...input.byLevel }, factoringReserveMinBp: input.factoringReserveMinBp };
  rawTransaction(store, () => {
    store.sqlite.prepare(`INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(RATES_KEY, JSON.stringify(value));
    recordAuditRaw(store, ctx.nowIso(), { actor: s.username, action: 'managementReports.setProvisionRates', entity: 'settings', entityId: RATES_KEY, detail: { before, after: value } });
  });
  return value;
}

function view(r: SnapshotRow, current: boolean): SnapshotView {
  return { id: r.id, asOf: r.as_of, kind: r.kind, supersedes: r.supersedes, current, reason: r.reason, takenAt: r.taken_at, takenBy: r.taken_by, loans: r.loans, balanceFen: r.balance_fen };
}

/** The snapshot in force for a date: the newest one taken of it. */
export function currentSnapshot(store: Store, asOf: string): SnapshotRow | null {
  return (store.sqlite.prepare(`SELECT * FROM portfolio_snapshots WHERE as_of = ? ORDER BY id DESC LIMIT 1`).get(asOf) as SnapshotRow | undefined) ?? null;
}

export function snapshotLoans(store: Store, id: number): LoanFact[] {
  return store.sqlite.prepare(`SELECT * FROM portfolio_snapshot_loans WHERE snapshot_id = ? ORDER BY loan_id`).all(id) as LoanFact[];
}

/** The loans and the period's activity of a date: from its snapshot if there is one, else computed now and not stored. */
export async function factsAt(
  store: Store,
  asOf: string,
): Promise<{ source: 'snapshot' | 'live'; snapshot: SnapshotRow | null; facts: LoanFact[]; activity: SnapshotActivity; rates: ProvisionRates }> {
  const snap = currentSnapshot(store, asOf);
  if (snap) {
    return { source: 'snapshot', snapshot: snap, facts: snapshotLoans(store, snap.id), activity: { reportsSigned: null, ...(JSON.parse(snap.activity) as Omit<SnapshotActivity, 'reportsSigned'>) }, rates: JSON.parse(snap.provision_rates) as ProvisionRates };
  }
  const rates = readProvisionRates(store);
  const chase = (await readSettings(store.db)).receiptChaseDays;
  return { source: 'live', snapshot: null, facts: loansOnBooks(store.sqlite, asOf, rates), activity: activityFor(store.sqlite, asOf, chase), rates };
}

/** Computes and stores a snapshot of `asOf` with its audit entry, in one transaction. */
async function storeSnapshot(ctx: AppContext, store: Store, asOf: string, actor: string, opts: { supersedes: SnapshotRow | null; reason: string | null }): Promise<SnapshotView> {
  const rates = readProvisionRates(store);
  const chase = (await readSettings(store.db)).receiptChaseDays;
  const at = ctx.nowIso();
  const kind = endOfMonth(asOf) === asOf ? 'month-end' : 'on-demand';
  const id = rawTransaction(store, () => {
    // Computed inside the write transaction, so nothing changes between the figures and their storing.
    const facts = loansOnBooks(store.sqlite, asOf, rates);
    const activity = activityFor(store.sqlite, asOf, chase);
    const balance = facts.reduce((n, f) => n + f.balance_fen, 0);
    const head = store.sqlite
      .prepare(
        `INSERT INTO portfolio_snapshots (as_of, kind, supersedes, reason, taken_at, taken_by, provision_rates, activity, loans, balance_fen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(asOf, kind, opts.supersedes?.id ?? null, opts.reason, at, actor, JSON.stringify(rates), JSON.stringify(activity), facts.length, balance);
    const snapshotId = Number(head.lastInsertRowid);
    const ins = store.sqlite.prepare(
      `INSERT INTO portfolio_snapshot_loans (snapshot_id, loan_id, contract_no, kind, borrower_id, borrower_name, officer, product, industry, start_date, maturity_date,
         principal_fen, balance_fen, dpd, bucket, level, overdue_principal_fen, overdue_interest_fen, penalty_fen, provision_rate_bp, provision_fen, history_gaps)
       VALUES (@snapshot_id, @loan_id, @contract_no, @kind, @borrower_id, @borrower_name, @officer, @product, @industry, @start_date, @maturity_date,
         @principal_fen, @balance_fen, @dpd, @bucket, @level, @overdue_principal_fen, @overdue_interest_fen, @penalty_fen, @provision_rate_bp, @provision_fen, @history_gaps)`,
    );
    for (const f of facts) ins.run({ snapshot_id: snapshotId, ...f });
    const before = opts.supersedes ? { snapshotId: opts.supersedes.id, loans: opts.supersedes.loans, balanceFen: opts.supersedes.balance_fen, takenAt: opts.supersedes.taken_at } : null;
    recordAuditRaw(store, at, {
      actor,
      action: opts.supersedes ? 'managementReports.retakeSnapshot' : 'managementReports.takeSnapshot',
      entity: 'portfolioSnapshot',
      entityId: asOf,
      reason: opts.reason ?? undefined,
      detail: { snapshotId, kind, loans: facts.length, balanceFen: balance, before },
    });
    return snapshotId;
  });
  return view(store.sqlite.prepare(`SELECT * FROM portfolio_snapshots WHERE id = ?`).get(id) as SnapshotRow, true);
}

function assertPast(ctx: AppContext, asOf: string): void {
  if (asOf > today(ctx)) throw new AppError('RULE_VIOLATION', ctx.t('managementReports.errors.future'), [{ path: 'asOf', message: ctx.t('managementReports.errors.future') }]);
}

/** On demand, for any date up to today that has no snapshot yet. */
export async function takeSnapshot(ctx: AppContext, input: { asOf: string }): Promise<SnapshotView> {
  const s = requirePermission(ctx, 'portfolio.reports');
  const store = requireStore(ctx);
  assertPast(ctx, input.asOf);
  if (currentSnapshot(store, input.asOf)) throw new AppError('CONFLICT', ctx.t('managementReports.errors.exists', { date: input.asOf }));
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
  return storeSnapshot(ctx, store, input.asOf, s.username, { supersedes: currentSnapshot(store, input.asOf), reason: input.reason });
}

export async function listSnapshots(ctx: AppContext): Promise<SnapshotView[]> {
  requirePermission(ctx, 'portfolio.reports');
  const rows = requireStore(ctx).sqlite.prepare(`SELECT * FROM portfolio_snapshots ORDER BY as_of DESC, id DESC`).all() as SnapshotRow[];
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
  const first = (store.sqlite.prepare(`SELECT min(start_date) AS d FROM loans`).get() as { d: string | null }).d;
  const taken: string[] = [];
  for (const asOf of pastMonthEnds(today(ctx), first).reverse()) {
    if (currentSnapshot(store, asOf)) continue;
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
      console.error('[managementReports] month-end snapshots failed', e);
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
  rawTransaction(store, () => {
    store.sqlite.prepare(`INSERT INTO provision_held (as_of, held_fen, note, entered_by, entered_at) VALUES (?, ?, ?, ?, ?)`).run(input.asOf, input.heldFen, input.note, s.username, at);
    recordAuditRaw(store, at, { actor: s.username, action: 'managementReports.recordProvisionHeld', entity: 'provisionHeld', entityId: input.asOf, detail: { heldFen: input.heldFen, note: input.note } });
  });
  return { asOf: input.asOf, heldFen: input.heldFen };
}

export function provisionHeld(store: Store, asOf: string): number | null {
  const r = store.sqlite.prepare(`SELECT held_fen FROM provision_held WHERE as_of = ? ORDER BY id DESC LIMIT 1`).get(asOf) as { held_fen: number } | undefined;
  return r?.held_fen ?? null;
}
