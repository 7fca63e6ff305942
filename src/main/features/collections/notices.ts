import { randomBytes } from 'node:crypto';
import { addDays, type AccelerationGround } from '../../../shared/domain';
import { translate } from '../../../shared/i18n';
import { AppError } from '../../../shared/ipc/errors';
import { seesAllLoans } from '../../../shared/permissions';
import type { DueNotice, NoticeTemplateView, NoticeView, PreparedBatch } from '../../../shared/ipc/collections';
import { BUILT_IN, NOTICE_TYPES, STAGE_TEXT, type NoticeSpec, type NoticeType, type TemplateBlocks } from '../../notices/templates';
import { money, zhDate } from '../../pdf/common';
import type { NoticeData } from '../../pdf/notice';
import { renderJob } from '../../pdf/offThread';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, type Session, today } from '../../kernel/context';
import { figuresFor, openOf as openAmount, receivableFigures } from '../factoring/figures';
import { loanDetail } from '../loans/loanDetail';
import { letterhead } from '../loans/printing';
import { requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore, type Store } from '../../kernel/store';
import { formatSerial, lastSerial, nextSerial } from './serials';

export async function noticeSpec(store: Store, type: NoticeType): Promise<NoticeSpec> {
  const base = BUILT_IN[type];
  const row = await store.db.selectFrom('notice_templates').select('blocks').where('doc_type', '=', type).executeTakeFirst();
  return row ? { ...base, blocks: { ...base.blocks, ...(JSON.parse(row.blocks) as Partial<TemplateBlocks>) } } : base;
}

interface Draft {
  loanId: number;
  contractNo: string;
  type: NoticeType;
  spec: NoticeSpec;
  addresseeKind: string;
  addresseeName: string;
  addresseeAddress: string;
  values: Record<string, string>;
  amounts: { principalFen: number; interestFen: number; penaltyFen: number } | null;
  payBy: string | null;
  contact: string;
}

export class Skip extends Error {}

