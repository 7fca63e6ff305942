import { addDays, addMonthsClamped } from '../../shared/domain/dates';
import { buildSchedule, type RepaymentMethod } from '../../shared/domain/schedule';
import { bulkStatements } from '../db/bulk';
import { immediateTransaction } from '../db/connection';
import type { Connection } from '../db/open';
import { address, enterprise, personName, phone, residentId } from './names';
import { pinyinColumns } from '../db/pinyin';
import { Rng } from './random';

const pinyinOf = (name: string): [string, string] => {
  const p = pinyinColumns(name);
  return [p.name_pinyin, p.name_initials];
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

/**
 * Fills an empty portfolio with a realistic, seeded demo: people and companies with valid ID numbers,
 * every repayment method, factoring with several account debtors, guarantors, collateral, and
 * repayments that leave loans in every DPD bucket. Dates are placed relative to `today`.
 */
export function generateDemo(
  conn: Connection,
  opts: { borrowers: number; today: string; actor: string; now: string; /** Runs last, inside the same transaction (the audit entry). */ record?: (counts: DemoCounts) => void },
): DemoCounts {
  const rng = new Rng(DEMO_SEED);
  const { today, now, actor } = opts;
  const counts: DemoCounts = { borrowers: 0, loans: 0, factoring: 0, repayments: 0, guarantees: 0, collateral: 0 };
  const ins = bulkStatements(conn, {
    borrower: `INSERT INTO borrowers (kind, name, id_number, phone, address, employer, legal_rep, industry, registered_capital_fen, tier, created_by, created_at, updated_at, name_pinyin, name_initials)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    loan: `INSERT INTO loans (contract_no, kind, borrower_id, product, principal_fen, annual_rate, penalty_uplift, term_months, method, purpose, start_date, maturity_date,
         guarantee_modes, officer, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '0.5', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row: 'INSERT INTO schedule_rows (loan_id, version, period, due_date, principal_fen, interest_fen) VALUES (?, 1, ?, ?, ?, ?)',
    repayment: `INSERT INTO repayments (loan_id, paid_on, amount_fen, source, receivable_id, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, '', ?, ?)`,
    guarantor: `INSERT INTO guarantors (kind, name, id_number, phone, address, created_by, created_at) VALUES ('person', ?, ?, ?, ?, ?, ?)`,
    guarantee: `INSERT INTO loan_guarantees (loan_id, guarantor_id, guarantee_type, amount_fen, period_end, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    collateral: `INSERT INTO collateral (loan_id, kind, type, description, owner, registration_authority, registration_no, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    valuation: `INSERT INTO collateral_valuations (collateral_id, value_fen, valued_on, note, created_by, created_at) VALUES (?, ?, ?, '', ?, ?)`,
    certificate: `INSERT INTO certificates (collateral_id, cert_no, cert_type, custody, updated_at) VALUES (?, ?, ?, 'vault', ?)`,
    terms: 'INSERT INTO factoring_terms (loan_id, recourse, financing_ratio, fee_fen) VALUES (?, ?, ?, ?)',
    debtor: `INSERT INTO debtors (name, credit_code, address, created_at) VALUES (?, ?, ?, ?)`,
    receivable: `INSERT INTO receivables (loan_id, seller_id, debtor_id, invoice_no, invoice_amount_fen, invoice_date, due_date) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    receivablePayment: `INSERT INTO receivable_payments (receivable_id, kind, paid_on, amount_fen, repayment_id, created_by, created_at) VALUES (?, 'debtor', ?, ?, ?, ?, ?)`,
  });
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
    debtorIds.push(Number(ins.debtor.run(e.name, uniqueId(() => enterprise(rng, i).code), address(rng), now).id));
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
    const loanId = Number(
      ins.loan.run(
        contractNo,
        kind,
        borrowerId,
        kind === 'factoring' ? '国内有追索权保理' : person ? '个人经营贷' : '流动资金贷款',
        principalFen,
        rate,
        months,
        m,
        kind === 'factoring' ? '应收账款融资' : person ? '经营周转' : '采购原材料',
        start,
        schedule[schedule.length - 1].dueDate,
        JSON.stringify(modes),
        officer,
        actor,
        now,
        now,
      ).id,
    );
    counts.loans++;
    for (const r of schedule) ins.row.run(loanId, r.period, r.dueDate, r.principalFen, r.interestFen);
    const late = rng.chance(0.1) ? rng.int(1, 6) : 0;
    for (const r of schedule) {
      if (r.period >= stopAt) break;
      const paidOn = addDays(r.dueDate, late);
      if (paidOn >= today) break;
      ins.repayment.run(loanId, paidOn, r.totalFen, 'borrower', null, actor, now);
      counts.repayments++;
    }
    if (modes.includes('guarantee')) {
      const g = Number(ins.guarantor.run(personName(rng), uniqueId(() => residentId(rng, rng.int(0, 999))), phone(rng), address(rng), actor, now).id);
      ins.guarantee.run(loanId, g, rng.chance(0.8) ? 'joint' : 'general', principalFen, addMonthsClamped(schedule[schedule.length - 1].dueDate, 36), now);
      counts.guarantees++;
    }
    if (modes.includes('mortgage')) {
      const house = rng.chance(0.7);
      const c = Number(
        ins.collateral.run(
          loanId,
          'mortgage',
          house ? '房产' : '机动车',
          house ? `${address(rng)} 住宅 ${rng.int(60, 180)} 平方米` : `小型轿车 闽A${rng.int(10000, 99999)}`,
          name,
          house ? '不动产登记中心' : '车辆管理所',
          `${house ? '不动产抵押' : '机动车抵押'}第${rng.int(100000, 999999)}号`,
          now,
        ).id,
      );
      ins.valuation.run(c, Math.round((principalFen * rng.int(120, 250)) / 10000) * 100, start, actor, now);
      ins.certificate.run(c, `${house ? '闽(2025)不动产权第' : '机动车登记证书'}${rng.int(1000000, 9999999)}号`, house ? '不动产权证书' : '机动车登记证书', now);
      counts.collateral++;
    }
    if (kind === 'factoring') {
      ins.terms.run(loanId, rng.chance(0.7) ? 1 : 0, '80', Math.round(principalFen / 1000));
      const n = rng.int(2, 4);
      const each = Math.ceil((principalFen * 10) / 8 / n / 100) * 100;
      for (let i = 0; i < n; i++) {
        const rid = Number(
          ins.receivable.run(loanId, borrowerId, rng.pick(debtorIds), `FP${contractNo.slice(2)}${i + 1}`, each, addDays(start, -rng.int(5, 30)), schedule[0].dueDate).id,
        );
        if (stopAt === Infinity && schedule[0].dueDate < today && i === 0) {
          const rep = Number(ins.repayment.run(loanId, schedule[0].dueDate, Math.min(each, schedule[0].totalFen), 'debtor', rid, actor, now).id);
          ins.receivablePayment.run(rid, schedule[0].dueDate, Math.min(each, schedule[0].totalFen), rep, actor, now);
          counts.repayments++;
        }
      }
      counts.factoring++;
    }
  };

  immediateTransaction(conn, () => {
    for (let i = 0; i < opts.borrowers; i++) {
      const person = rng.chance(0.7);
      const tier = rng.pick(['good', 'normal', 'normal', 'normal', 'risk'] as const);
      let id: number;
      let name: string;
      if (person) {
        name = personName(rng);
        id = Number(
          ins.borrower.run('person', name, uniqueId(() => residentId(rng, i)), phone(rng), address(rng), rng.pick(['个体经营', '某某贸易商行', '自由职业', '某某餐馆']), '', '', null, tier, actor, now, now, ...pinyinOf(name)).id,
        );
      } else {
        const e = enterprise(rng, i);
        name = e.name;
        id = Number(
          ins.borrower.run('enterprise', name, uniqueId(() => enterprise(rng, i).code), phone(rng), address(rng), '', personName(rng), e.industry, rng.int(100, 5000) * 1_000_000, tier, actor, now, now, ...pinyinOf(name))
            .id,
        );
      }
      counts.borrowers++;
      addLoan(id, person, 'loan', name);
      if (rng.chance(0.2)) addLoan(id, person, 'loan', name);
      if (!person && rng.chance(0.08)) addLoan(id, person, 'factoring', name);
    }
    opts.record?.(counts);
  });
  return counts;
}
