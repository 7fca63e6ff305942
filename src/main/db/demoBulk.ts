import type { Insertable } from 'kysely';
import { driverOf, type Connection } from './open';
import type { Database } from './schema';

/**
 * The demo generator's bulk loads (demo/generate.ts): one prepared INSERT per table, run many
 * times inside the caller's transaction. Callers pass typed rows (the columns named here); the SQL stays here.
 */

type Row<T extends keyof Database, K extends keyof Insertable<Database[T]>> = Required<Pick<Insertable<Database[T]>, K>>;

const COLUMNS = {
  borrowers: [
    'kind',
    'name',
    'id_number',
    'phone',
    'address',
    'employer',
    'legal_rep',
    'industry',
    'registered_capital_fen',
    'tier',
    'created_by',
    'created_at',
    'updated_at',
    'name_pinyin',
    'name_initials',
  ],
  loans: [
    'contract_no',
    'kind',
    'borrower_id',
    'product',
    'principal_fen',
    'annual_rate',
    'penalty_uplift',
    'term_months',
    'method',
    'purpose',
    'start_date',
    'maturity_date',
    'guarantee_modes',
    'officer',
    'created_by',
    'created_at',
    'updated_at',
  ],
  schedule_rows: ['loan_id', 'version', 'period', 'due_date', 'principal_fen', 'interest_fen'],
  repayments: ['loan_id', 'paid_on', 'amount_fen', 'source', 'receivable_id', 'note', 'created_by', 'created_at'],
  guarantors: ['kind', 'name', 'id_number', 'phone', 'address', 'created_by', 'created_at'],
  loan_guarantees: ['loan_id', 'guarantor_id', 'guarantee_type', 'amount_fen', 'period_end', 'created_at'],
  collateral: ['loan_id', 'kind', 'type', 'description', 'owner', 'registration_authority', 'registration_no', 'created_at'],
  collateral_valuations: ['collateral_id', 'value_fen', 'valued_on', 'note', 'created_by', 'created_at'],
  certificates: ['collateral_id', 'cert_no', 'cert_type', 'custody', 'updated_at'],
  factoring_terms: ['loan_id', 'recourse', 'financing_ratio', 'fee_fen'],
  debtors: ['name', 'credit_code', 'address', 'created_at'],
  receivables: ['loan_id', 'seller_id', 'debtor_id', 'invoice_no', 'invoice_amount_fen', 'invoice_date', 'due_date'],
  receivable_payments: ['receivable_id', 'kind', 'paid_on', 'amount_fen', 'repayment_id', 'created_by', 'created_at'],
} as const satisfies { [T in keyof Database]?: readonly (keyof Insertable<Database[T]>)[] };

type Tables = keyof typeof COLUMNS;
export type DemoTable = Tables;
/** The demo's tables, each after the tables it refers to (the branch server checks foreign keys at once). */
export const DEMO_TABLES = [
  'borrowers',
  'debtors',
  'guarantors',
  'loans',
  'schedule_rows',
  'factoring_terms',
  'receivables',
  'repayments',
  'receivable_payments',
  'loan_guarantees',
  'collateral',
  'collateral_valuations',
  'certificates',
] as const satisfies readonly Tables[];
/** Tables without an id of their own: their insert returns 0. */
export const DEMO_TABLES_WITHOUT_ID: readonly Tables[] = ['schedule_rows', 'factoring_terms'];
/** A row of table `T` as the demo inserts it: exactly the columns listed above. */
export type DemoRow<T extends Tables> = Row<T, (typeof COLUMNS)[T][number] & keyof Insertable<Database[T]>>;
/** Inserts one row, returns its row id. */
export type DemoInsert<T extends Tables> = (row: DemoRow<T>) => number;

function inserter<T extends Tables>(c: Connection, table: T): DemoInsert<T> {
  const cols: readonly string[] = COLUMNS[table];
  const stmt = driverOf(c).prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  return (row) => Number(stmt.run(...cols.map((k) => (row as Record<string, unknown>)[k])).lastInsertRowid);
}

export type DemoInserts = { [T in Tables]: DemoInsert<T> };

/** The portfolio's inserts (demo/generate.ts) on the single-PC store. */
export function demoInserts(c: Connection): DemoInserts {
  return {
    borrowers: inserter(c, 'borrowers'),
    loans: inserter(c, 'loans'),
    schedule_rows: inserter(c, 'schedule_rows'),
    repayments: inserter(c, 'repayments'),
    guarantors: inserter(c, 'guarantors'),
    loan_guarantees: inserter(c, 'loan_guarantees'),
    collateral: inserter(c, 'collateral'),
    collateral_valuations: inserter(c, 'collateral_valuations'),
    certificates: inserter(c, 'certificates'),
    factoring_terms: inserter(c, 'factoring_terms'),
    debtors: inserter(c, 'debtors'),
    receivables: inserter(c, 'receivables'),
    receivable_payments: inserter(c, 'receivable_payments'),
  };
}

