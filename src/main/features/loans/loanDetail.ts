import { securityOf, type ClassificationView, type CollateralView, type GuaranteeMode, type GuaranteeView, type LoanDetail, type LoanTermsView, type RepaymentView } from '../../../shared/ipc/loans';
import { readFloorReasons } from '../../domain/floorReasons';
import { type AppContext, type Session, today } from '../../kernel/context';
import { findBorrower } from '../borrowers/borrowers';
import { effectiveRepayments, statusOf } from '../../domain/loanStatus';
import { readSettings } from '../../kernel/settings';
import { visibleLoan, type LoanRow } from '../../kernel/authz';
import type { Store } from '../../kernel/store';

/** A loan's terms as the pages show them. */
/**
 * Which changes besides an extension or a restructuring moved the schedule away from the contract's: an early
 * maturity, or a prepayment whose payment stands (a reversed one put the schedule back).
 */
function rescheduledBy(events: { kind: string; detail: string }[], effective: ReadonlySet<number>): { accelerated: boolean; prepaid: boolean } {
  const prepaid = events.some((e) => e.kind === 'prepayment' && effective.has(Number((JSON.parse(e.detail) as { repaymentId?: number }).repaymentId)));
  return { accelerated: events.some((e) => e.kind === 'acceleration'), prepaid };
}

export function termsView(l: LoanRow, officerName: string, changed = { accelerated: false, prepaid: false }): LoanTermsView {
  return {
    id: l.id,
    contractNo: l.contract_no,
    kind: l.kind,
    borrowerId: l.borrower_id,
    product: l.product,
    principalFen: l.principal_fen,
    annualRate: l.annual_rate,
    penaltyUplift: l.penalty_uplift,
    termMonths: l.term_months,
    method: l.method,
    purpose: l.purpose,
    startDate: l.start_date,
    maturityDate: l.maturity_date,
    guaranteeModes: JSON.parse(l.guarantee_modes) as GuaranteeMode[],
    officer: l.officer,
    officerName,
    status: l.status,
    restructured: !!l.restructured,
    extended: !!l.extended,
    accelerated: changed.accelerated,
    prepaid: changed.prepaid,
  };
}

