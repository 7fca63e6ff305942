/**
 * 催收队列: overdue loans assigned to collectors (the collector role), worked worst bucket and largest amount first,
 * and what each collector achieved. A collector sees and works only the loans assigned to them now (kernel/authz.ts
 * lets them open those); supervisors assign and see every queue.
 */
import { businessDateOf, REACHED_OUTCOMES } from '../../../shared/domain';
import { AppError } from '../../../shared/ipc/errors';
import type { CollectorResult, CollectorView, QueueRow } from '../../../shared/ipc/collections';
import { can, type Role } from '../../../shared/permissions';
import { recordAudit } from '../../kernel/audit';
import { requirePermission, requireSession } from '../../kernel/authz';
import { type AppContext, today } from '../../kernel/context';
import { requireStore, type Store } from '../../kernel/store';

async function collectorsOf(store: Store): Promise<CollectorView[]> {
  const users = await store.db.selectFrom('users').select(['username', 'display_name', 'roles', 'disabled']).execute();
  const counts = await store.db.selectFrom('collection_assignments').select(['collector', (eb) => eb.fn.countAll<number>().as('n')]).where('ended_at', 'is', null).groupBy('collector').execute();
  const n = new Map(counts.map((c) => [c.collector, Number(c.n)]));
  return users
    .filter((u) => !u.disabled && (JSON.parse(u.roles) as Role[]).includes('collector'))
    .map((u) => ({ username: u.username, displayName: u.display_name, loans: n.get(u.username) ?? 0 }))
    .sort((a, b) => a.username.localeCompare(b.username));
}

export async function listCollectors(ctx: AppContext): Promise<CollectorView[]> {
  requirePermission(ctx, 'collections.assign');
  return collectorsOf(requireStore(ctx));
}

/** The queue: a collector's own; an assigner may ask for one collector's, the unassigned, or every overdue loan. */
function requireQueue(ctx: AppContext) {
  const s = requireSession(ctx);
  if (!can(s.roles, 'collections.queue') && !can(s.roles, 'collections.assign')) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
  return s;
}

export async function collectionQueue(ctx: AppContext, input: { collector: string | null; unassignedOnly: boolean }): Promise<QueueRow[]> {
  const s = requireQueue(ctx);
  const store = requireStore(ctx);
  const assigner = can(s.roles, 'collections.assign');
  const collector = assigner ? input.collector : s.username;
  let q = store.db
    .selectFrom('loans as l')
    .innerJoin('loan_status as st', 'st.loan_id', 'l.id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .leftJoin('collection_assignments as a', (j) => j.onRef('a.loan_id', '=', 'l.id').on('a.ended_at', 'is', null))
    .select([
      'l.id as loanId',
      'l.contract_no as contractNo',
      'b.name as borrowerName',
      'b.phone as borrowerPhone',
      'l.officer',
      'a.collector',
      'a.assigned_at as assignedAt',
      'st.dpd',
      'st.bucket',
      'st.overdue_principal_fen',
      'st.overdue_interest_fen',
      'st.penalty_fen',
      'st.balance_fen as balanceFen',
    ])
    .where('l.status', '=', 'active')
    .where('st.dpd', '>', 0);
  if (collector !== null) q = q.where('a.collector', '=', collector);
  else if (input.unassignedOnly) q = q.where('a.collector', 'is', null);
  const rows = await q.execute();
  const ids = rows.map((r) => r.loanId);
  const last = new Map<number, string>();
  const open = new Map<number, number>();
  if (ids.length) {
    for (const c of await store.db.selectFrom('contacts').select(['loan_id', (eb) => eb.fn.max('contacted_on').as('on')]).where('loan_id', 'in', ids).groupBy('loan_id').execute()) last.set(c.loan_id, c.on);
    const promises = await store.db.selectFrom('promises').select(['loan_id', 'made_on', 'promise_date', 'amount_fen']).where('loan_id', 'in', ids).where('promise_date', '>=', today(ctx)).execute();
    const pays = await store.db.selectFrom('effective_repayments').select(['loan_id', 'paid_on', 'amount_fen']).where('loan_id', 'in', ids).execute();
    for (const p of promises) {
      const paid = pays.filter((x) => x.loan_id === p.loan_id && x.paid_on >= p.made_on && x.paid_on <= p.promise_date).reduce((n, x) => n + x.amount_fen, 0);
      if (paid < p.amount_fen) open.set(p.loan_id, (open.get(p.loan_id) ?? 0) + 1);
    }
  }
  return rows
    .map((r) => ({
      loanId: r.loanId,
      contractNo: r.contractNo,
      borrowerName: r.borrowerName,
      borrowerPhone: r.borrowerPhone,
      officer: r.officer,
      collector: r.collector ?? null,
      assignedAt: r.assignedAt ?? null,
      dpd: r.dpd,
      bucket: r.bucket,
      overdueFen: r.overdue_principal_fen + r.overdue_interest_fen + r.penalty_fen,
      balanceFen: r.balanceFen,
      lastContactOn: last.get(r.loanId) ?? null,
      openPromises: open.get(r.loanId) ?? 0,
    }))
    .sort((a, b) => b.dpd - a.dpd || b.overdueFen - a.overdueFen || a.contractNo.localeCompare(b.contractNo));
}

/** Assigns overdue active loans to a collector (ending any earlier assignment), or takes them back with null. */
export async function assignCollector(ctx: AppContext, input: { loanIds: number[]; collector: string | null }): Promise<QueueRow[]> {
  const s = requirePermission(ctx, 'collections.assign');
  const store = requireStore(ctx);
  if (input.collector !== null && !(await collectorsOf(store)).some((c) => c.username === input.collector)) {
    throw new AppError('RULE_VIOLATION', ctx.t('collectionQueue.notACollector', { name: input.collector }), [{ path: 'collector', message: ctx.t('collectionQueue.notACollector', { name: input.collector }) }]);
  }
  const ids = [...new Set(input.loanIds)];
  const loans = await store.db.selectFrom('loans as l').innerJoin('loan_status as st', 'st.loan_id', 'l.id').select(['l.id', 'l.contract_no', 'l.status', 'st.dpd']).where('l.id', 'in', ids).execute();
  if (loans.length !== ids.length) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchLoan'));
  const notOverdue = loans.filter((l) => l.status !== 'active' || l.dpd === 0).map((l) => l.contract_no);
  if (input.collector !== null && notOverdue.length) throw new AppError('RULE_VIOLATION', ctx.t('collectionQueue.notOverdue', { loans: notOverdue.join('、') }));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('collection_assignments').set({ ended_at: now, ended_by: s.username }).where('loan_id', 'in', ids).where('ended_at', 'is', null).execute();
    if (input.collector !== null) {
      await trx.insertInto('collection_assignments').values(ids.map((loan_id) => ({ loan_id, collector: input.collector!, assigned_by: s.username, assigned_at: now, ended_at: null, ended_by: null }))).execute();
    }
    await recordAudit(trx, now, { actor: s.username, action: input.collector ? 'collections.assign' : 'collections.unassign', entity: 'collector', entityId: input.collector ?? '-', detail: { loans: loans.map((l) => l.contract_no) } });
  });
  return collectionQueue(ctx, { collector: input.collector, unassignedOnly: false });
}

