import { addDays, addMonthsClamped } from '../../shared/domain/dates';
import { buildSchedule, type RepaymentMethod } from '../../shared/domain/schedule';
import type { AuditInput } from '../db/auditChain';
import { appendAuditRaw, immediateTransaction } from '../db/connection';
import { demoInserts, type DemoInserts } from '../db/demoBulk';
import type { Connection } from '../db/open';
import { address, enterprise, personName, phone, residentId } from './names';
import { pinyinColumns } from '../db/pinyin';
import { Rng } from './random';

const pinyinOf = (name: string): { name_pinyin: string; name_initials: string } => {
  const p = pinyinColumns(name);
  return { name_pinyin: p.name_pinyin, name_initials: p.name_initials };
};

export const DEMO_SEED = 20261125;
export const DEMO_OFFICERS = ['officer1', 'officer2'];

export interface DemoCounts {
  borrowers: number;
  loans: number;
  factoring: number;
  repayments: number;
  guarantees: number;
  collateral: number;
}

const RATES = ['4.35', '4.9', '5.5', '6.5', '8', '9.6', '12', '15.4', '18', '24'];
// Target days past due for loans whose borrower stopped paying: at least one in every bucket and class.
const TARGET_DPD = [3, 15, 45, 75, 100, 135, 165, 200, 300, 400];
const DEBTORS = 8;

function method(rng: Rng): RepaymentMethod {
  const r = rng.next();
  return r < 0.35 ? 'equal-installment' : r < 0.55 ? 'equal-principal' : r < 0.85 ? 'monthly-interest' : 'bullet';
}

export interface DemoOptions {
  borrowers: number;
  today: string;
  actor: string;
  now: string;
}

/** Borrowers between two pauses of `demoSteps`: the branch server's inserts are sent at each pause. */
export const DEMO_STEP = 2000;

/**
 * Fills an empty portfolio with a realistic, seeded demo: people and companies with valid ID numbers,
 * every repayment method, factoring with several account debtors, guarantors, collateral, and
 * repayments that leave loans in every DPD bucket. Dates are placed relative to `today`.
 * The rows go to `ins` as they are made; the generator pauses every DEMO_STEP borrowers, so that a store whose
 * writes are asynchronous (the branch server) can send what was made so far. It returns the counts.
 */
