import { sql } from 'kysely';
import { maskIdNumber, maskPhone } from '../../../shared/domain/ids';
import type { Borrower, BorrowerListRow, PartyKind, Tier } from '../../../shared/ipc/borrowers';
import { AppError } from '../../../shared/ipc/errors';
import { seesAllLoans } from '../../../shared/permissions';
import type { BorrowersTable } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import type { AppContext, Session } from '../../kernel/context';
import { emit } from '../../kernel/events';
import { managedBy, managesBorrower, visibleBorrower, requirePermission } from '../../kernel/authz';
import { pinyinColumns, pinyinQuery } from '../../db/pinyin';
import { always, borrowerTextMatch, maskedIdNumber } from '../../db/dialect';
import { requireStore, type Store } from '../../kernel/store';

export function toBorrower(r: Omit<BorrowersTable, 'id'> & { id: number }): Borrower {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    idNumber: r.id_number,
    phone: r.phone,
    address: r.address,
    employer: r.employer,
    legalRep: r.legal_rep,
    industry: r.industry,
    registeredCapitalFen: r.registered_capital_fen,
    tier: r.tier,
    createdAt: r.created_at,
  };
}

export async function findBorrower(ctx: AppContext, store: Store, id: number): Promise<Borrower> {
  const r = await store.db.selectFrom('borrowers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchBorrower'));
  return toBorrower(r);
}

/**
 * Finds borrowers by name, ID number or phone. Officers find every borrower, so that nobody is registered twice,
 * but on one they do not manage they see the ID number and phone masked and no loan figures; such a borrower is
 * found by its name, or by its full ID number or phone, never by a part of them (parts would give the hidden
 * digits away one query at a time), and sorting by a masked column uses only what is shown.
 */
