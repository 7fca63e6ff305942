import { addDays, daysBetween, limitationExpiry } from '../../shared/domain';
import type { TodayArchive, TodayCollections } from '../../shared/ipc/today';
import { can, seesAllLoans } from '../../shared/permissions';
import { archiveGaps } from './archive';
import type { AppContext, Session } from '../kernel/context';
import { pendingChanges } from './loanChanges';
import { readSettings } from '../kernel/settings';
import type { Store } from '../kernel/store';

const LIMIT = 100;

/**
 * Collections for today: claims whose limitation period ends within 180 days (warned at 180, 90 and 30),
 * broken promises, receipts to chase, and extension or write-off requests waiting for this user.
 * The expiry here ignores the holiday rule (Art. 203); the loan page shows the exact date.
 */
export async function collectionsToday(ctx: AppContext, store: Store, s: Session, asOf: string): Promise<TodayCollections> {
  const mine = !seesAllLoans(s.roles);
  const who = mine ? 'AND l.officer = @me' : '';
  const params = { asOf, me: s.username, horizon: addDays(asOf, -3 * 365 + 180) };
  // The latest interruption on or after maturity, per loan whose maturity could put it within 180 days of expiry.
  const rows = store.sqlite
    .prepare(
      `SELECT l.id, l.contract_no, b.name, l.maturity_date,
         max(l.maturity_date,
             coalesce((SELECT max(n.signed_on) FROM notices n WHERE n.loan_id = l.id AND n.receipt_status = 'returned' AND n.addressee_kind = 'borrower'), ''),
             coalesce((SELECT max(r.paid_on) FROM effective_repayments r WHERE r.loan_id = l.id), ''),
             coalesce((SELECT max(p.made_on) FROM promises p WHERE p.loan_id = l.id), ''),
             coalesce((SELECT max(e.event_date) FROM limitation_events e WHERE e.loan_id = l.id), '')) AS last
       FROM loans l JOIN borrowers b ON b.id = l.borrower_id
       WHERE l.status IN ('active', 'written-off') AND l.maturity_date <= @asOf AND l.maturity_date >= date(@horizon, '-10 years') ${who}`,
    )
    .all(params) as { id: number; contract_no: string; name: string; maturity_date: string; last: string }[];
  const limitation = rows
    .map((r) => {
      const expiry = limitationExpiry({ dueDate: r.maturity_date, interruptions: r.last > r.maturity_date ? [r.last] : [] });
      const daysLeft = daysBetween(asOf, expiry);
      return { loanId: r.id, contractNo: r.contract_no, borrowerName: r.name, expiry, daysLeft, warning: daysLeft < 0 ? ('expired' as const) : daysLeft <= 30 ? ('30' as const) : daysLeft <= 90 ? ('90' as const) : ('180' as const) };
    })
    .filter((r) => r.daysLeft <= 180)
    .sort((a, b) => a.daysLeft - b.daysLeft);
  const broken = store.sqlite
    .prepare(
      `SELECT p.id, p.loan_id, l.contract_no, b.name, p.amount_fen, p.promise_date,
         coalesce((SELECT sum(r.amount_fen) FROM effective_repayments r WHERE r.loan_id = p.loan_id AND r.paid_on BETWEEN p.made_on AND p.promise_date), 0) AS paid
       FROM promises p JOIN loans l ON l.id = p.loan_id JOIN borrowers b ON b.id = l.borrower_id
       WHERE p.promise_date < @asOf AND p.promise_date >= date(@asOf, '-30 days') ${who}`,
    )
    .all(params) as { id: number; loan_id: number; contract_no: string; name: string; amount_fen: number; promise_date: string; paid: number }[];
  const brokenPromises = broken
    .filter((p) => p.paid < p.amount_fen)
    .map((p) => ({ promiseId: p.id, loanId: p.loan_id, contractNo: p.contract_no, borrowerName: p.name, amountFen: p.amount_fen, promiseDate: p.promise_date, paidFen: p.paid }));
  const chaseDays = (await readSettings(store.db)).receiptChaseDays;
  const cutoff = new Date(ctx.clock.now().getTime() - chaseDays * 86_400_000).toISOString();
  const chase = store.sqlite
    .prepare(
      `SELECT n.serial, n.loan_id, l.contract_no, n.addressee_name, n.printed_at FROM notices n JOIN loans l ON l.id = n.loan_id
       WHERE n.receipt_status = 'pending' AND n.printed_at <= @cutoff ${who} ORDER BY n.printed_at LIMIT 500`,
    )
    .all({ ...params, cutoff }) as { serial: string; loan_id: number; contract_no: string; addressee_name: string; printed_at: string }[];
  const changes = await pendingChanges(ctx);
  return {
    limitation: limitation.slice(0, LIMIT),
    brokenPromises: brokenPromises.slice(0, LIMIT),
    receiptsToChase: chase.slice(0, LIMIT).map((n) => ({ serial: n.serial, loanId: n.loan_id, contractNo: n.contract_no, addressee: n.addressee_name, printedOn: n.printed_at.slice(0, 10) })),
    changesToDecide: changes.slice(0, LIMIT),
    counts: { limitation: limitation.length, brokenPromises: brokenPromises.length, receiptsToChase: chase.length, changesToDecide: changes.length },
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