/** Everything one notice says, for each of its addressees (a loan may have several guarantors or debtors). */
async function drafts(ctx: AppContext, store: Store, s: Session, loanId: number, type: NoticeType, asOf: string, payBy: string | null): Promise<Draft[]> {
  const d = await loanDetail(ctx, store, s, loanId, asOf);
  const spec = await noticeSpec(store, type);
  const officer = await store.db.selectFrom('users').select('display_name').where('username', '=', d.loan.officer).executeTakeFirst();
  const st = d.state;
  const overdue = { principalFen: st.overduePrincipalFen, interestFen: st.overdueInterestFen, penaltyFen: st.penaltyOutstandingFen };
  const base: Record<string, string> = {
    contractNo: d.loan.contractNo,
    contractDate: zhDate(d.loan.startDate),
    borrower: d.borrower.name,
    asOf: zhDate(asOf),
    dpd: String(st.dpd),
    stageText: STAGE_TEXT[st.bucket === 'M1' ? 'M1' : st.bucket === 'M2' ? 'M2' : 'M3+'],
  };
  const withAmounts = (a: typeof overdue) => ({ ...base, principal: money(a.principalFen), interest: money(a.interestFen), penalty: money(a.penaltyFen), total: money(a.principalFen + a.interestFen + a.penaltyFen) });
  const defaultPayBy = payBy ?? addDays(asOf, 10);
  const one = (kind: string, name: string, address: string, values: Record<string, string>, amounts: typeof overdue | null, by: string | null): Draft => ({
    loanId,
    contractNo: d.loan.contractNo,
    type,
    spec,
    addresseeKind: kind,
    addresseeName: name,
    addresseeAddress: address,
    values: { ...values, addressee: name, payBy: by ? zhDate(by) : '' },
    amounts,
    payBy: by,
    contact: officer?.display_name ?? d.loan.officer,
  });
  const needOverdue = () => {
    if (st.dpd === 0) throw new Skip(ctx.t('errors.noticeNotOverdue'));
  };
  switch (type) {
    case 'reminder': {
      const next = d.schedule.find((p) => p.status !== 'paid' && p.dueDate >= asOf);
      if (!next) throw new Skip(ctx.t('errors.noticeNothingDue'));
      const a = { principalFen: next.principalFen - next.principalPaidFen, interestFen: next.interestFen - next.interestPaidFen, penaltyFen: 0 };
      return [one('borrower', d.borrower.name, d.borrower.address, { ...withAmounts(a), period: String(next.period) }, { ...a }, next.dueDate)];
    }
    case 'overdue-notice':
    case 'demand-letter':
      needOverdue();
      return [one('borrower', d.borrower.name, d.borrower.address, withAmounts(overdue), overdue, defaultPayBy)];
    case 'guarantor-notice': {
      needOverdue();
      if (d.guarantees.length === 0) throw new Skip(ctx.t('errors.noticeNoGuarantor'));
      const out: Draft[] = [];
      for (const g of d.guarantees) {
        const p = await store.db.selectFrom('guarantors').select('address').where('id', '=', g.guarantorId).executeTakeFirstOrThrow();
        out.push(
          one('guarantor', g.name, p.address, { ...withAmounts(overdue), guaranteeType: g.guaranteeType === 'joint' ? '连带责任保证' : '一般保证', guaranteeAmount: money(g.amountFen) }, overdue, defaultPayBy),
        );
      }
      return out;
    }
    case 'assignment-notice':
    case 'debtor-collection': {
      if (d.loan.kind !== 'factoring') throw new Skip(ctx.t('errors.noticeNotFactoring'));
      const rows = await store.db
        .selectFrom('receivables as r')
        .innerJoin('debtors as x', 'x.id', 'r.debtor_id')
        .select(['r.id', 'x.id as debtor_id', 'x.name', 'x.address', 'r.invoice_no', 'r.invoice_amount_fen', 'r.due_date'])
        .where('r.loan_id', '=', loanId)
        .execute();
      // Only effective payments made by the notice date count (a reversed repayment and its reversal do not), less dilution.
      const figures = await receivableFigures(store.db, rows.map((r) => r.id), asOf);
      const terms = await store.db.selectFrom('factoring_terms').select(['collection_bank', 'collection_account_name', 'collection_account_no']).where('loan_id', '=', loanId).executeTakeFirstOrThrow();
      // The debtor is told where to pay: no letter without the financing's collection account (回款账户).
      if (!terms.collection_account_no) throw new Skip(ctx.t('errors.noticeNoCollectionAccount'));
      const account = { collectionAccountBank: terms.collection_bank, collectionAccountName: terms.collection_account_name, collectionAccountNo: terms.collection_account_no };
      // 已到期 only once the due date has come by the notice date; otherwise 未到期 with the date it falls due.
      const line = (r: (typeof rows)[number]) => `发票号 ${r.invoice_no}，金额 ${money(r.invoice_amount_fen)}，到期日 ${zhDate(r.due_date)}（${r.due_date <= asOf ? '已到期' : '未到期'}）`;
      const byDebtor = new Map<number, typeof rows>();
      for (const r of rows) byDebtor.set(r.debtor_id, [...(byDebtor.get(r.debtor_id) ?? []), r]);
      const out: Draft[] = [];
      for (const list of byDebtor.values()) {
        const openOf = (r: (typeof rows)[number]) => openAmount(r.invoice_amount_fen, figuresFor(figures, r.id));
        const open = list.reduce((n, r) => n + openOf(r), 0);
        if (type === 'debtor-collection' && open === 0) continue;
        const total = list.reduce((n, r) => n + r.invoice_amount_fen, 0);
        const dueOpen = list.filter((r) => r.due_date <= asOf).reduce((n, r) => n + openOf(r), 0);
        out.push(
          one(
            'debtor',
            list[0].name,
            list[0].address,
            { ...base, ...account, receivables: list.map(line).join('；'), receivablesTotal: money(total), receivablesOpen: money(open), receivablesDue: money(dueOpen) },
            null,
            type === 'debtor-collection' ? defaultPayBy : null,
          ),
        );
      }
      if (out.length === 0) throw new Skip(ctx.t('errors.noticeNothingDue'));
      return out;
    }
    case 'acceleration-notice': {
      // Only after an approved acceleration; everything fallen due by the date is demanded, the accelerated principal included.
      const acc = await store.db.selectFrom('loan_changes').select(['new_maturity', 'grounds']).where('loan_id', '=', loanId).where('kind', '=', 'acceleration').where('status', '=', 'approved').orderBy('id', 'desc').executeTakeFirst();
      if (!acc?.new_maturity) throw new Skip(ctx.t('errors.noticeNotAccelerated'));
      const due = d.schedule.filter((p) => p.dueDate <= asOf);
      const a = {
        principalFen: due.reduce((n, p) => n + p.principalFen - p.principalPaidFen, 0),
        interestFen: due.reduce((n, p) => n + p.interestFen - p.interestPaidFen, 0),
        penaltyFen: st.penaltyOutstandingFen,
      };
      const grounds = (JSON.parse(acc.grounds ?? '[]') as AccelerationGround[]).map((g) => translate('zh-CN', `changesUi.ground.${g}`)).join('、');
      return [one('borrower', d.borrower.name, d.borrower.address, { ...withAmounts(a), grounds, acceleratedOn: zhDate(acc.new_maturity) }, a, defaultPayBy)];
    }
    case 'certificate-return': {
      if (d.loan.status !== 'closed') throw new Skip(ctx.t('errors.noticeNotClosed'));
      const certs = d.collateral.flatMap((c) => c.certificates.filter((x) => x.custody === 'vault').map((x) => `${x.certType} ${x.certNo}（${c.type}：${c.description}）`));
      if (certs.length === 0) throw new Skip(ctx.t('errors.noticeNoCertificates'));
      const closed = await store.db.selectFrom('loans').select('closed_on').where('id', '=', loanId).executeTakeFirstOrThrow();
      return [one('borrower', d.borrower.name, d.borrower.address, { ...base, certificates: certs.map((c, i) => `${i + 1}. ${c}`).join('\n'), closedOn: zhDate(closed.closed_on) }, null, null)];
    }
  }
}

