import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import { AppError } from '../../shared/ipc/errors';
import { seesAllLoans } from '../../shared/permissions';
import type { BorrowersTable, Database } from '../db/schema';
import type { AppContext, Session } from './context';
import type { Store } from './store';

type Db = Kysely<Database> | Transaction<Database>;
export type BorrowerRow = Omit<BorrowersTable, 'id'> & { id: number };

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
