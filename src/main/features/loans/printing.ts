import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { businessDateOf, CHINA_UTC_OFFSET_MINUTES, formatFen } from '../../../shared/domain';
import { AppError } from '../../../shared/ipc/errors';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { cardDoc, type CardExtras } from '../../pdf/card';
import { extensionAgreementDoc, extensionApplicationDoc } from '../../pdf/extension';
import { settlementQuoteDoc } from '../../pdf/settlementQuote';
import type { Letterhead } from '../../pdf/common';
import { renderPdf } from '../../pdf/render';
import { reportDoc } from '../../pdf/report';
import type { AppContext } from '../../kernel/context';
import { listInspections } from '../inspections/inspections';
import { loanDetail } from './loanDetail';
import { getReport, loanFacts } from '../reports/reports';
import { drawdownsOf } from '../drawdowns/drawdowns';
import { feeRuleOf, settlementQuote } from '../repayments/servicing';
import { requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore, type Store } from '../../kernel/store';

export async function letterhead(ctx: AppContext, store: Store): Promise<Letterhead> {
  const s = await readSettings(store.db);
  // China time, like the business dates, whatever the machine's zone.
  const bj = new Date(ctx.clock.now().getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000).toISOString();
  return { institution: s.institution, branch: s.branch, printedAt: `${bj.slice(0, 10)} ${bj.slice(11, 16)}` };
}

async function displayName(store: Store, username: string | null): Promise<string | null> {
  if (!username) return null;
  const u = await store.db.selectFrom('users').select('display_name').where('username', '=', username).executeTakeFirst();
  return u?.display_name ?? username;
}

async function render(ctx: AppContext, doc: TDocumentDefinitions): Promise<string> {
  try {
    return (await renderPdf(ctx.paths.resourcesDir, doc)).toString('base64');
  } catch {
    throw new AppError('INTERNAL', ctx.t('errors.pdfFailed'));
  }
}

/** A report prints once submitted: for review with empty signature lines, or signed and filed. */
export async function reportPdf(ctx: AppContext, input: { reportId: number }): Promise<{ fileName: string; base64: string }> {
  const r = await getReport(ctx, input);
  if (r.status === 'draft' || r.status === 'returned') throw new AppError('RULE_VIOLATION', ctx.t('errors.printAfterSubmit'));
  const store = requireStore(ctx);
  const loan = await store.db.selectFrom('loans').select(['principal_fen', 'start_date', 'maturity_date']).where('id', '=', r.loanId).executeTakeFirstOrThrow();
  const doc = reportDoc(
    {
      report: r,
      officerName: (await displayName(store, r.officer))!,
      reviewerName: await displayName(store, r.reviewer),
      principalFen: loan.principal_fen,
      startDate: loan.start_date,
      maturityDate: loan.maturity_date,
      facts: await loanFacts(store, r.loanId),
    },
    await letterhead(ctx, store),
  );
  return { fileName: `检查报告_${r.contractNo}_${r.visitDate}.pdf`, base64: await render(ctx, doc) };
}

/** What the card shows beyond the loan itself: inspections, warnings, documents, work log. */
export async function cardExtras(ctx: AppContext, store: Store, d: LoanDetail): Promise<CardExtras> {
  const loanId = d.loan.id;
  const inspections = await listInspections(ctx, { loanId, status: null, dueBefore: null });
  const warnings = await store.db
    .selectFrom('warnings as w')
    .innerJoin('warning_signals as g', 'g.id', 'w.signal_id')
    .select(['w.raised_at', 'g.name_zh', 'w.level', 'w.status', 'w.owner'])
    .where('w.loan_id', '=', loanId)
    .orderBy('w.id')
    .execute();
  const documents = await store.db.selectFrom('documents').select(['doc_type', 'file_name', 'created_at']).where('loan_id', '=', loanId).where('removed_at', 'is', null).orderBy('id').execute();
  const workLog = await store.db
    .selectFrom('work_log')
    .select(['entry_date', 'kind', 'content', 'author', 'supervisor_comment'])
    .where((eb) => eb.or([eb('loan_id', '=', loanId), eb.and([eb('loan_id', 'is', null), eb('borrower_id', '=', d.borrower.id)])]))
    .orderBy('entry_date')
    .execute();
  const LOG = { call: '电话', visit: '走访', finding: '发现', message: '短信', other: '其他' } as const;
  // Collection actions: notices printed (with their receipts), contacts and promises, newest last.
  const NOTICE = { reminder: '还款提示通知书', 'overdue-notice': '逾期催收通知书', 'guarantor-notice': '担保人履行保证责任通知书', 'demand-letter': '催告函', 'assignment-notice': '应收账款转让通知书', 'debtor-collection': '应收账款催收函', 'certificate-return': '权证退还签收单', 'acceleration-notice': '贷款提前到期通知书' } as Record<string, string>;
  const OUTCOME = { reached: '已联系上', promised: '承诺还款', refused: '拒绝还款', 'wrong-number': '号码错误', 'no-answer': '无人接听', other: '其他' } as Record<string, string>;
  const notices = await store.db.selectFrom('notices').select(['serial', 'doc_type', 'addressee_name', 'printed_at', 'receipt_status', 'signed_on']).where('loan_id', '=', loanId).where('status', '=', 'printed').execute();
  const contacts = await store.db.selectFrom('contacts').select(['contacted_on', 'channel', 'target', 'outcome', 'note']).where('loan_id', '=', loanId).execute();
  const promises = await store.db.selectFrom('promises').select(['made_on', 'amount_fen', 'promise_date']).where('loan_id', '=', loanId).execute();
  const collections = [
    ...notices.map((n) => ({ date: businessDateOf(n.printed_at!), action: NOTICE[n.doc_type] ?? n.doc_type, detail: `${n.serial} 致 ${n.addressee_name}${n.receipt_status === 'returned' ? `，回执已于 ${n.signed_on} 签收` : n.receipt_status === 'pending' ? '，回执未返回' : ''}` })),
    ...contacts.map((c) => ({ date: c.contacted_on, action: LOG[c.channel === 'letter' ? 'other' : c.channel] ?? c.channel, detail: `${c.target}：${OUTCOME[c.outcome] ?? c.outcome}${c.note ? `，${c.note}` : ''}` })),
    ...promises.map((p) => ({ date: p.made_on, action: '承诺还款', detail: `¥${formatFen(p.amount_fen)}，承诺于 ${p.promise_date} 前` })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    officerName: (await displayName(store, d.loan.officer))!,
    inspections: inspections.filter((i) => i.status !== 'cancelled'),
    warnings: warnings.map((w) => ({ raisedAt: w.raised_at, name: w.name_zh, level: w.level, status: w.status, owner: w.owner })),
    documents: documents.map((x) => ({ docType: x.doc_type, fileName: x.file_name, createdAt: x.created_at })),
    workLog: workLog.map((w) => ({ date: w.entry_date, kind: LOG[w.kind], content: w.content, author: w.author, comment: w.supervisor_comment })),
    collections,
    drawdowns: await drawdownsOf(store, loanId),
  };
}

export async function cardPdfByLoan(ctx: AppContext, input: { loanId: number }): Promise<{ fileName: string; base64: string }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const d = await loanDetail(ctx, store, s, input.loanId, null);
  const doc = cardDoc(d, await cardExtras(ctx, store, d), await letterhead(ctx, store));
  return { fileName: `贷后管理卡_${d.loan.contractNo}.pdf`, base64: await render(ctx, doc) };
}