/** Someone printed between typesetting and the transaction: the serials on the page are no longer the next ones. */
class SerialsMoved extends Error {}

/**
 * Prepares one PDF for a batch of notices. The PDF is typeset first, then its serial numbers are taken and the
 * notices recorded as prepared in one transaction, only if they are still the next ones (see below), so a failed
 * typesetting consumes nothing; a notice counts as printed only once `confirm` says the print (or the file
 * write) went through.
 */
export async function prepareNotices(ctx: AppContext, input: { items: { loanId: number; docType: NoticeType }[]; asOf: string | null; payBy: string | null }): Promise<PreparedBatch> {
  const s = requirePermission(ctx, 'collections.print');
  const store = requireStore(ctx);
  const asOf = input.asOf ?? today(ctx);
  const ready: Draft[] = [];
  const skipped: PreparedBatch['skipped'] = [];
  for (const item of input.items) {
    try {
      for (const d of await drafts(ctx, store, s, item.loanId, item.docType, asOf, input.payBy)) {
        if (!d.addresseeAddress.trim()) skipped.push({ loanId: d.loanId, contractNo: d.contractNo, docType: d.type, reason: ctx.t('errors.noticeNoAddress', { name: d.addresseeName }) });
        else ready.push(d);
      }
    } catch (e) {
      if (!(e instanceof Skip) && !(e instanceof AppError)) throw e;
      // A loan the caller may not see is skipped exactly as a missing one: no contract number, the same reason.
      const hidden = e instanceof AppError && (e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND');
      const no = hidden ? null : (await store.db.selectFrom('loans').select('contract_no').where('id', '=', item.loanId).executeTakeFirst())?.contract_no;
      skipped.push({ loanId: item.loanId, contractNo: no ?? String(item.loanId), docType: item.docType, reason: hidden ? ctx.t('errors.noSuchLoan') : e.message });
    }
  }
  if (ready.length === 0) return { batchId: null, base64: null, notices: [], skipped };
  const batchId = randomBytes(8).toString('hex');
  const head = await letterhead(ctx, store);
  const year = Number(asOf.slice(0, 4));
  const now = ctx.nowIso();
  const dataWith = (serials: string[]): NoticeData[] =>
    ready.map((d, i) => ({ serial: serials[i]!, blocks: d.spec.blocks, values: d.values, amounts: d.amounts, payBy: d.payBy, issueDate: asOf, contact: d.contact, receipt: d.spec.receipt }));
  const render = async (serials: string[]) => {
    try {
      return await renderJob(ctx.paths.resourcesDir, { kind: 'notices', notices: dataWith(serials), head });
    } catch {
      throw new AppError('INTERNAL', ctx.t('errors.pdfFailed'));
    }
  };
  // Typesetting takes a second or more (on the PDF worker, so the window stays responsive), and the write
  // transaction (on the server, every PC's writer lock) should not wait for it. So the PDF is set first on the
  // serials the counter promises, and the transaction takes them only if nobody printed meanwhile; otherwise it
  // sets again, and after two misses inside the transaction, where nobody can print first.
  for (let attempt = 0; ; attempt++) {
    const last = attempt < 2 ? await lastSerial(store.db, year) : null;
    const early = last === null ? null : await render(ready.map((d, i) => formatSerial(year, d.spec.prefix, last + 1 + i)));
    const done = await store.db.transaction().execute(async (trx) => {
      const serials: string[] = [];
      for (const d of ready) serials.push(await nextSerial(trx, year, d.spec.prefix));
      const serialsMoved = last === null || serials[0] !== formatSerial(year, ready[0]!.spec.prefix, last + 1);
      if (serialsMoved && attempt < 2) throw new SerialsMoved(); // rolls the counter back
      const pdf = serialsMoved ? await render(serials) : early!;
      const notices: NoticeView[] = [];
      for (const [i, d] of ready.entries()) {
        const serial = serials[i]!;
        const a = d.amounts ?? { principalFen: 0, interestFen: 0, penaltyFen: 0 };
        await trx
          .insertInto('notices')
          .values({
            serial,
            doc_type: d.type,
            loan_id: d.loanId,
            addressee_kind: d.addresseeKind,
            addressee_name: d.addresseeName,
            addressee_address: d.addresseeAddress,
            as_of: asOf,
            principal_fen: a.principalFen,
            interest_fen: a.interestFen,
            penalty_fen: a.penaltyFen,
            pay_by: d.payBy,
            batch_id: batchId,
            status: 'prepared',
            receipt_required: d.spec.receipt ? 1 : 0,
            receipt_status: 'none',
            signed_on: null,
            signed_by: null,
            delivery: null,
            tracking_no: null,
            scan_document_id: null,
            registered_by: null,
            registered_at: null,
            created_by: s.username,
            created_at: now,
            printed_at: null,
          })
          .execute();
        notices.push({ serial, loanId: d.loanId, contractNo: d.contractNo, docType: d.type, addressee: d.addresseeName, status: 'prepared', receiptStatus: 'none', printedAt: null, signedOn: null });
      }
      await recordAudit(trx, now, { actor: s.username, action: 'notices.prepare', entity: 'notice-batch', entityId: batchId, detail: { serials } });
      return { batchId, base64: pdf.toString('base64'), notices, skipped };
    }).catch((e: unknown) => {
      if (e instanceof SerialsMoved) return null;
      throw e;
    });
    if (done) return done;
  }
}

/** A batch is confirmed or discarded by whoever prepared it; an officer does not find anyone else's. */
async function batchRows(ctx: AppContext, store: Store, s: Session, batchId: string) {
  let q = store.db.selectFrom('notices').select(['id', 'status', 'receipt_required']).where('batch_id', '=', batchId);
  if (!seesAllLoans(s.roles)) q = q.where('created_by', '=', s.username);
  const rows = await q.execute();
  if (rows.length === 0) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchBatch'));
  if (rows.some((r) => r.status !== 'prepared')) throw new AppError('CONFLICT', ctx.t('errors.batchDecided'));
  return rows;
}

/** The print (or the write of the file) went through: the notices count as delivered from now on. */
export async function confirmNotices(ctx: AppContext, input: { batchId: string }): Promise<{ printed: number }> {
  const s = requirePermission(ctx, 'collections.print');
  const store = requireStore(ctx);
  const rows = await batchRows(ctx, store, s, input.batchId);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('notices').set({ status: 'printed', printed_at: now }).where('batch_id', '=', input.batchId).execute();
    await trx.updateTable('notices').set({ receipt_status: 'pending' }).where('batch_id', '=', input.batchId).where('receipt_required', '=', 1).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'notices.print', entity: 'notice-batch', entityId: input.batchId, detail: { count: rows.length } });
  });
  return { printed: rows.length };
}

