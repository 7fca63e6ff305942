import { addYearsClamped, businessDateOf, daysBetween, formatFen, limitationExpiryWithCalendar, REACHED_OUTCOMES, type DelinquencyReason } from '../../../shared/domain';
import type { CollectionStage, ContactView, LimitationEvidence, LimitationView, LostContactProgress, NoticeView, PromiseView } from '../../../shared/ipc/collections';
import { AppError } from '../../../shared/ipc/errors';
import type { NoticesTable } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { emit } from '../../kernel/events';
import { workingCalendar } from '../inspections/calendar';
import { type AppContext, today } from '../../kernel/context';
import { loanSecurity } from '../loans/security';
import { storeDocument } from '../documents/documents';
import { confirmByAssignmentReceipt } from '../factoring/receipts';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore, type Store } from '../../kernel/store';
import { suitFilings } from '../legal/queries';

type NoticeRow = Omit<NoticesTable, 'id'> & { id: number };

function noticeView(n: NoticeRow, contractNo: string): NoticeView {
  return {
    serial: n.serial,
    loanId: n.loan_id,
    contractNo,
    docType: n.doc_type as NoticeView['docType'],
    addressee: n.addressee_name,
    status: n.status,
    receiptStatus: n.receipt_status,
    printedAt: n.printed_at,
    signedOn: n.signed_on,
  };
}

export async function noticesForLoan(ctx: AppContext, input: { loanId: number }): Promise<NoticeView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const rows = await store.db.selectFrom('notices').selectAll().where('loan_id', '=', loan.id).orderBy('id', 'desc').execute();
  return rows.map((r) => noticeView(r, loan.contract_no));
}

/**
 * Registers a returned, signed receipt by its serial (typed, or scanned from the QR code).
 * The signed receipt interrupts the limitation period from the day it was signed.
 */
export async function registerReceipt(
  ctx: AppContext,
  input: { serial: string; signedOn: string; signedBy: string; delivery: string; trackingNo: string; scan: { fileName: string; base64: string } | null },
): Promise<{ notice: NoticeView; limitation: LimitationView }> {
  const s = requirePermission(ctx, 'collections.write');
  const store = requireStore(ctx);
  const serial = input.serial.trim().toUpperCase();
  const onSerial = (message: string) => new AppError('RULE_VIOLATION', message, [{ path: 'serial', message }]);
  const n = await store.db.selectFrom('notices').selectAll().where('serial', '=', serial).executeTakeFirst();
  if (!n) throw new AppError('NOT_FOUND', ctx.t('errors.serialUnknown', { serial }), [{ path: 'serial', message: ctx.t('errors.serialUnknown', { serial }) }]);
  const loan = await visibleLoan(ctx, store, s, n.loan_id);
  if (!n.receipt_required) throw onSerial(ctx.t('errors.serialNoReceipt', { serial }));
  if (n.status !== 'printed') throw onSerial(ctx.t('errors.serialNotPrinted', { serial }));
  if (n.receipt_status === 'returned') throw onSerial(ctx.t('errors.receiptAlready', { serial, date: ctx.day(n.signed_on ?? '') }));
  const printedOn = businessDateOf(n.printed_at ?? n.created_at);
  if (input.signedOn < n.as_of || input.signedOn > today(ctx)) {
    const message = ctx.t('errors.receiptDateInvalid', { printed: ctx.day(printedOn) });
    throw new AppError('RULE_VIOLATION', message, [{ path: 'signedOn', message }]);
  }
  const max = (await readSettings(store.db)).attachmentMaxMb * 1024 * 1024;
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const scanId = input.scan
      ? await storeDocument(ctx, trx, { loanId: loan.id, borrowerId: loan.borrower_id, docType: 'notice', fileName: input.scan.fileName, base64: input.scan.base64 }, { allowed: ['jpeg', 'png', 'tiff', 'pdf'], maxBytes: max, actor: s.username, field: 'scan' })
      : null;
    await trx
      .updateTable('notices')
      .set({ receipt_status: 'returned', signed_on: input.signedOn, signed_by: input.signedBy, delivery: input.delivery, tracking_no: input.trackingNo || null, scan_document_id: scanId, registered_by: s.username, registered_at: now })
      .where('id', '=', n.id)
      .execute();
    await recordAudit(trx, now, { actor: s.username, action: 'notices.registerReceipt', entity: 'notice', entityId: serial, detail: { signedOn: input.signedOn, signedBy: input.signedBy, delivery: input.delivery, scan: !!scanId } });
    // The signed certificate-return receipt is the proof that the certificates left the vault.
    if (n.doc_type === 'certificate-return') {
      const certs = await trx.selectFrom('certificates as c').innerJoin('collateral as k', 'k.id', 'c.collateral_id').select('c.id').where('k.loan_id', '=', loan.id).where('c.custody', '=', 'vault').execute();
      for (const c of certs) await trx.updateTable('certificates').set({ custody: 'returned', updated_at: now }).where('id', '=', c.id).execute();
    }
    // The debtor's signed receipt of the assignment notice confirms (确权) the receivables it named.
    if (n.doc_type === 'assignment-notice') {
      await confirmByAssignmentReceipt(trx, { loanId: loan.id, debtorName: n.addressee_name, noticePreparedAt: n.created_at, signedOn: input.signedOn, serial, actor: s.username, now });
    }
  });
  const updated = await store.db.selectFrom('notices').selectAll().where('id', '=', n.id).executeTakeFirstOrThrow();
  return { notice: noticeView(updated, loan.contract_no), limitation: await limitationOf(ctx, store, loan.id) };
}

