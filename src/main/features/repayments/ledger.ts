import type { AccelerationGround } from '../../../shared/domain/acceleration';
import { LEVEL_LABELS } from '../../../shared/domain/classification';
import { businessDateOf } from '../../../shared/domain/dates';
import { formatFen } from '../../../shared/domain/money';
import type { LedgerEntry } from '../../../shared/ipc/repayments';
import { type AppContext, today } from '../../kernel/context';
import { floorReasonsWorded, readFloorReasons } from '../../domain/floorReasons';
import { statusOf } from '../../domain/loanStatus';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import { requireStore } from '../../kernel/store';
import { ledgerWorkbook } from '../../xlsx/ledger';

const KIND_ORDER: Record<LedgerEntry['kind'], number> = {
  disbursement: 0,
  guarantee: 1,
  collateral: 2,
  'rate-change': 3,
  extension: 4,
  repayment: 5,
  reversal: 6,
  payoff: 7,
  classification: 8,
  'write-off': 9,
  restructuring: 4,
  acceleration: 4,
  prepayment: 5,
};

/** The events of default of an acceleration, in the user's language. */
export function groundsWorded(ctx: AppContext, grounds: readonly AccelerationGround[]): string {
  return grounds.map((g) => ctx.t(`changesUi.ground.${g}`)).join(ctx.config.locale === 'en' ? ', ' : '、');
}

