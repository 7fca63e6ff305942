import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';

/**
 * The debtor signed the receipt of the seller's assignment notice (应收账款转让通知书): the receivables that notice
 * named (the debtor's on the financing, entered by the time it was prepared) count as confirmed by receipt, unless
 * they already are confirmed. Runs in the receipt's transaction.
 */
export async function confirmByAssignmentReceipt(
  trx: Transaction<Database>,
  p: { loanId: number; debtorName: string; noticePreparedAt: string; signedOn: string; serial: string; actor: string; now: string },
): Promise<number[]> {
  const rows = await trx
    .selectFrom('receivables as r')
    .innerJoin('debtors as d', 'd.id', 'r.debtor_id')
    .select(['r.id', 'r.invoice_no'])
    .where('r.loan_id', '=', p.loanId)
    .where('d.name', '=', p.debtorName)
    .where('r.confirmation', '=', 'none')
    .where((eb) => eb.or([eb('r.added_at', 'is', null), eb('r.added_at', '<=', p.noticePreparedAt)]))
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  await trx.updateTable('receivables').set({ confirmation: 'receipt', confirmed_on: p.signedOn, confirmation_note: `转让通知书回执 ${p.serial}` }).where('id', 'in', ids).execute();
  await recordAudit(trx, p.now, { actor: p.actor, action: 'factoring.confirmByReceipt', entity: 'loan', entityId: String(p.loanId), detail: { serial: p.serial, signedOn: p.signedOn, invoices: rows.map((r) => r.invoice_no) } });
  return ids;
}