export function* demoSteps(ins: DemoInserts, opts: DemoOptions): Generator<void, DemoCounts> {
  const rng = new Rng(DEMO_SEED);
  const { today, now, actor } = opts;
  const counts: DemoCounts = { borrowers: 0, loans: 0, factoring: 0, repayments: 0, guarantees: 0, collateral: 0 };
  const usedIds = new Set<string>();
  const uniqueId = (make: () => string) => {
    for (;;) {
      const v = make();
      if (!usedIds.has(v)) {
        usedIds.add(v);
        return v;
      }
    }
  };

  const debtorIds: number[] = [];
  for (let i = 0; i < DEBTORS; i++) {
    const e = enterprise(rng, i);
    debtorIds.push(ins.debtors({ name: e.name, credit_code: uniqueId(() => enterprise(rng, i).code), address: address(rng), created_at: now }));
  }

  let contractSeq = 0;
  const addLoan = (borrowerId: number, person: boolean, kind: 'loan' | 'factoring', name: string): void => {
    const m: RepaymentMethod = kind === 'factoring' ? 'bullet' : method(rng);
    const months = m === 'bullet' ? rng.pick([3, 6, 12]) : rng.pick([6, 12, 24, 36]);
    const principalFen = (person ? rng.int(50, 1000) : rng.int(300, 5000)) * 100_000;
    const rate = kind === 'factoring' ? rng.pick(['6.5', '8', '9.6']) : rng.pick(RATES);
    const fate = rng.next();
    let start: string;
    let stopAt = Infinity;
    if (fate < 0.2) {
      // Stopped paying: the first unpaid instalment fell due about TARGET_DPD days ago.
      const k = m === 'bullet' ? 1 : rng.int(1, Math.min(months, 6));
      start = addMonthsClamped(addDays(today, -rng.pick(TARGET_DPD)), -(m === 'bullet' ? months : k));
      stopAt = k;
    } else if (fate < 0.27) {
      start = addMonthsClamped(addDays(today, -rng.int(5, 200)), -months);
    } else {
      start = addDays(addMonthsClamped(today, -rng.int(0, months - 1)), -rng.int(1, 27));
    }
    const schedule = buildSchedule({ principalFen, annualRate: rate, months, method: m, startDate: start });
    const modes = kind === 'factoring' ? ['credit'] : rng.chance(0.4) ? ['guarantee'] : rng.chance(0.5) ? ['mortgage'] : ['credit'];
    contractSeq++;
    const contractNo = `${kind === 'factoring' ? 'BL' : 'DK'}${start.slice(0, 4)}${String(contractSeq).padStart(6, '0')}`;
    const officer = rng.pick(DEMO_OFFICERS);
    const loanId = ins.loans({
      contract_no: contractNo,
      kind,
      borrower_id: borrowerId,
      product: kind === 'factoring' ? '国内有追索权保理' : person ? '个人经营贷' : '流动资金贷款',
      principal_fen: principalFen,
      annual_rate: rate,
      penalty_uplift: '0.5',
      term_months: months,
      method: m,
      purpose: kind === 'factoring' ? '应收账款融资' : person ? '经营周转' : '采购原材料',
      start_date: start,
      maturity_date: schedule[schedule.length - 1].dueDate,
      guarantee_modes: JSON.stringify(modes),
      officer,
      created_by: actor,
      created_at: now,
      updated_at: now,
    });
    counts.loans++;
    for (const r of schedule) ins.schedule_rows({ loan_id: loanId, version: 1, period: r.period, due_date: r.dueDate, principal_fen: r.principalFen, interest_fen: r.interestFen });
    const late = rng.chance(0.1) ? rng.int(1, 6) : 0;
    for (const r of schedule) {
      if (r.period >= stopAt) break;
      const paidOn = addDays(r.dueDate, late);
      if (paidOn >= today) break;
      ins.repayments({ loan_id: loanId, paid_on: paidOn, amount_fen: r.totalFen, source: 'borrower', receivable_id: null, note: '', created_by: actor, created_at: now });
      counts.repayments++;
    }
    if (modes.includes('guarantee')) {
      const g = ins.guarantors({
        kind: 'person',
        name: personName(rng),
        id_number: uniqueId(() => residentId(rng, rng.int(0, 999))),
        phone: phone(rng),
        address: address(rng),
        created_by: actor,
        created_at: now,
      });
      ins.loan_guarantees({
        loan_id: loanId,
        guarantor_id: g,
        guarantee_type: rng.chance(0.8) ? 'joint' : 'general',
        amount_fen: principalFen,
        period_end: addMonthsClamped(schedule[schedule.length - 1].dueDate, 36),
        created_at: now,
      });
      counts.guarantees++;
    }
    if (modes.includes('mortgage')) {
      const house = rng.chance(0.7);
      const c = ins.collateral({
        loan_id: loanId,
        kind: 'mortgage',
        type: house ? '房产' : '机动车',
        description: house ? `${address(rng)} 住宅 ${rng.int(60, 180)} 平方米` : `小型轿车 闽A${rng.int(10000, 99999)}`,
        owner: name,
        registration_authority: house ? '不动产登记中心' : '车辆管理所',
        registration_no: `${house ? '不动产抵押' : '机动车抵押'}第${rng.int(100000, 999999)}号`,
        created_at: now,
      });
      ins.collateral_valuations({ collateral_id: c, value_fen: Math.round((principalFen * rng.int(120, 250)) / 10000) * 100, valued_on: start, note: '', created_by: actor, created_at: now });
      ins.certificates({
        collateral_id: c,
        cert_no: `${house ? '闽(2025)不动产权第' : '机动车登记证书'}${rng.int(1000000, 9999999)}号`,
        cert_type: house ? '不动产权证书' : '机动车登记证书',
        custody: 'vault',
        updated_at: now,
      });
      counts.collateral++;
    }
    if (kind === 'factoring') {
      ins.factoring_terms({ loan_id: loanId, recourse: rng.chance(0.7) ? 1 : 0, financing_ratio: '80', fee_fen: Math.round(principalFen / 1000) });
      const n = rng.int(2, 4);
      const each = Math.ceil((principalFen * 10) / 8 / n / 100) * 100;
      for (let i = 0; i < n; i++) {
        const rid = ins.receivables({
          loan_id: loanId,
          seller_id: borrowerId,
          debtor_id: rng.pick(debtorIds),
          invoice_no: `FP${contractNo.slice(2)}${i + 1}`,
          invoice_amount_fen: each,
          invoice_date: addDays(start, -rng.int(5, 30)),
          due_date: schedule[0].dueDate,
        });
        if (stopAt === Infinity && schedule[0].dueDate < today && i === 0) {
          const amount = Math.min(each, schedule[0].totalFen);
          const rep = ins.repayments({ loan_id: loanId, paid_on: schedule[0].dueDate, amount_fen: amount, source: 'debtor', receivable_id: rid, note: '', created_by: actor, created_at: now });
          ins.receivable_payments({ receivable_id: rid, kind: 'debtor', paid_on: schedule[0].dueDate, amount_fen: amount, repayment_id: rep, created_by: actor, created_at: now });
          counts.repayments++;
        }
      }
      counts.factoring++;
    }
  };

  for (let i = 0; i < opts.borrowers; i++) {
    if (i > 0 && i % DEMO_STEP === 0) yield;
    const person = rng.chance(0.7);
    const tier = rng.pick(['good', 'normal', 'normal', 'normal', 'risk'] as const);
    let id: number;
    let name: string;
    if (person) {
      name = personName(rng);
      id = ins.borrowers({
        kind: 'person',
        name,
        id_number: uniqueId(() => residentId(rng, i)),
        phone: phone(rng),
        address: address(rng),
        employer: rng.pick(['个体经营', '某某贸易商行', '自由职业', '某某餐馆']),
        legal_rep: '',
        industry: '',
        registered_capital_fen: null,
        tier,
        created_by: actor,
        created_at: now,
        updated_at: now,
        ...pinyinOf(name),
      });
    } else {
      const e = enterprise(rng, i);
      name = e.name;
      id = ins.borrowers({
        kind: 'enterprise',
        name,
        id_number: uniqueId(() => enterprise(rng, i).code),
        phone: phone(rng),
        address: address(rng),
        employer: '',
        legal_rep: personName(rng),
        industry: e.industry,
        registered_capital_fen: rng.int(100, 5000) * 1_000_000,
        tier,
        created_by: actor,
        created_at: now,
        updated_at: now,
        ...pinyinOf(name),
      });
    }
    counts.borrowers++;
    addLoan(id, person, 'loan', name);
    if (rng.chance(0.2)) addLoan(id, person, 'loan', name);
    if (!person && rng.chance(0.08)) addLoan(id, person, 'factoring', name);
  }
  return counts;
}

/** The demo on the single-PC store: every row and the audit entry (appended last) in one transaction. */
export function generateDemo(conn: Connection, opts: DemoOptions & { audit?: (counts: DemoCounts) => AuditInput }): DemoCounts {
  return immediateTransaction(conn, () => {
    const steps = demoSteps(demoInserts(conn), opts);
    let r = steps.next();
    while (!r.done) r = steps.next();
    if (opts.audit) appendAuditRaw(conn, opts.now, opts.audit(r.value));
    return r.value;
  });
}