/** Every event of a loan in date order, with the principal balance running beside it. */
export async function loanLedger(ctx: AppContext, input: { loanId: number; limit?: number; offset?: number }): Promise<{ contractNo: string; total: number; entries: LedgerEntry[] }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  const { db } = store;
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  const state = (await statusOf(db, loan, today(ctx))).state;
  const alloc = new Map(state.allocations.map((a) => [a.id, a]));
  const raw: Omit<LedgerEntry, 'balanceFen'>[] = [];
  const none = { principalFen: 0, interestFen: 0, penaltyFen: 0 };

  const drawdowns = await db.selectFrom('loan_drawdowns').selectAll().where('loan_id', '=', loan.id).orderBy('id').execute();
  const first = loan.principal_fen - drawdowns.reduce((n, d) => n + d.amount_fen, 0);
  raw.push({ date: loan.start_date, kind: 'disbursement', description: ctx.t('ledger.disbursement', { no: loan.contract_no }), ...none, principalFen: first, amountFen: first, by: loan.created_by });
  for (const [i, d] of drawdowns.entries()) {
    raw.push({ date: d.drawn_on, kind: 'disbursement', description: ctx.t('ledger.drawdown', { seq: i + 2, voucher: d.voucher_no || '—' }), ...none, principalFen: d.amount_fen, amountFen: d.amount_fen, by: d.created_by });
  }
  // 溢收款 held from a payment meets instalments on their due dates: no cash moves, the balance does.
  for (const c of state.creditApplications) {
    raw.push({ date: c.date, kind: 'repayment', description: ctx.t('servicing.ledgerCredit'), principalFen: -c.principalFen, interestFen: c.interestFen, penaltyFen: c.penaltyFen, amountFen: 0, by: 'system' });
  }
  const reps = await db.selectFrom('repayments').selectAll().where('loan_id', '=', loan.id).execute();
  const reversedBy = new Map(reps.filter((r) => r.reversal_of !== null).map((r) => [r.reversal_of!, r]));
  for (const r of reps) {
    if (r.reversal_of !== null) {
      raw.push({ date: r.paid_on, kind: 'reversal', description: ctx.t('ledger.reversal', { id: r.reversal_of, reason: r.note }), ...none, amountFen: -r.amount_fen, by: r.created_by });
      continue;
    }
    const a = alloc.get(r.id);
    const rev = reversedBy.get(r.id);
    raw.push({
      date: r.paid_on,
      kind: 'repayment',
      description: rev ? ctx.t('ledger.repaymentReversed', { id: r.id, date: ctx.day(rev.paid_on) }) : ctx.t('ledger.repayment', { id: r.id }),
      principalFen: a && !rev ? -a.principalFen : 0,
      interestFen: a && !rev ? a.interestFen : 0,
      penaltyFen: a && !rev ? a.penaltyFen : 0,
      amountFen: r.amount_fen,
      by: r.created_by,
    });
  }
  const events = await db.selectFrom('loan_events').selectAll().where('loan_id', '=', loan.id).execute();
  for (const e of events) {
    if (!(e.kind in KIND_ORDER)) continue;
    const kind = e.kind as LedgerEntry['kind'];
    const d = JSON.parse(e.detail) as Record<string, string | number>;
    const description =
      e.kind === 'guarantee'
        ? ctx.t('ledger.guarantee', { name: d.name, amount: formatFen(Number(d.amountFen)) })
        : e.kind === 'collateral'
          ? ctx.t('ledger.collateral', { description: d.description, amount: formatFen(Number(d.valueFen)) })
          : e.kind === 'extension'
            ? ctx.t('ledger.extension', { from: ctx.day(String(d.from)), to: ctx.day(String(d.to)) })
            : e.kind === 'prepayment'
              ? ctx.t(d.from === d.to ? 'ledger.prepaymentLower' : 'ledger.prepaymentShorten', { principal: formatFen(Number(d.principalFen)), from: ctx.day(String(d.from)), to: ctx.day(String(d.to)) })
            : e.kind === 'acceleration'
              ? ctx.t('ledger.acceleration', { from: ctx.day(String(d.from)), to: ctx.day(String(d.to)), grounds: groundsWorded(ctx, d.grounds as unknown as AccelerationGround[]) })
            : e.kind === 'write-off'
              ? ctx.t('ledger.writeOff')
              : e.kind === 'restructuring'
                ? ctx.t('ledger.restructuring', { maturity: ctx.day(String(d.maturity)), rate: String(d.rate), until: ctx.day(String(d.observationUntil)) })
                : e.kind;
    raw.push({ date: e.event_date, kind, description, ...none, amountFen: 0, by: e.created_by });
  }
  const classes = await db.selectFrom('classifications').selectAll().where('loan_id', '=', loan.id).where('status', 'in', ['approved', 'system']).execute();
  for (const c of classes) {
    const level = c.level;
    const floorReasons = c.status === 'system' ? readFloorReasons(c.floor_reasons) : null;
    const comment = c.status === 'approved' ? (c.decision_comment ?? c.reason) : '';
    const reason = floorReasons ? floorReasonsWorded(ctx, floorReasons) : comment;
    raw.push({
      date: businessDateOf(c.decided_at ?? c.proposed_at),
      kind: 'classification',
      description: ctx.t('ledger.classification', { level: LEVEL_LABELS[level][ctx.config.locale === 'en' ? 'en' : 'zh'], reason }),
      ...none,
      amountFen: 0,
      by: c.decided_by ?? c.proposed_by,
      classification: { level, floorReasons, comment },
    });
  }
  if (loan.status === 'closed' && loan.closed_on) raw.push({ date: loan.closed_on, kind: 'payoff', description: ctx.t('ledger.payoff'), ...none, amountFen: 0, by: 'system' });

  raw.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind]));
  let balance = 0;
  const entries = raw.map((e) => {
    balance += e.principalFen;
    return { ...e, balanceFen: balance };
  });
  const offset = input.offset ?? 0;
  return { contractNo: loan.contract_no, total: entries.length, entries: entries.slice(offset, input.limit === undefined ? undefined : offset + input.limit) };
}

export async function exportLedger(ctx: AppContext, input: { loanId: number }): Promise<{ fileName: string; base64: string }> {
  const ledger = await loanLedger(ctx, { loanId: input.loanId });
  const buf = await ledgerWorkbook(ctx, ledger.contractNo, ledger.entries);
  return { fileName: ctx.t('ledger.fileName', { no: ledger.contractNo }), base64: buf.toString('base64') };
}
