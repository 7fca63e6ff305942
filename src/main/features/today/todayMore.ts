import { addDays, addYearsRolling, businessDateOf, daysBetween, limitationExpiry } from '../../../shared/domain';
import type { TodayArchive, TodayCollections } from '../../../shared/ipc/today';
import { can, seesAllLoans } from '../../../shared/permissions';
import { archiveGaps } from '../archive/archive';
import type { AppContext, Session } from '../../kernel/context';
import { pendingChanges } from '../loanChanges/loanChanges';
import { legalToday, plansToDecide } from '../legal/queries';
import { readSettings } from '../../kernel/settings';
import type { Store } from '../../kernel/store';

const LIMIT = 100;

/**
 * Collections for today: claims whose limitation period ends within 180 days (warned at 180, 90 and 30),
 * broken promises, receipts to chase, extension or write-off requests waiting for this user, and the deadlines of
 * open legal cases (enforcement application, preservations ending).
 * The expiry here ignores the holiday rule (Art. 203); the loan page shows the exact date.
 */
export async function collectionsToday(ctx: AppContext, store: Store, s: Session, asOf: string): Promise<TodayCollections> {
  const mine = !seesAllLoans(s.roles);
  const horizon = addDays(asOf, -3 * 365 + 180);
  const lower = addYearsRolling(horizon, -10);
  // The latest interruption on or after maturity, per loan whose maturity could put it within 180 days of expiry.
  const found = await store.db
    .selectFrom('loans as l')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select((eb) => [
      'l.id',
      'l.contract_no',
      'b.name',
      'l.maturity_date',
      eb
        .selectFrom('notices as n')
        .select((e) => e.fn.max('n.signed_on').as('m'))
        .whereRef('n.loan_id', '=', 'l.id')
        .where('n.receipt_status', '=', 'returned')
        .where('n.addressee_kind', '=', 'borrower')
        .as('signed'),
      eb.selectFrom('effective_repayments as r').select((e) => e.fn.max('r.paid_on').as('m')).whereRef('r.loan_id', '=', 'l.id').as('paid'),
      eb.selectFrom('promises as p').select((e) => e.fn.max('p.made_on').as('m')).whereRef('p.loan_id', '=', 'l.id').as('promised'),
      eb.selectFrom('limitation_events as e').select((e) => e.fn.max('e.event_date').as('m')).whereRef('e.loan_id', '=', 'l.id').as('event'),
      eb.selectFrom('legal_cases as c').select((e) => e.fn.max('c.filed_on').as('m')).whereRef('c.loan_id', '=', 'l.id').as('filed'),
    ])
    .where('l.status', 'in', ['active', 'written-off'])
    .where('l.maturity_date', '<=', asOf)
    .where('l.maturity_date', '>=', lower)
    .$if(mine, (q) => q.where('l.officer', '=', s.username))
    .execute();
  const rows = found.map((r) => ({ ...r, last: [r.maturity_date, r.signed ?? '', r.paid ?? '', r.promised ?? '', r.event ?? '', r.filed ?? ''].reduce((m, d) => (d > m ? d : m)) }));
  const limitation = rows
    .map((r) => {
      const expiry = limitationExpiry({ dueDate: r.maturity_date, interruptions: r.last > r.maturity_date ? [r.last] : [] });
      const daysLeft = daysBetween(asOf, expiry);
      return { loanId: r.id, contractNo: r.contract_no, borrowerName: r.name, expiry, daysLeft, warning: daysLeft < 0 ? ('expired' as const) : daysLeft <= 30 ? ('30' as const) : daysLeft <= 90 ? ('90' as const) : ('180' as const) };
    })
    .filter((r) => r.daysLeft <= 180)
    .sort((a, b) => a.daysLeft - b.daysLeft);
  const broken = await store.db
    .selectFrom('promises as p')
    .innerJoin('loans as l', 'l.id', 'p.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select((eb) => [
      'p.id',
      'p.loan_id',
      'l.contract_no',
      'b.name',
      'p.amount_fen',
      'p.promise_date',
      eb.fn
        .coalesce(
          eb
            .selectFrom('effective_repayments as r')
            .select((e) => e.fn.sum<number>('r.amount_fen').as('s'))
            .whereRef('r.loan_id', '=', 'p.loan_id')
            .whereRef('r.paid_on', '>=', 'p.made_on')
            .whereRef('r.paid_on', '<=', 'p.promise_date'),
          eb.lit(0),
        )
        .as('paid'),
    ])
    .where('p.promise_date', '<', asOf)
    .where('p.promise_date', '>=', addDays(asOf, -30))
    .$if(mine, (q) => q.where('l.officer', '=', s.username))
    .execute();
  const brokenPromises = broken
    .filter((p) => p.paid < p.amount_fen)
    .map((p) => ({ promiseId: p.id, loanId: p.loan_id, contractNo: p.contract_no, borrowerName: p.name, amountFen: p.amount_fen, promiseDate: p.promise_date, paidFen: p.paid }));
  const chaseDays = (await readSettings(store.db)).receiptChaseDays;
  const cutoff = new Date(ctx.clock.now().getTime() - chaseDays * 86_400_000).toISOString();
  const chase = await store.db
    .selectFrom('notices as n')
    .innerJoin('loans as l', 'l.id', 'n.loan_id')
    .select(['n.serial', 'n.loan_id', 'l.contract_no', 'n.addressee_name', 'n.printed_at'])
    .where('n.receipt_status', '=', 'pending')
    .where('n.printed_at', '<=', cutoff)
    .$if(mine, (q) => q.where('l.officer', '=', s.username))
    .orderBy('n.printed_at')
    .limit(500)
    .execute();
  const changes = await pendingChanges(ctx);
  const legal = await legalToday(store, s, asOf, mine);
  const plans = await plansToDecide(store, s);
  return {
    limitation: limitation.slice(0, LIMIT),
    brokenPromises: brokenPromises.slice(0, LIMIT),
    receiptsToChase: chase.slice(0, LIMIT).map((n) => ({ serial: n.serial, loanId: n.loan_id, contractNo: n.contract_no, addressee: n.addressee_name, printedOn: n.printed_at ? businessDateOf(n.printed_at) : '' })),
    changesToDecide: changes.slice(0, LIMIT),
    legal: legal.slice(0, LIMIT),
    plansToDecide: plans.slice(0, LIMIT),
    counts: { limitation: limitation.length, brokenPromises: brokenPromises.length, receiptsToChase: chase.length, changesToDecide: changes.length, legal: legal.length, plansToDecide: plans.length },
  };
}

/** Archive work: files out past their due date, and loans whose file is incomplete (the newest 200 loans checked). */
export async function archiveToday(ctx: AppContext, store: Store, s: Session, asOf: string): Promise<TodayArchive> {
  const all = can(s.roles, 'archive.manage') || seesAllLoans(s.roles);
  let q = store.db
    .selectFrom('file_loans as f')
    .innerJoin('loans as l', 'l.id', 'f.loan_id')
    .select(['f.loan_id', 'l.contract_no', 'f.borrower_user', 'f.due_back'])
    .where('f.returned_on', 'is', null)
    .where('f.due_back', '<', asOf);
  if (!all) q = q.where('f.borrower_user', '=', s.username);
  const overdue = await q.orderBy('f.due_back').limit(LIMIT).execute();
  const gaps = (await archiveGaps(ctx, {}, 200)).filter((g) => all || g.officer === s.username);
  return {
    overdueLendings: overdue.map((o) => ({ loanId: o.loan_id, contractNo: o.contract_no, borrowerUser: o.borrower_user, dueBack: o.due_back, daysOver: daysBetween(o.due_back, asOf) })),
    gaps: gaps.slice(0, LIMIT),
    counts: { overdueLendings: overdue.length, gaps: gaps.length },
  };
}