export async function searchBorrowers(
  ctx: AppContext,
  input: {
    query: string;
    kind: PartyKind | null;
    tier: Tier | null;
    sort?: 'name' | 'idNumber' | 'tier' | 'loanCount' | 'balanceFen';
    direction?: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ total: number; rows: BorrowerListRow[] }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const { db } = requireStore(ctx);
  const all = seesAllLoans(s.roles);
  const managed = all ? always() : managedBy(s.username, 'b.id');
  let q = db.selectFrom('borrowers as b');
  // Letters only may be pinyin: the full reading anywhere in it ("guanming"), or the initials from the start ("sgm").
  const py = pinyinQuery(input.query);
  const cols = { id: sql.ref<number>('b.id'), name: sql.ref<string>('b.name'), idNumber: sql.ref<string>('b.id_number'), phone: sql.ref<string>('b.phone'), pinyin: sql.ref<string>('b.name_pinyin'), initials: sql.ref<string>('b.name_initials') };
  const anyColumn = borrowerTextMatch(cols, input.query, py, false);
  if (input.query && all) q = q.where(anyColumn);
  else if (input.query) {
    const byName = borrowerTextMatch(cols, input.query, py, true);
    q = q.where(sql<boolean>`((${managed} AND ${anyColumn}) OR ${byName} OR b.id_number = ${input.query.toUpperCase()} OR b.phone = ${input.query})`);
  }
  if (input.kind) q = q.where('b.kind', '=', input.kind);
  if (input.tier) q = q.where('b.tier', '=', input.tier);
  const total = (await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const loanCount = sql<number>`(SELECT count(*) FROM loans l WHERE l.borrower_id = b.id)`;
  const balance = sql<number>`(SELECT coalesce(sum(s.balance_fen), 0) FROM loans l JOIN loan_status s ON s.loan_id = l.id WHERE l.borrower_id = b.id AND l.status = 'active')`;
  // What an officer sees of a borrower they do not manage, and nothing more, decides its place in the order.
  const sorts = {
    // By pinyin, as a Chinese reader sorts names; the name itself breaks ties between homophones.
    name: sql`b.name_pinyin || ' ' || b.name`,
    idNumber: all ? sql`b.id_number` : sql`CASE WHEN ${managed} THEN b.id_number ELSE ${maskedIdNumber(sql.ref('b.id_number'))} END`,
    tier: sql`b.tier`,
    loanCount: all ? loanCount : sql`CASE WHEN ${managed} THEN ${loanCount} END`,
    balanceFen: all ? balance : sql`CASE WHEN ${managed} THEN ${balance} END`,
  };
  const rows = await q
    .select(['b.id', 'b.kind', 'b.name', 'b.id_number', 'b.phone', 'b.tier'])
    .select([loanCount.as('loan_count'), balance.as('balance_fen'), managed.as('managed')])
    // A figure not shown (null) sorts first going up and last going down, as SQLite does and PostgreSQL does not by itself.
    .orderBy(sorts[input.sort ?? 'name'], (ob) => ((input.direction ?? 'asc') === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast()))
    .orderBy('b.id')
    .limit(input.limit)
    .offset(input.offset)
    .execute();
  return {
    total,
    rows: rows.map((r) =>
      r.managed
        ? { id: r.id, kind: r.kind, name: r.name, idNumber: r.id_number, phone: r.phone, tier: r.tier, loanCount: r.loan_count, balanceFen: r.balance_fen, managed: true }
        : { id: r.id, kind: r.kind, name: r.name, idNumber: maskIdNumber(r.id_number), phone: maskPhone(r.phone), tier: r.tier, loanCount: null, balanceFen: null, managed: false },
    ),
  };
}

/** Officers read the borrowers they manage; other business roles any. */
export async function getBorrower(ctx: AppContext, input: { id: number }): Promise<Borrower> {
  const s = requirePermission(ctx, 'portfolio.read');
  return toBorrower(await visibleBorrower(ctx, requireStore(ctx), s, input.id));
}

type BorrowerInput = Omit<Borrower, 'id' | 'createdAt'>;

/** One borrower per ID number. The refusal names the one already registered, and points at it only for whoever may open it. */
async function assertUniqueId(ctx: AppContext, store: Store, s: Session, idNumber: string, self: number | null): Promise<void> {
  const dup = await store.db.selectFrom('borrowers').select(['id', 'name']).where('id_number', '=', idNumber).executeTakeFirst();
  if (dup && dup.id !== self) {
    if (!(await managesBorrower(store.db, s, dup.id))) {
      const message = ctx.t('errors.duplicateIdNumberOther', { name: dup.name });
      throw new AppError('CONFLICT', message, [{ path: 'idNumber', message }]);
    }
    const message = ctx.t('errors.duplicateIdNumber', { name: dup.name, id: dup.id });
    throw new AppError('CONFLICT', message, [{ path: 'idNumber', message }], { entity: 'borrower', id: dup.id });
  }
}

function columns(input: BorrowerInput) {
  const person = input.kind === 'person';
  return {
    kind: input.kind,
    name: input.name,
    id_number: input.idNumber,
    phone: input.phone,
    address: input.address,
    employer: person ? input.employer : '',
    legal_rep: person ? '' : input.legalRep,
    industry: person ? '' : input.industry,
    registered_capital_fen: person ? null : input.registeredCapitalFen,
    tier: input.tier,
  };
}

export async function createBorrower(ctx: AppContext, input: BorrowerInput): Promise<Borrower> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  await assertUniqueId(ctx, store, s, input.idNumber, null);
  const now = ctx.nowIso();
  const id = await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('borrowers')
      .values({ ...columns(input), ...pinyinColumns(input.name), created_by: s.username, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, { actor: s.username, action: 'borrowers.create', entity: 'borrower', entityId: String(r.id), detail: columns(input) });
    return r.id;
  });
  return findBorrower(ctx, store, id);
}

/** Officers change the borrowers they manage (the address their notices go to, among others); other writers any. */
export async function updateBorrower(ctx: AppContext, input: BorrowerInput & { id: number }): Promise<Borrower> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const before = toBorrower(await visibleBorrower(ctx, store, s, input.id));
  await assertUniqueId(ctx, store, s, input.idNumber, input.id);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('borrowers')
      .set({ ...columns(input), ...pinyinColumns(input.name), updated_at: now })
      .where('id', '=', input.id)
      .execute();
    await recordAudit(trx, now, { actor: s.username, action: 'borrowers.update', entity: 'borrower', entityId: String(input.id), detail: { before, after: columns(input) } });
    if (before.tier !== input.tier) {
      const loans = await trx.selectFrom('loans').select('id').where('borrower_id', '=', input.id).where('status', '=', 'active').execute();
      await emit('borrowers.tierChanged', { ctx, db: trx, borrowerId: input.id, loanIds: loans.map((l) => l.id) });
    }
  });
  return findBorrower(ctx, store, input.id);
}
