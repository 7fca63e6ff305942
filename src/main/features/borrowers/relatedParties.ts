import type { Kysely, Transaction } from 'kysely';
import type { BorrowerContacts, ContactKind, PartyKind, Relation } from '../../../shared/ipc/borrowers';
import { AppError } from '../../../shared/ipc/errors';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import type { AppContext } from '../../kernel/context';
import { requirePermission, visibleBorrower } from '../../kernel/authz';
import { requireStore } from '../../kernel/store';

/**
 * A borrower's further phones and addresses and related parties (spouse, co-borrower, heirs, employer, emergency
 * contact, related companies). Personal data: only who manages the borrower reads or changes them here; a loan's
 * collection work reads them through the loan (collections' contacts.others). Removal is soft: the record stays,
 * with who removed it and when, and is no longer shown.
 */
type Db = Kysely<Database> | Transaction<Database>;

export async function contactsOfBorrower(db: Db, borrowerId: number): Promise<BorrowerContacts> {
  const contacts = await db.selectFrom('borrower_contacts').selectAll().where('borrower_id', '=', borrowerId).where('removed_at', 'is', null).orderBy('kind').orderBy('id').execute();
  const parties = await db.selectFrom('related_parties').selectAll().where('borrower_id', '=', borrowerId).where('removed_at', 'is', null).orderBy('id').execute();
  return {
    contacts: contacts.map((c) => ({ id: c.id, borrowerId: c.borrower_id, kind: c.kind, label: c.label, value: c.value, note: c.note ?? '', createdBy: c.created_by, createdAt: c.created_at })),
    relatedParties: parties.map((p) => ({
      id: p.id,
      borrowerId: p.borrower_id,
      relation: p.relation,
      kind: p.kind,
      name: p.name,
      idNumber: p.id_number ?? '',
      phone: p.phone ?? '',
      address: p.address ?? '',
      note: p.note ?? '',
      createdBy: p.created_by,
      createdAt: p.created_at,
    })),
  };
}

export async function borrowerContacts(ctx: AppContext, input: { borrowerId: number }): Promise<BorrowerContacts> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  await visibleBorrower(ctx, store, s, input.borrowerId);
  return contactsOfBorrower(store.db, input.borrowerId);
}

export async function addBorrowerContact(ctx: AppContext, input: { borrowerId: number; kind: ContactKind; label: string; value: string; note: string }): Promise<BorrowerContacts> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  await visibleBorrower(ctx, store, s, input.borrowerId);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('borrower_contacts')
      .values({ borrower_id: input.borrowerId, kind: input.kind, label: input.label, value: input.value, note: input.note || null, created_by: s.username, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor: s.username, action: 'borrowers.addContact', entity: 'borrower', entityId: String(input.borrowerId), detail: { contactId: r.id, ...input } });
  });
  return contactsOfBorrower(store.db, input.borrowerId);
}

export async function removeBorrowerContact(ctx: AppContext, input: { contactId: number; reason: string }): Promise<BorrowerContacts> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const c = await store.db.selectFrom('borrower_contacts').selectAll().where('id', '=', input.contactId).executeTakeFirst();
  if (!c || c.removed_at !== null) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchBorrowerContact'));
  await visibleBorrower(ctx, store, s, c.borrower_id);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('borrower_contacts').set({ removed_at: now, removed_by: s.username }).where('id', '=', c.id).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'borrowers.removeContact', entity: 'borrower', entityId: String(c.borrower_id), detail: { contactId: c.id, kind: c.kind, label: c.label, value: c.value, reason: input.reason } });
  });
  return contactsOfBorrower(store.db, c.borrower_id);
}

export async function addRelatedParty(
  ctx: AppContext,
  input: { borrowerId: number; relation: Relation; kind: PartyKind; name: string; idNumber: string; phone: string; address: string; note: string },
): Promise<BorrowerContacts> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  await visibleBorrower(ctx, store, s, input.borrowerId);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('related_parties')
      .values({
        borrower_id: input.borrowerId,
        relation: input.relation,
        kind: input.kind,
        name: input.name,
        id_number: input.idNumber || null,
        phone: input.phone || null,
        address: input.address || null,
        note: input.note || null,
        created_by: s.username,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor: s.username, action: 'borrowers.addRelatedParty', entity: 'borrower', entityId: String(input.borrowerId), detail: { partyId: r.id, ...input } });
  });
  return contactsOfBorrower(store.db, input.borrowerId);
}

export async function removeRelatedParty(ctx: AppContext, input: { partyId: number; reason: string }): Promise<BorrowerContacts> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const p = await store.db.selectFrom('related_parties').selectAll().where('id', '=', input.partyId).executeTakeFirst();
  if (!p || p.removed_at !== null) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchRelatedParty'));
  await visibleBorrower(ctx, store, s, p.borrower_id);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('related_parties').set({ removed_at: now, removed_by: s.username }).where('id', '=', p.id).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'borrowers.removeRelatedParty', entity: 'borrower', entityId: String(p.borrower_id), detail: { partyId: p.id, relation: p.relation, name: p.name, reason: input.reason } });
  });
  return contactsOfBorrower(store.db, p.borrower_id);
}