/** Each collector's work between two dates; a collector sees their own line only. */
export async function collectorResults(ctx: AppContext, input: { from: string; to: string }): Promise<CollectorResult[]> {
  const s = requireQueue(ctx);
  const store = requireStore(ctx);
  if (input.from > input.to) throw new AppError('VALIDATION', ctx.t('validation.dateRange'), [{ path: 'to', message: ctx.t('validation.dateRange') }]);
  const everyone = await collectorsOf(store);
  const who = can(s.roles, 'collections.assign') ? everyone : everyone.filter((c) => c.username === s.username);
  const out: CollectorResult[] = [];
  const toEnd = `${input.to}\uffff`;
  for (const c of who) {
    // The periods each loan was assigned to this collector, within the report's dates.
    const spans = await store.db.selectFrom('collection_assignments').select(['loan_id', 'assigned_at', 'ended_at']).where('collector', '=', c.username).where('assigned_at', '<=', toEnd).execute();
    const within = (loanId: number, day: string) => spans.some((a) => a.loan_id === loanId && businessDateOf(a.assigned_at) <= day && (a.ended_at === null || businessDateOf(a.ended_at) >= day));
    const loanIds = [...new Set(spans.map((a) => a.loan_id))];
    let contacts = 0, reached = 0, promises = 0, kept = 0, recovered = 0;
    if (loanIds.length) {
      const cs = await store.db.selectFrom('contacts').select(['loan_id', 'contacted_on', 'outcome', 'created_by']).where('loan_id', 'in', loanIds).where('contacted_on', '>=', input.from).where('contacted_on', '<=', input.to).where('created_by', '=', c.username).execute();
      contacts = cs.length;
      reached = cs.filter((x) => (REACHED_OUTCOMES as readonly string[]).includes(x.outcome)).length;
      const pays = await store.db.selectFrom('effective_repayments').select(['loan_id', 'paid_on', 'amount_fen']).where('loan_id', 'in', loanIds).execute();
      const ps = await store.db.selectFrom('promises').select(['loan_id', 'made_on', 'promise_date', 'amount_fen']).where('loan_id', 'in', loanIds).where('made_on', '>=', input.from).where('made_on', '<=', input.to).where('created_by', '=', c.username).execute();
      promises = ps.length;
      kept = ps.filter((p) => pays.filter((x) => x.loan_id === p.loan_id && x.paid_on >= p.made_on && x.paid_on <= p.promise_date).reduce((n, x) => n + x.amount_fen, 0) >= p.amount_fen).length;
      recovered = pays.filter((x) => x.paid_on >= input.from && x.paid_on <= input.to && within(x.loan_id, x.paid_on)).reduce((n, x) => n + x.amount_fen, 0);
    }
    out.push({ collector: c.username, displayName: c.displayName, loans: c.loans, contacts, reached, promises, promisesKept: kept, recoveredFen: recovered });
  }
  return out;
}
