import type { AssetKind, AssetLeadView, AssetStatus, OtherContacts } from '../../../shared/ipc/collections';
import { AppError } from '../../../shared/ipc/errors';
import type { AssetLeadsTable } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, today } from '../../kernel/context';
import { requirePermission, visibleLoan } from '../../kernel/authz';
import { requireStore, type Store } from '../../kernel/store';
import { contactsOfBorrower } from '../borrowers/relatedParties';

type LeadRow = Omit<AssetLeadsTable, 'id' | 'status'> & { id: number; status: AssetStatus };

const toView = (r: LeadRow): AssetLeadView => ({
  id: r.id,
  loanId: r.loan_id,
  kind: r.kind,
  description: r.description,
  location: r.location ?? '',
  holder: r.holder ?? '',
  seizedByOthers: r.seized_by_others === 1,
  seizedNote: r.seized_note ?? '',
  source: r.source ?? '',
  foundOn: r.found_on,
  status: r.status,
  statusOn: r.status_on,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

async function leadsOf(store: Store, loanId: number): Promise<AssetLeadView[]> {
  const rows = await store.db.selectFrom('asset_leads').selectAll().where('loan_id', '=', loanId).orderBy('found_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => toView(r as LeadRow));
}

/** A loan's asset leads (财产线索), newest first. */
export async function assetLeads(ctx: AppContext, input: { loanId: number }): Promise<AssetLeadView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  return leadsOf(store, loan.id);
}

const dateError = (ctx: AppContext, path: string) => new AppError('RULE_VIOLATION', ctx.t('errors.assetLeadDate'), [{ path, message: ctx.t('errors.assetLeadDate') }]);

export async function addAssetLead(
  ctx: AppContext,
  input: { loanId: number; kind: AssetKind; description: string; location: string; holder: string; seizedByOthers: boolean; seizedNote: string; source: string; foundOn: string },
): Promise<AssetLeadView[]> {
  const s = requirePermission(ctx, 'collections.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (input.foundOn > today(ctx)) throw dateError(ctx, 'foundOn');
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('asset_leads')
      .values({
        loan_id: loan.id,
        kind: input.kind,
        description: input.description,
        location: input.location || null,
        holder: input.holder || null,
        seized_by_others: input.seizedByOthers ? 1 : 0,
        seized_note: input.seizedNote || null,
        source: input.source || null,
        found_on: input.foundOn,
        status: 'open',
        status_on: input.foundOn,
        created_by: s.username,
        created_at: now,
        updated_by: s.username,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor: s.username, action: 'collections.addAssetLead', entity: 'loan', entityId: String(loan.id), detail: { leadId: r.id, ...input } });
  });
  return leadsOf(store, loan.id);
}

/** A lead's status (with the day it changed: not before it was found, not after today) and whether others seized it. */
export async function updateAssetLead(ctx: AppContext, input: { leadId: number; status: AssetStatus; statusOn: string; seizedByOthers: boolean; seizedNote: string }): Promise<AssetLeadView[]> {
  const s = requirePermission(ctx, 'collections.write');
  const store = requireStore(ctx);
  const before = (await store.db.selectFrom('asset_leads').selectAll().where('id', '=', input.leadId).executeTakeFirst()) as LeadRow | undefined;
  if (!before) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchAssetLead'));
  const loan = await visibleLoan(ctx, store, s, before.loan_id);
  if (input.statusOn > today(ctx) || input.statusOn < before.found_on) throw dateError(ctx, 'statusOn');
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('asset_leads')
      .set({ status: input.status, status_on: input.statusOn, seized_by_others: input.seizedByOthers ? 1 : 0, seized_note: input.seizedNote || null, updated_by: s.username, updated_at: now })
      .where('id', '=', before.id)
      .execute();
    const was = toView(before);
    await recordAudit(trx, now, {
      actor: s.username,
      action: 'collections.updateAssetLead',
      entity: 'loan',
      entityId: String(loan.id),
      detail: { leadId: before.id, before: { status: was.status, statusOn: was.statusOn, seizedByOthers: was.seizedByOthers, seizedNote: was.seizedNote }, after: input },
    });
  });
  return leadsOf(store, loan.id);
}

/**
 * Whom collection work on a loan may reach besides the borrower: the borrower's further phones and addresses and
 * related parties, for whoever may see the loan (a collector its assigned loans) and through the loan only.
 */
export async function otherContacts(ctx: AppContext, input: { loanId: number }): Promise<OtherContacts> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  return contactsOfBorrower(store.db, loan.borrower_id);
}