/** Printed notices whose receipt has not come back after N days: the chase list. */
export async function chaseList(ctx: AppContext, input: { olderThanDays: number }): Promise<NoticeView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const cutoff = new Date(ctx.clock.now().getTime() - input.olderThanDays * 86_400_000).toISOString();
  let q = store.db
    .selectFrom('notices as n')
    .innerJoin('loans as l', 'l.id', 'n.loan_id')
    .selectAll('n')
    .select('l.contract_no')
    .where('n.receipt_status', '=', 'pending')
    .where('n.printed_at', '<=', cutoff);
  if (!s.roles.some((r) => r === 'supervisor' || r === 'risk' || r === 'archivist')) q = q.where('l.officer', '=', s.username);
  const rows = await q.orderBy('n.printed_at').limit(1000).execute();
  return rows.map((r) => noticeView(r, r.contract_no));
}

/**
 * One clock per claim (民法典 Arts. 188, 189, 195, 201–203): three years from the last instalment's due
 * date, restarted by each signed receipt, partial payment, promise to pay, extension request or lawsuit.
 * Guarantors have their own fixed guarantee period and, once demanded within it, their own clock.
 */
export async function limitationOf(ctx: AppContext, store: Store, loanId: number): Promise<LimitationView> {
  const loan = await store.db.selectFrom('loans').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow();
  const runsFrom = loan.maturity_date;
  const evidence: LimitationEvidence[] = [{ date: runsFrom, kind: 'due', description: ctx.t('limitation.due'), strength: 'strong' }];
  const receipts = await store.db
    .selectFrom('notices')
    .select(['serial', 'doc_type', 'signed_on', 'addressee_kind', 'addressee_name', 'scan_document_id'])
    .where('loan_id', '=', loanId)
    .where('receipt_status', '=', 'returned')
    .execute();
  for (const r of receipts.filter((x) => x.addressee_kind === 'borrower')) {
    evidence.push({ date: r.signed_on!, kind: 'receipt', description: ctx.t('limitation.receipt', { serial: r.serial, scan: r.scan_document_id ? ctx.t('limitation.withScan') : ctx.t('limitation.noScan') }), strength: r.scan_document_id ? 'strong' : 'medium' });
  }
  const payments = await store.db
    .selectFrom('effective_repayments as r')
    .select(['r.paid_on', 'r.amount_fen'])
    .where('r.loan_id', '=', loanId)
    .execute();
  for (const p of payments) evidence.push({ date: p.paid_on, kind: 'payment', description: ctx.t('limitation.payment', { amount: formatFen(p.amount_fen) }), strength: 'medium' });
  for (const p of await store.db.selectFrom('promises').select(['made_on', 'amount_fen']).where('loan_id', '=', loanId).execute()) {
    evidence.push({ date: p.made_on, kind: 'promise', description: ctx.t('limitation.promise', { amount: formatFen(p.amount_fen) }), strength: 'weak' });
  }
  for (const e of await store.db.selectFrom('limitation_events').selectAll().where('loan_id', '=', loanId).execute()) {
    evidence.push({ date: e.event_date, kind: e.kind, description: e.note, strength: e.kind === 'lawsuit' ? 'strong' : 'medium' });
  }
  // A suit filed (起诉) interrupts the period (Art. 195); the case record holds its filing date.
  for (const f of await suitFilings(store.db, loanId)) {
    evidence.push({ date: f.filedOn, kind: 'lawsuit', description: ctx.t('limitation.filed', { court: f.court || '—', caseNo: f.caseNo || '—' }), strength: 'strong' });
  }
  const cal = await workingCalendar(store.db);
  const interruptions = evidence.filter((e) => e.kind !== 'due').map((e) => e.date);
  const expiry = limitationExpiryWithCalendar({ dueDate: runsFrom, interruptions }, cal);
  const now = today(ctx);
  const daysLeft = daysBetween(now, expiry);
  const warning = daysLeft < 0 ? 'expired' : daysLeft <= 30 ? '30' : daysLeft <= 90 ? '90' : daysLeft <= 180 ? '180' : null;
  const guarantees = await store.db
    .selectFrom('loan_guarantees as g')
    .innerJoin('guarantors as p', 'p.id', 'g.guarantor_id')
    .select(['p.name', 'g.period_end'])
    .where('g.loan_id', '=', loanId)
    .execute();
  const guarantors = guarantees.map((g) => {
    // Demanded within the guarantee period (a receipt signed on or before its end): the guarantor's own clock runs.
    const demand = receipts.filter((r) => r.addressee_kind === 'guarantor' && r.addressee_name === g.name && r.signed_on! <= g.period_end).map((r) => r.signed_on!).sort()[0] ?? null;
    return { name: g.name, guaranteePeriodEnd: g.period_end, demandedOn: demand, expiry: demand ? addYearsClamped(demand, 3) : null, lapsed: !demand && g.period_end < now };
  });
  evidence.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  return { loanId, contractNo: loan.contract_no, runsFrom, expiry, daysLeft, warning, evidence, guarantors };
}