/** Printing was cancelled or failed: the serials are voided, never reused, and nothing counts as printed. */
export async function discardNotices(ctx: AppContext, input: { batchId: string; reason: string }): Promise<{ voided: number }> {
  const s = requirePermission(ctx, 'collections.print');
  const store = requireStore(ctx);
  const rows = await batchRows(ctx, store, s, input.batchId);
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('notices').set({ status: 'void' }).where('batch_id', '=', input.batchId).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'notices.void', entity: 'notice-batch', entityId: input.batchId, reason: input.reason, detail: { count: rows.length } });
  });
  return { voided: rows.length };
}

/**
 * The notices due today: a reminder some days before an instalment (more before a bullet maturity), once per
 * due date; an overdue notice per stage (M1, M2, M3+), a demand letter past 90 days, each again after the
 * repeat interval. The day counts are settings.
 */
export async function dueNotices(
  ctx: AppContext,
  input: { officer: string | null; bucket: string | null; level: string | null },
): Promise<DueNotice[]> {
  const s = requirePermission(ctx, 'collections.print');
  const store = requireStore(ctx);
  const now = today(ctx);
  const set = await readSettings(store.db);
  const rows = await store.db
    .selectFrom('loans as l')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .innerJoin('loan_status as s', 's.loan_id', 'l.id')
    .select((eb) => [
      'l.id',
      'l.contract_no',
      'b.name',
      'b.address',
      'l.officer',
      'l.method',
      's.dpd',
      's.bucket',
      's.level',
      eb
        .selectFrom('schedule_rows as r')
        .select((e) => e.fn.min('r.due_date').as('d'))
        .whereRef('r.loan_id', '=', 'l.id')
        .whereRef('r.version', '=', 'l.schedule_version')
        .where('r.due_date', '>=', now)
        .as('next_due'),
    ])
    .where('l.status', '=', 'active')
    .execute();
  // When each loan last had a notice of each type (a voided batch does not count).
  const latest = await store.db
    .selectFrom('notices')
    .select((eb) => ['loan_id', 'doc_type', eb.fn.max('created_at').as('at')])
    .where('status', '!=', 'void')
    .groupBy(['loan_id', 'doc_type'])
    .execute();
  const last = new Map(latest.map((r) => [`${r.loan_id}:${r.doc_type}`, r.at]));
  const repeatFrom = `${addDays(now, -set.overdueNoticeRepeatDays)}T00:00:00Z`;
  const mine = !s.roles.some((r) => r === 'supervisor' || r === 'risk' || r === 'archivist');
  const out: DueNotice[] = [];
  for (const r of rows) {
    if (mine && r.officer !== s.username) continue;
    if (input.officer && r.officer !== input.officer) continue;
    if (input.bucket && r.bucket !== input.bucket) continue;
    if (input.level && r.level !== input.level) continue;
    const push = (docType: DueNotice['docType'], reason: string, since: string) => {
      const at = last.get(`${r.id}:${docType}`);
      if (!at || at < since) out.push({ loanId: r.id, contractNo: r.contract_no, borrowerName: r.name, officer: r.officer, docType, reason, dpd: r.dpd, bucket: r.bucket, level: r.level, hasAddress: !!r.address.trim() });
    };
    if (r.dpd === 0 && r.next_due) {
      const bullet = r.method === 'bullet' || r.method === 'monthly-interest';
      const lead = bullet ? set.maturityReminderLeadDays : set.reminderLeadDays;
      const from = addDays(r.next_due, -lead);
      // Once per due date: a reminder printed since this due date's window opened covers it.
      if (now >= from) push('reminder', ctx.t('notices.reasonReminder', { date: ctx.day(r.next_due) }), `${from}T00:00:00Z`);
    }
    if (r.dpd > 90) push('demand-letter', ctx.t('notices.reasonDemand', { dpd: r.dpd }), repeatFrom);
    else if (r.dpd > 0) push('overdue-notice', ctx.t('notices.reasonOverdue', { dpd: r.dpd, bucket: r.bucket }), repeatFrom);
  }
  return out.sort((a, b) => b.dpd - a.dpd || a.contractNo.localeCompare(b.contractNo));
}

