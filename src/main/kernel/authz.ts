import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import { AppError } from '../../shared/ipc/errors';
import { can, seesAllLoans, type Permission } from '../../shared/permissions';
import type { BorrowersTable, Database, LoansTable } from '../db/schema';
import type { AppContext, Session } from './context';
import type { Store } from './store';

/**
 * Who may do what: the unlocked session, its permissions, and which loans and borrowers it may see. Every
 * feature asks here; nothing here knows a feature.
 */

type Db = Kysely<Database> | Transaction<Database>;
export type BorrowerRow = Omit<BorrowersTable, 'id'> & { id: number };
export type LoanRow = Omit<LoansTable, 'id' | 'status' | 'schedule_version' | 'restructured' | 'npl_before_restructure' | 'extended' | 'allocation_order' | 'contract_amount_fen'> & {
  allocation_order: string;
  contract_amount_fen: number | null;
  id: number;
  status: 'active' | 'closed' | 'written-off';
  schedule_version: number;
  restructured: number;
  npl_before_restructure: number;
  extended: number;
};

/** The unlocked session; locks it first if it has been idle too long. */
export function requireSession(ctx: AppContext): Session {
  const s = ctx.session;
  if (!s || !ctx.store) throw new AppError('LOCKED', ctx.t('errors.notLoggedIn'));
  const now = ctx.clock.now().getTime();
  if (!s.locked && now - s.lastActivity > s.idleMinutes * 60_000) s.locked = true;
  if (s.locked) throw new AppError('LOCKED', ctx.t('errors.sessionLocked'));
  s.lastActivity = now;
  return s;
}

export function requirePermission(ctx: AppContext, p: Permission): Session {
  const s = requireSession(ctx);
  if (!can(s.roles, p)) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
  return s;
}

/**
 * A loan the session may see: officers their own, a collector the loans assigned to them now, other business roles
 * the whole branch.
 */
export async function visibleLoan(ctx: AppContext, store: Store, s: Session, loanId: number): Promise<LoanRow> {
  const loan = (await store.db.selectFrom('loans').selectAll().where('id', '=', loanId).executeTakeFirst()) as LoanRow | undefined;
  if (!loan) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchLoan'));
  if (!seesAllLoans(s.roles) && loan.officer !== s.username && !(await assignedTo(store.db, s, loanId))) throw new AppError('FORBIDDEN', ctx.t('errors.notYourLoan'));
  return loan;
}

/** Whether the loan is in the session user's collection queue (a collector's current assignment). */
async function assignedTo(db: Db, s: Session, loanId: number): Promise<boolean> {
  if (!s.roles.includes('collector')) return false;
  const a = await db.selectFrom('collection_assignments').select('id').where('loan_id', '=', loanId).where('collector', '=', s.username).where('ended_at', 'is', null).executeTakeFirst();
  return !!a;
}

/**
 * Which borrowers an officer manages, as SQL over a column holding a borrower's id: those of the loans they
 * hold (any loan, open or closed), and a borrower no loan refers to yet, when they registered it. Once a
 * borrower has loans, the loans decide; a loan handed to another officer takes the borrower with it.
 */
export function managedBy(username: string, borrowerIdRef: string): RawBuilder<SqlBool> {
  const b = sql.ref(borrowerIdRef);
  return sql<SqlBool>`(EXISTS (SELECT 1 FROM loans ml WHERE ml.borrower_id = ${b} AND ml.officer = ${username})
    OR (NOT EXISTS (SELECT 1 FROM loans ml WHERE ml.borrower_id = ${b})
      AND EXISTS (SELECT 1 FROM borrowers mb WHERE mb.id = ${b} AND mb.created_by = ${username})))`;
}

/** Officers manage the borrowers `managedBy` says; supervisors, risk officers and archivists every borrower. */
export async function managesBorrower(db: Db, s: Session, borrowerId: number): Promise<boolean> {
  if (seesAllLoans(s.roles)) return true;
  const r = await db
    .selectFrom('borrowers as b')
    .select(managedBy(s.username, 'b.id').as('managed'))
    .where('b.id', '=', borrowerId)
    .executeTakeFirst();
  return !!r?.managed;
}

/** A borrower the session may read and change: NOT_FOUND when there is none, FORBIDDEN when it is another officer's. */
export async function visibleBorrower(ctx: AppContext, store: Store, s: Session, borrowerId: number): Promise<BorrowerRow> {
  const r = await store.db.selectFrom('borrowers').selectAll().where('id', '=', borrowerId).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchBorrower'));
  if (!(await managesBorrower(store.db, s, borrowerId))) throw new AppError('FORBIDDEN', ctx.t('errors.notYourBorrower'));
  return r;
}