export async function loanLimitation(ctx: AppContext, input: { loanId: number }): Promise<LimitationView> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  return limitationOf(ctx, store, input.loanId);
}

export async function addLimitationEvent(ctx: AppContext, input: { loanId: number; kind: 'extension-request' | 'lawsuit' | 'other-demand'; eventDate: string; note: string }): Promise<LimitationView> {
  const s = requirePermission(ctx, 'collections.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (input.eventDate > today(ctx) || input.eventDate < loan.start_date) {
    const message = ctx.t('errors.eventDateInvalid');
    throw new AppError('RULE_VIOLATION', message, [{ path: 'eventDate', message }]);
  }
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('limitation_events').values({ loan_id: loan.id, kind: input.kind, event_date: input.eventDate, note: input.note, evidence_document_id: null, created_by: s.username, created_at: ctx.nowIso() }).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'limitation.addEvent', entity: 'loan', entityId: String(loan.id), detail: input });
  });
  return limitationOf(ctx, store, loan.id);
}

/** A promise is kept once payments made from the day it was given reach its amount by its date. */
export async function promisesOf(ctx: AppContext, store: Store, loanId: number): Promise<PromiseView[]> {
  const rows = await store.db.selectFrom('promises').selectAll().where('loan_id', '=', loanId).orderBy('id', 'desc').execute();
  const pays = await store.db
    .selectFrom('effective_repayments as r')
    .select(['r.paid_on', 'r.amount_fen'])
    .where('r.loan_id', '=', loanId)
    .execute();
  const now = today(ctx);
  return rows.map((p) => {
    const paid = pays.filter((x) => x.paid_on >= p.made_on && x.paid_on <= p.promise_date).reduce((n, x) => n + x.amount_fen, 0);
    const status = paid >= p.amount_fen ? 'kept' : p.promise_date < now ? 'broken' : 'open';
    return { id: p.id, amountFen: p.amount_fen, promiseDate: p.promise_date, madeOn: p.made_on, note: p.note, status, paidFen: paid };
  });
}

export async function addPromise(ctx: AppContext, input: { loanId: number; amountFen: number; promiseDate: string; madeOn: string; note: string }): Promise<PromiseView[]> {
  const s = requirePermission(ctx, 'collections.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const now = today(ctx);
  if (input.madeOn > now || input.madeOn < loan.start_date) throw new AppError('RULE_VIOLATION', ctx.t('errors.eventDateInvalid'), [{ path: 'madeOn', message: ctx.t('errors.eventDateInvalid') }]);
  if (input.promiseDate < input.madeOn) throw new AppError('RULE_VIOLATION', ctx.t('errors.promiseBeforeMade'), [{ path: 'promiseDate', message: ctx.t('errors.promiseBeforeMade') }]);
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('promises').values({ loan_id: loan.id, amount_fen: input.amountFen, promise_date: input.promiseDate, made_on: input.madeOn, note: input.note, created_by: s.username, created_at: ctx.nowIso() }).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'promises.add', entity: 'loan', entityId: String(loan.id), detail: input });
  });
  return promisesOf(ctx, store, loan.id);
}