const PLACEHOLDERS = [
  'addressee', 'contractNo', 'contractDate', 'borrower', 'asOf', 'dpd', 'stageText', 'principal', 'interest', 'penalty', 'total', 'payBy',
  'period', 'guaranteeType', 'guaranteeAmount', 'receivables', 'receivablesTotal', 'receivablesOpen', 'receivablesDue', 'collectionAccountBank', 'collectionAccountName', 'collectionAccountNo', 'certificates', 'closedOn', 'serial', 'title',
  'grounds', 'acceleratedOn',
];

export async function listTemplates(ctx: AppContext): Promise<NoticeTemplateView[]> {
  requirePermission(ctx, 'collections.print');
  const store = requireStore(ctx);
  const out: NoticeTemplateView[] = [];
  for (const type of NOTICE_TYPES) {
    const row = await store.db.selectFrom('notice_templates').selectAll().where('doc_type', '=', type).executeTakeFirst();
    const spec = await noticeSpec(store, type);
    out.push({ docType: type, blocks: spec.blocks, builtIn: BUILT_IN[type].blocks, customised: !!row, updatedBy: row?.updated_by ?? null, updatedAt: row?.updated_at ?? null, placeholders: PLACEHOLDERS });
  }
  return out;
}

/** Every {{name}} in the wording must be one the notices fill in; a typo is named rather than printed. */
function checkPlaceholders(ctx: AppContext, blocks: TemplateBlocks): void {
  const issues = (Object.keys(blocks) as (keyof TemplateBlocks)[]).flatMap((k) =>
    [...blocks[k].matchAll(/\{\{(\w+)\}\}/g)].filter((m) => !PLACEHOLDERS.includes(m[1])).map((m) => ({ path: k, message: ctx.t('errors.unknownPlaceholder', { name: m[1] }) })),
  );
  if (issues.length) throw new AppError('VALIDATION', issues[0].message, issues);
}

