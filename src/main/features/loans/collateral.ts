import type { Transaction } from 'kysely';
import { partyIdOk, type PartyKind } from '../../../shared/ipc/borrowers';
import { AppError } from '../../../shared/ipc/errors';
import type { LoanDetail } from '../../../shared/ipc/loans';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, today } from '../../kernel/context';
import { loanDetail } from './loanDetail';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import { requireStore } from '../../kernel/store';

async function event(trx: Transaction<Database>, loanId: number, date: string, kind: string, detail: unknown, actor: string, at: string) {
  await trx.insertInto('loan_events').values({ loan_id: loanId, event_date: date, kind, detail: JSON.stringify(detail), created_by: actor, created_at: at }).execute();
}

export async function addGuarantee(
  ctx: AppContext,
  input: {
    loanId: number;
    guarantor: { kind: PartyKind; name: string; idNumber: string; phone: string; address: string };
    guaranteeType: 'general' | 'joint';
    amountFen: number;
    periodEnd: string;
  },
): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const g = input.guarantor;
  if (!partyIdOk(g.kind, g.idNumber)) {
    const message = ctx.t(g.kind === 'person' ? 'validation.residentId' : 'validation.creditCode');
    throw new AppError('VALIDATION', message, [{ path: 'guarantor.idNumber', message }]);
  }
  if (input.periodEnd < loan.maturity_date) {
    const message = ctx.t('errors.guaranteeEndsEarly', { maturity: ctx.day(loan.maturity_date) });
    throw new AppError('RULE_VIOLATION', message, [{ path: 'periodEnd', message }]);
  }
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('guarantors').select('id').where('id_number', '=', g.idNumber).executeTakeFirst();
    const guarantorId =
      existing?.id ??
      (await trx
        .insertInto('guarantors')
        .values({ kind: g.kind, name: g.name, id_number: g.idNumber, phone: g.phone, address: g.address, created_by: s.username, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()).id;
    const dup = await trx.selectFrom('loan_guarantees').select('id').where('loan_id', '=', loan.id).where('guarantor_id', '=', guarantorId).executeTakeFirst();
    if (dup) throw new AppError('CONFLICT', ctx.t('errors.duplicateGuarantor'));
    await trx
      .insertInto('loan_guarantees')
      .values({ loan_id: loan.id, guarantor_id: guarantorId, guarantee_type: input.guaranteeType, amount_fen: input.amountFen, period_end: input.periodEnd, created_at: now })
      .execute();
    await event(trx, loan.id, today(ctx), 'guarantee', { name: g.name, type: input.guaranteeType, amountFen: input.amountFen }, s.username, now);
    await recordAudit(trx, now, { actor: s.username, action: 'guarantees.add', entity: 'loan', entityId: String(loan.id), detail: input });
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

export async function addCollateral(
  ctx: AppContext,
  input: {
    loanId: number;
    kind: 'mortgage' | 'pledge';
    type: string;
    description: string;
    owner: string;
    registrationAuthority: string;
    registrationNo: string;
    valueFen: number;
    valuedOn: string;
    certificates: { certNo: string; certType: string }[];
  },
): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('collateral')
      .values({
        loan_id: loan.id,
        kind: input.kind,
        type: input.type,
        description: input.description,
        owner: input.owner,
        registration_authority: input.registrationAuthority,
        registration_no: input.registrationNo,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('collateral_valuations').values({ collateral_id: id, value_fen: input.valueFen, valued_on: input.valuedOn, note: '', created_by: s.username, created_at: now }).execute();
    for (const c of input.certificates) {
      await trx.insertInto('certificates').values({ collateral_id: id, cert_no: c.certNo, cert_type: c.certType, custody: 'vault', updated_at: now }).execute();
    }
    await event(trx, loan.id, today(ctx), 'collateral', { type: input.type, description: input.description, valueFen: input.valueFen }, s.username, now);
    await recordAudit(trx, now, { actor: s.username, action: 'collateral.add', entity: 'loan', entityId: String(loan.id), detail: input });
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

async function collateralLoan(ctx: AppContext, collateralId: number): Promise<number> {
  const r = await requireStore(ctx).db.selectFrom('collateral').select('loan_id').where('id', '=', collateralId).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchCollateral'));
  return r.loan_id;
}

/** A revaluation adds to the history; earlier values stay. */
export async function revalueCollateral(ctx: AppContext, input: { collateralId: number; valueFen: number; valuedOn: string; note: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, await collateralLoan(ctx, input.collateralId));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('collateral_valuations')
      .values({ collateral_id: input.collateralId, value_fen: input.valueFen, valued_on: input.valuedOn, note: input.note, created_by: s.username, created_at: now })
      .execute();
    await recordAudit(trx, now, { actor: s.username, action: 'collateral.revalue', entity: 'collateral', entityId: String(input.collateralId), detail: input });
  });
  return loanDetail(ctx, store, s, loan.id, null);
}

export async function setCertificateCustody(ctx: AppContext, input: { certificateId: number; custody: 'vault' | 'lent' | 'returned'; reason: string }): Promise<LoanDetail> {
  const s = requirePermission(ctx, 'portfolio.write');
  const store = requireStore(ctx);
  const cert = await store.db.selectFrom('certificates').selectAll().where('id', '=', input.certificateId).executeTakeFirst();
  if (!cert) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchCertificate'));
  const loan = await visibleLoan(ctx, store, s, await collateralLoan(ctx, cert.collateral_id));
  if (cert.custody === input.custody) throw new AppError('RULE_VIOLATION', ctx.t('errors.custodyUnchanged'));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('certificates').set({ custody: input.custody, updated_at: now }).where('id', '=', cert.id).execute();
    await recordAudit(trx, now, {
      actor: s.username,
      action: 'collateral.setCustody',
      entity: 'certificate',
      entityId: String(cert.id),
      reason: input.reason,
      detail: { from: cert.custody, to: input.custody },
    });
  });
  return loanDetail(ctx, store, s, loan.id, null);
}
