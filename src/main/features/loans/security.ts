import type { Kysely, Transaction } from 'kysely';
import { securityOf, type GuaranteeMode } from '../../../shared/ipc/loans';
import type { Database } from '../../db/schema';

/**
 * The security a loan has: its contract's modes joined with the guarantors and collateral registered on it
 * (`securityOf`). What the loan page shows, what the inspection report asks about and what the archive's checklist
 * expects on file.
 */
export async function loanSecurity(db: Kysely<Database> | Transaction<Database>, loan: { id: number; guarantee_modes: string }): Promise<GuaranteeMode[]> {
  const guarantors = await db.selectFrom('loan_guarantees').select((e) => e.fn.countAll<number>().as('n')).where('loan_id', '=', loan.id).executeTakeFirstOrThrow();
  const collateral = await db.selectFrom('collateral').select('kind').distinct().where('loan_id', '=', loan.id).execute();
  return securityOf(JSON.parse(loan.guarantee_modes) as string[], { guarantors: Number(guarantors.n), collateralKinds: collateral.map((c) => c.kind) });
}