/** The risk officer's wording replaces the built-in one; saving the built-in text again restores it. */
export async function saveTemplate(ctx: AppContext, input: { docType: NoticeType; blocks: TemplateBlocks }): Promise<NoticeTemplateView[]> {
  const s = requirePermission(ctx, 'collections.templates');
  const store = requireStore(ctx);
  checkPlaceholders(ctx, input.blocks);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const row = { doc_type: input.docType, blocks: JSON.stringify(input.blocks), updated_by: s.username, updated_at: now };
    await trx.insertInto('notice_templates').values(row).onConflict((oc) => oc.column('doc_type').doUpdateSet(row)).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'notices.saveTemplate', entity: 'template', entityId: input.docType, detail: input.blocks });
  });
  return listTemplates(ctx);
}

/** A preview with sample values; nothing is recorded and the serial reads 预览. */
export async function previewTemplate(ctx: AppContext, input: { docType: NoticeType; blocks: TemplateBlocks }): Promise<{ base64: string }> {
  requirePermission(ctx, 'collections.print');
  const store = requireStore(ctx);
  checkPlaceholders(ctx, input.blocks);
  const sample: Record<string, string> = {
    addressee: '张三', contractNo: 'DK2026000001', contractDate: '2026年1月15日', borrower: '张三', asOf: zhDate(today(ctx)), dpd: '35', stageText: STAGE_TEXT.M2,
    principal: money(1_000_000), interest: money(12_345), penalty: money(678), total: money(1_013_023), period: '5', guaranteeType: '连带责任保证', guaranteeAmount: money(10_000_000),
    receivables: `发票号 FP001，金额 ${money(10_000_000)}，到期日 2026年5月10日（已到期）`, receivablesTotal: money(10_000_000), receivablesOpen: money(5_000_000), receivablesDue: money(5_000_000), collectionAccountBank: '中国工商银行厦门分行营业部', collectionAccountName: '测试商业保理有限公司', collectionAccountNo: '4100021109024001234', certificates: '1. 不动产权证书 京(2025)不动产权第0001号', closedOn: '2026年10月1日',
  };
  const spec = BUILT_IN[input.docType];
  const pdf = await renderJob(ctx.paths.resourcesDir, {
    kind: 'notices',
    notices: [{ serial: '预览', blocks: input.blocks, values: { ...sample, payBy: zhDate(addDays(today(ctx), 10)) }, amounts: { principalFen: 1_000_000, interestFen: 12_345, penaltyFen: 678 }, payBy: addDays(today(ctx), 10), issueDate: today(ctx), contact: '李明', receipt: spec.receipt }],
    head: await letterhead(ctx, store),
  });
  return { base64: pdf.toString('base64') };
}