export async function loanPromises(ctx: AppContext, input: { loanId: number }): Promise<PromiseView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  return promisesOf(ctx, store, input.loanId);
}

/** 3-3-3: three numbers, three time slots, three failed attempts before a borrower counts as lost. */
export function lostContactProgress(contacts: ContactView[]): LostContactProgress {
  const failed = contacts.filter((c) => c.outcome === 'no-answer' || c.outcome === 'wrong-number');
  const numbers = new Set(failed.map((c) => c.target)).size;
  const slots = new Set(failed.map((c) => c.slot)).size;
  const attempts = failed.length;
  const lastReached = contacts.filter((c) => c.outcome === 'reached' || c.outcome === 'promised' || c.outcome === 'refused').map((c) => c.contactedOn).sort().at(-1);
  const sinceReached = lastReached ? failed.filter((c) => c.contactedOn > lastReached).length : attempts;
  return { numbers: Math.min(numbers, 3), slots: Math.min(slots, 3), attempts: Math.min(attempts, 3), lost: numbers >= 3 && slots >= 3 && sinceReached >= 3 };
}

async function contactsOf(store: Store, loanId: number) {
  const rows = await store.db.selectFrom('contacts').selectAll().where('loan_id', '=', loanId).orderBy('contacted_on', 'desc').orderBy('id', 'desc').execute();
  const contacts: ContactView[] = rows.map((c) => ({ id: c.id, channel: c.channel, target: c.target, slot: c.slot, outcome: c.outcome, note: c.note, contactedOn: c.contacted_on, reason: c.reason, by: c.created_by }));
  return { contacts, progress: lostContactProgress(contacts) };
}

export async function addContact(ctx: AppContext, input: {
  loanId: number;
  channel: ContactView['channel'];
  target: string;
  slot: ContactView['slot'];
  outcome: ContactView['outcome'];
  note: string;
  contactedOn: string;
  reason?: DelinquencyReason | null;
}) {
  const s = requirePermission(ctx, 'collections.write');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  if (input.contactedOn > today(ctx) || input.contactedOn < loan.start_date) throw new AppError('RULE_VIOLATION', ctx.t('errors.eventDateInvalid'), [{ path: 'contactedOn', message: ctx.t('errors.eventDateInvalid') }]);
  const reason = input.reason ?? null;
  await store.db.transaction().execute(async (trx) => {
    // The first contact that reaches the borrower in an overdue spell records why they fell behind (找出逾期原因).
    if (reason === null && (REACHED_OUTCOMES as readonly string[]).includes(input.outcome)) {
      const st = await trx.selectFrom('loan_status').select(['dpd', 'oldest_unpaid']).where('loan_id', '=', loan.id).executeTakeFirst();
      if (st && st.dpd > 0 && st.oldest_unpaid) {
        const known = await trx.selectFrom('contacts').select('id').where('loan_id', '=', loan.id).where('reason', 'is not', null).where('contacted_on', '>=', st.oldest_unpaid).executeTakeFirst();
        if (!known) throw new AppError('VALIDATION', ctx.t('errors.delinquencyReasonNeeded'), [{ path: 'reason', message: ctx.t('errors.delinquencyReasonNeeded') }]);
      }
    }
    await trx
      .insertInto('contacts')
      .values({ loan_id: loan.id, channel: input.channel, target: input.target, slot: input.slot, outcome: input.outcome, note: input.note, contacted_on: input.contactedOn, reason, created_by: s.username, created_at: ctx.nowIso() })
      .execute();
    // The contact that completes 3-3-3 on an active loan raises the 失联 warning (warnings reacts; once while open).
    if (loan.status === 'active' && !(REACHED_OUTCOMES as readonly string[]).includes(input.outcome)) {
      const rows = await trx.selectFrom('contacts').selectAll().where('loan_id', '=', loan.id).orderBy('contacted_on', 'desc').orderBy('id', 'desc').execute();
      const progress = lostContactProgress(rows.map((c) => ({ id: c.id, channel: c.channel, target: c.target, slot: c.slot, outcome: c.outcome, note: c.note, contactedOn: c.contacted_on, reason: c.reason, by: c.created_by })));
      if (progress.lost) {
        const { numbers, slots, attempts } = progress;
        await emit('contacts.lostContact', { ctx, db: trx, loanId: loan.id, owner: loan.officer, actor: s.username, progress: { numbers, slots, attempts }, lastOn: rows[0].contacted_on });
      }
    }
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'contacts.add', entity: 'loan', entityId: String(loan.id), detail: input });
  });
  return contactsOf(store, loan.id);
}