/** Everything about one loan as of a date (default today), computed from the stored facts. */
export async function loanDetail(ctx: AppContext, store: Store, s: Session, loanId: number, asOf: string | null): Promise<LoanDetail> {
  const { db } = store;
  const loan = await visibleLoan(ctx, store, s, loanId);
  const date = asOf ?? today(ctx);
  const computed = await statusOf(db, loan, date);
  const allocations = new Map(computed.state.allocations.map((a) => [a.id, a]));

  const reps = await db.selectFrom('repayments').selectAll().where('loan_id', '=', loanId).orderBy('paid_on').orderBy('id').execute();
  const reversals = new Map(reps.filter((r) => r.reversal_of !== null).map((r) => [r.reversal_of!, r]));
  const effective = new Set((await effectiveRepayments(db, loanId)).map((r) => r.id));
  const pendingReversals = new Map(
    (await db.selectFrom('repayment_reversals').selectAll().where('loan_id', '=', loanId).where('status', '=', 'pending').execute()).map((p) => [p.repayment_id, p]),
  );
  const repayments: RepaymentView[] = reps
    .filter((r) => r.reversal_of === null)
    .map((r) => {
      const rev = reversals.get(r.id);
      const a = effective.has(r.id) ? allocations.get(r.id) : undefined;
      return {
        id: r.id,
        paidOn: r.paid_on,
        amountFen: r.amount_fen,
        source: r.source,
        note: r.note,
        createdBy: r.created_by,
        createdAt: r.created_at,
        reversed: rev ? { by: rev.created_by, at: rev.created_at, reason: rev.note } : null,
        allocation: a ? { penaltyFen: a.penaltyFen, interestFen: a.interestFen, principalFen: a.principalFen, unallocatedFen: a.unallocatedFen, feeFen: a.feeFen } : null,
        reversalPending: ((p) => (p ? { id: p.id, by: p.proposed_by, at: p.proposed_at, reason: p.reason } : null))(pendingReversals.get(r.id)),
        excess: r.excess,
      };
    });

  const guarantees: GuaranteeView[] = (
    await db
      .selectFrom('loan_guarantees as g')
      .innerJoin('guarantors as p', 'p.id', 'g.guarantor_id')
      .select(['g.id', 'g.guarantor_id', 'p.kind', 'p.name', 'p.id_number', 'p.phone', 'g.guarantee_type', 'g.amount_fen', 'g.period_end'])
      .where('g.loan_id', '=', loanId)
      .orderBy('g.id')
      .execute()
  ).map((g) => ({
    id: g.id,
    guarantorId: g.guarantor_id,
    kind: g.kind,
    name: g.name,
    idNumber: g.id_number,
    phone: g.phone,
    guaranteeType: g.guarantee_type,
    amountFen: g.amount_fen,
    periodEnd: g.period_end,
  }));

  const limit = (await readSettings(db)).ltvLimitPercent;
  const collRows = await db.selectFrom('collateral').selectAll().where('loan_id', '=', loanId).orderBy('id').execute();
  const collateral: CollateralView[] = [];
  for (const c of collRows) {
    const valuations = await db.selectFrom('collateral_valuations').selectAll().where('collateral_id', '=', c.id).orderBy('valued_on', 'desc').orderBy('id', 'desc').execute();
    const certs = await db.selectFrom('certificates').selectAll().where('collateral_id', '=', c.id).orderBy('id').execute();
    const latest = valuations[0]?.value_fen;
    // Per mille, rounded half-up, shown with one decimal.
    const ltvPermille = latest ? Math.floor((computed.state.balanceFen * 2000 + latest) / (2 * latest)) : null;
    collateral.push({
      id: c.id,
      kind: c.kind,
      type: c.type,
      description: c.description,
      owner: c.owner,
      registrationAuthority: c.registration_authority,
      registrationNo: c.registration_no,
      valuations: valuations.map((v) => ({ id: v.id, valueFen: v.value_fen, valuedOn: v.valued_on, note: v.note, createdBy: v.created_by })),
      certificates: certs.map((x) => ({ id: x.id, certNo: x.cert_no, certType: x.cert_type, custody: x.custody })),
      ltvPercent: ltvPermille === null ? null : `${Math.floor(ltvPermille / 10)}.${ltvPermille % 10}`,
      ltvOverLimit: ltvPermille !== null && ltvPermille > limit * 10,
    });
  }

  const classifications: ClassificationView[] = (
    await db.selectFrom('classifications').selectAll().where('loan_id', '=', loanId).orderBy('id', 'desc').execute()
  ).map((c) => ({
    id: c.id,
    level: c.level,
    floorLevel: c.floor_level,
    floorReasons: readFloorReasons(c.floor_reasons),
    reason: c.reason,
    status: c.status,
    proposedBy: c.proposed_by,
    proposedAt: c.proposed_at,
    decidedBy: c.decided_by,
    decidedAt: c.decided_at,
    decisionComment: c.decision_comment,
  }));

  const st = computed.state;
  return {
    loan: termsView(
      loan,
      (await db.selectFrom('users').select('display_name').where('username', '=', loan.officer).executeTakeFirst())?.display_name ?? loan.officer,
      rescheduledBy(await db.selectFrom('loan_events').select(['kind', 'detail']).where('loan_id', '=', loanId).where('kind', 'in', ['acceleration', 'prepayment']).execute(), effective),
    ),
    borrower: await findBorrower(ctx, store, loan.borrower_id),
    state: {
      asOf: date,
      balanceFen: st.balanceFen,
      dpd: st.dpd,
      bucket: st.bucket,
      overduePrincipalFen: st.overduePrincipalFen,
      overdueInterestFen: st.overdueInterestFen,
      penaltyOutstandingFen: st.penaltyOutstandingFen,
      oldestUnpaidDueDate: st.oldestUnpaidDueDate,
      level: computed.level,
      floorLevel: computed.floorLevel,
      floorReasons: computed.floorReasons,
      creditFen: st.creditFen,
      dueFen: st.dueFen,
    },
    schedule: st.periods,
    repayments,
    guarantees,
    collateral,
    security: securityOf(JSON.parse(loan.guarantee_modes) as string[], { guarantors: guarantees.length, collateralKinds: collateral.map((c) => c.kind) }),
    classifications,
  };
}