export async function cardPdfByContract(ctx: AppContext, contractNo: string): Promise<{ fileName: string; base64: string }> {
  requirePermission(ctx, 'portfolio.read');
  const loan = await requireStore(ctx).db.selectFrom('loans').select('id').where('contract_no', '=', contractNo).executeTakeFirst();
  if (!loan) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchContract', { no: contractNo }));
  return cardPdfByLoan(ctx, { loanId: loan.id });
}

/** The extension application (from the open or latest request) or the agreement (needs an approved one). */
export async function extensionPdf(ctx: AppContext, contractNo: string, kind: 'extension-application' | 'extension-agreement'): Promise<{ fileName: string; base64: string }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const loan = await store.db.selectFrom('loans').select('id').where('contract_no', '=', contractNo).executeTakeFirst();
  if (!loan) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchContract', { no: contractNo }));
  const d = await loanDetail(ctx, store, s, loan.id, null);
  const changes = await store.db.selectFrom('loan_changes').selectAll().where('loan_id', '=', loan.id).where('kind', '=', 'extension').orderBy('id', 'desc').execute();
  const approved = changes.find((c) => c.status === 'approved');
  const open = changes.find((c) => c.status === 'pending');
  if (kind === 'extension-agreement' && !approved) throw new AppError('RULE_VIOLATION', ctx.t('errors.noApprovedExtension'));
  const basis = kind === 'extension-agreement' ? approved! : (open ?? null);
  const approvedAt = approved?.final_at ?? approved?.first_at;
  const events = await store.db.selectFrom('loan_events').select('detail').where('loan_id', '=', loan.id).where('kind', '=', 'extension').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const originalMaturity = kind === 'extension-agreement' && events ? (JSON.parse(events.detail) as { from: string }).from : d.loan.maturityDate;
  const p = {
    contractNo: d.loan.contractNo,
    contractDate: d.loan.startDate,
    borrower: d.borrower.name,
    borrowerId: d.borrower.idNumber,
    principalFen: d.loan.principalFen,
    balanceFen: d.state.balanceFen,
    annualRate: d.loan.annualRate,
    maturity: originalMaturity,
    newMaturity: basis?.new_maturity ?? null,
    reason: basis?.reason ?? null,
    guarantors: d.guarantees.map((g) => g.name),
    approvedOn: approvedAt ? businessDateOf(approvedAt) : null,
    schedule: d.schedule.filter((r) => r.status !== 'paid').map((r) => ({ period: r.period, dueDate: r.dueDate, principalFen: r.principalFen - r.principalPaidFen, interestFen: r.interestFen - r.interestPaidFen })),
  };
  const head = await letterhead(ctx, store);
  const doc = kind === 'extension-agreement' ? extensionAgreementDoc(p, head) : extensionApplicationDoc(p, head);
  return { fileName: `${kind === 'extension-agreement' ? '展期协议' : '展期申请书'}_${d.loan.contractNo}.pdf`, base64: await render(ctx, doc) };
}

/** 提前结清测算单 for a loan on a date: the same quote as `repayments.quote`, printed with its uppercase amounts. */
export async function settlementQuotePdf(ctx: AppContext, input: { loanId: number; date: string }): Promise<{ fileName: string; base64: string }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const quote = await settlementQuote(ctx, input);
  const d = await loanDetail(ctx, store, s, input.loanId, null);
  const doc = settlementQuoteDoc(
    {
      quote,
      contractNo: d.loan.contractNo,
      borrower: d.borrower.name,
      borrowerId: d.borrower.idNumber,
      product: d.loan.product,
      principalFen: d.loan.principalFen,
      annualRate: d.loan.annualRate,
      startDate: d.loan.startDate,
      maturityDate: d.loan.maturityDate,
      fee: await feeRuleOf(store.db, d.loan.product),
      preparedBy: s.displayName,
    },
    await letterhead(ctx, store),
  );
  return { fileName: `提前结清测算单_${d.loan.contractNo}_${input.date}.pdf`, base64: await render(ctx, doc) };
}