export async function loanContacts(ctx: AppContext, input: { loanId: number }) {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  return contactsOf(store, input.loanId);
}

const NEXT: Record<string, CollectionStage['stage']> = { M0: 'none', M1: 'notice', M2: 'visit', M3: 'demand' };

/**
 * Where collection stands and the recommended next step by bucket: reminder → notice → visit → demand
 * letter → legal; and the evidence on file for a transfer to legal (移交诉讼).
 */
export async function collectionStage(ctx: AppContext, input: { loanId: number }): Promise<CollectionStage> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const st = await store.db.selectFrom('loan_status').select(['bucket', 'dpd']).where('loan_id', '=', loan.id).executeTakeFirst();
  const bucket = st?.bucket ?? 'M0';
  const stage = NEXT[bucket] ?? 'legal';
  const count = async (docType: string, returned = false) => {
    let q = store.db.selectFrom('notices').select((e) => e.fn.countAll<number>().as('n')).where('loan_id', '=', loan.id).where('doc_type', '=', docType).where('status', '=', 'printed');
    if (returned) q = q.where('receipt_status', '=', 'returned');
    return (await q.executeTakeFirstOrThrow()).n;
  };
  const docs = new Set((await store.db.selectFrom('documents').select('doc_type').where('loan_id', '=', loan.id).where('removed_at', 'is', null).execute()).map((d) => d.doc_type));
  // The security it has (registered or in the contract): each kind's contract is evidence for a suit.
  const modes: string[] = await loanSecurity(store.db, loan);
  const visits = (await store.db.selectFrom('contacts').select((e) => e.fn.countAll<number>().as('n')).where('loan_id', '=', loan.id).where('channel', '=', 'visit').executeTakeFirstOrThrow()).n;
  const receipts = (await store.db.selectFrom('notices').select((e) => e.fn.countAll<number>().as('n')).where('loan_id', '=', loan.id).where('receipt_status', '=', 'returned').executeTakeFirstOrThrow()).n;
  const checklist = [
    { item: 'contract', present: docs.has('contract') },
    { item: 'iou', present: docs.has('iou') || loan.kind === 'factoring' },
    ...(modes.includes('guarantee') ? [{ item: 'guarantee-contract', present: docs.has('guarantee-contract') }] : []),
    ...(modes.includes('mortgage') || modes.includes('pledge') ? [{ item: 'security-contract', present: docs.has('security-contract') }] : []),
    { item: 'signed-receipt', present: receipts > 0 },
    { item: 'demand-letter', present: (await count('demand-letter')) > 0 },
  ];
  const transferred = await store.db.selectFrom('loan_events').select(['event_date', 'created_by']).where('loan_id', '=', loan.id).where('kind', '=', 'legal-transfer').executeTakeFirst();
  return {
    loanId: loan.id,
    bucket,
    dpd: st?.dpd ?? 0,
    stage,
    done: { notices: await count('overdue-notice'), visits, demandLetters: await count('demand-letter'), receipts },
    checklist,
    transferred: transferred ? { on: transferred.event_date, by: transferred.created_by } : null,
  };
}

/** Transfer to legal: more than the set days overdue (90 unless changed), with the evidence checklist complete. */
export async function transferToLegal(ctx: AppContext, input: { loanId: number; note: string }): Promise<CollectionStage> {
  const s = requirePermission(ctx, 'collections.write');
  const store = requireStore(ctx);
  const stage = await collectionStage(ctx, input);
  if (stage.transferred) throw new AppError('CONFLICT', ctx.t('errors.alreadyTransferred'));
  const { legalMinDpd } = await readSettings(store.db);
  if (stage.dpd <= legalMinDpd) throw new AppError('RULE_VIOLATION', ctx.t('errors.legalTooEarly', { days: legalMinDpd }));
  const missing = stage.checklist.filter((c) => !c.present).map((c) => ctx.t(`collectionsEvidence.${c.item}` as never));
  if (missing.length) throw new AppError('RULE_VIOLATION', ctx.t('errors.legalEvidenceMissing', { items: missing.join('、') }));
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('loan_events').values({ loan_id: input.loanId, event_date: today(ctx), kind: 'legal-transfer', detail: JSON.stringify({ note: input.note }), created_by: s.username, created_at: ctx.nowIso() }).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'collections.transferToLegal', entity: 'loan', entityId: String(input.loanId), reason: input.note });
  });
  return collectionStage(ctx, input);
}
