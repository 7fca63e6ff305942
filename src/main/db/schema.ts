import type { Generated } from 'kysely';
import type { ClassificationLevel } from '../../shared/domain/classification';
import type { DelinquencyReason } from '../../shared/domain/delinquency';
import type { DpdBucket } from '../../shared/domain/overdue';
import type { RepaymentMethod } from '../../shared/domain/schedule';
import type { LoanStatus } from '../../shared/ipc/loans';
import type { LoanChangeKind } from '../../shared/ipc/loanChanges';

export interface UsersTable {
  username: string;
  display_name: string;
  roles: string; // JSON array of Role
  disabled: number;
  must_change_password: number;
  created_at: string;
  updated_at: string;
}

/** Mirror of the keyring's wraps, so a lost keyring can be rebuilt after recovery. */
export interface KeyWrapsTable {
  username: string;
  wrap: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** One row, written by migration 0016: the entries hashed before the HMAC scheme. */
export interface AuditSchemeTable {
  legacy_count: number;
  legacy_last_id: number;
}

export interface BorrowersTable {
  id: Generated<number>;
  kind: 'person' | 'enterprise';
  name: string;
  id_number: string;
  phone: string;
  address: string;
  employer: string;
  legal_rep: string;
  industry: string;
  registered_capital_fen: number | null;
  tier: 'good' | 'normal' | 'risk';
  /** The name in pinyin and its initials (db/pinyin.ts), for sorting and search; every insert must write them. */
  name_pinyin: string;
  name_initials: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface GuarantorsTable {
  id: Generated<number>;
  kind: 'person' | 'enterprise';
  name: string;
  id_number: string;
  phone: string;
  address: string;
  created_by: string;
  created_at: string;
}

export interface LoansTable {
  id: Generated<number>;
  contract_no: string;
  kind: 'loan' | 'factoring';
  borrower_id: number;
  product: string;
  principal_fen: number;
  /** The contract's ceiling when it is drawn in several disbursements; null: drawn in full at once. */
  contract_amount_fen: Generated<number | null>;
  annual_rate: string;
  penalty_uplift: string;
  term_months: number;
  method: RepaymentMethod;
  purpose: string;
  start_date: string;
  maturity_date: string;
  guarantee_modes: string;
  officer: string;
  status: Generated<LoanStatus>;
  schedule_version: Generated<number>;
  restructured: Generated<number>;
  npl_before_restructure: Generated<number>;
  extended: Generated<number>;
  closed_on: string | null;
  /** JSON array: the order repayments meet penalty, interest and principal. */
  allocation_order: Generated<string>;
  /** End of a restructured loan's observation period. */
  observation_until: string | null;
  written_off_on: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ScheduleRowsTable {
  loan_id: number;
  version: number;
  period: number;
  due_date: string;
  principal_fen: number;
  interest_fen: number;
}

export interface RepaymentsTable {
  id: Generated<number>;
  loan_id: number;
  paid_on: string;
  amount_fen: number;
  source: 'borrower' | 'debtor' | 'buyback' | 'import';
  receivable_id: number | null;
  note: string;
  reversal_of: number | null;
  created_by: string;
  created_at: string;
  /** Migration 0019: what money beyond what is due does; rows from before are 'advance'. */
  excess: Generated<'advance' | 'credit' | 'settle'>;
  fee_fen: Generated<number>;
}

/** Migration 0019: a reversal waits for a second person's approval. */
export interface RepaymentReversalsTable {
  id: Generated<number>;
  repayment_id: number;
  loan_id: number;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_comment: string | null;
}

export interface LoanGuaranteesTable {
  id: Generated<number>;
  loan_id: number;
  guarantor_id: number;
  guarantee_type: 'general' | 'joint';
  amount_fen: number;
  period_end: string;
  created_at: string;
}

export interface CollateralTable {
  id: Generated<number>;
  loan_id: number;
  kind: 'mortgage' | 'pledge';
  type: string;
  description: string;
  owner: string;
  registration_authority: string;
  registration_no: string;
  created_at: string;
}

export interface CollateralValuationsTable {
  id: Generated<number>;
  collateral_id: number;
  value_fen: number;
  valued_on: string;
  note: string;
  created_by: string;
  created_at: string;
}

export interface CertificatesTable {
  id: Generated<number>;
  collateral_id: number;
  cert_no: string;
  cert_type: string;
  custody: 'vault' | 'lent' | 'returned';
  updated_at: string;
}

export interface LoanEventsTable {
  id: Generated<number>;
  loan_id: number;
  event_date: string;
  kind: string;
  detail: string;
  created_by: string;
  created_at: string;
}

export interface ClassificationsTable {
  id: Generated<number>;
  loan_id: number;
  level: ClassificationLevel;
  floor_level: ClassificationLevel;
  floor_reasons: string;
  reason: string;
  status: 'system' | 'pending' | 'approved' | 'rejected';
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_comment: string | null;
}

export interface LoanStatusTable {
  loan_id: number;
  /** The batch date on which these values last changed (unchanged rows are not rewritten). */
  as_of: string;
  balance_fen: number;
  dpd: number;
  bucket: DpdBucket;
  overdue_principal_fen: number;
  overdue_interest_fen: number;
  penalty_fen: number;
  oldest_unpaid: string | null;
  floor_level: ClassificationLevel;
  floor_reasons: string;
  level: ClassificationLevel;
}

export interface FactoringTermsTable {
  loan_id: number;
  recourse: number;
  financing_ratio: string;
  fee_fen: number;
  /** 回款账户: where the account debtors are told to pay (printed on the assignment notice and collection letter). */
  collection_bank: Generated<string>;
  collection_account_name: Generated<string>;
  collection_account_no: Generated<string>;
}

export interface DebtorsTable {
  id: Generated<number>;
  name: string;
  credit_code: string;
  address: string;
  created_at: string;
  /** 1 when the debtor is a related party (关联方) of the company: the 205号 related-party limit. */
  related_party: Generated<number>;
  /** The company's limit on this debtor across all sellers, in fen; null when none is set. */
  limit_fen: Generated<number | null>;
}

export interface ReceivablesTable {
  id: Generated<number>;
  loan_id: number;
  seller_id: number;
  debtor_id: number;
  invoice_no: string;
  invoice_amount_fen: number;
  invoice_date: string;
  due_date: string;
  /** 确权: how the debtor confirmed the receivable (its receipt of the assignment notice, or a signed confirmation). */
  confirmation: Generated<ReceivableConfirmation>;
  confirmed_on: Generated<string | null>;
  confirmation_note: Generated<string>;
  /** When the receivable was entered (null for those entered before migration 0030). */
  added_at: Generated<string | null>;
}

export type ReceivableConfirmation = 'none' | 'receipt' | 'signed';
export type ReceivableAdjustmentKind = 'credit-note' | 'return' | 'dispute' | 'dispute-resolved' | 'misdirected';

/** Append-only. Dilution reduces a receivable (a dispute until resolved); a misdirected payment does not. */
export interface ReceivableAdjustmentsTable {
  id: Generated<number>;
  receivable_id: number;
  kind: ReceivableAdjustmentKind;
  amount_fen: number;
  adjusted_on: string;
  reason: string;
  created_by: string;
  created_at: string;
}

export interface ReceivablePaymentsTable {
  id: Generated<number>;
  receivable_id: number;
  kind: 'debtor' | 'buyback';
  paid_on: string;
  amount_fen: number;
  repayment_id: number;
  created_by: string;
  created_at: string;
}

export interface DocumentsTable {
  id: Generated<number>;
  loan_id: number | null;
  borrower_id: number | null;
  doc_type: string;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  /** Empty when the bytes live in `file_ref` (db/fileStore.ts). */
  content: Buffer;
  file_ref: string | null;
  /** CRC-32 of the plain bytes (for the export's zip headers); NULL for documents stored before 0022. */
  crc32: number | null;
  replaces_id: number | null;
  removed_at: string | null;
  removed_by: string | null;
  removed_reason: string | null;
  created_by: string;
  created_at: string;
}

export interface CalendarYearsTable {
  year: number;
  holidays: string;
  workdays: string;
  source: string;
  imported_by: string;
  imported_at: string;
}

export interface InspectionsTable {
  id: Generated<number>;
  loan_id: number;
  kind: 'first' | 'routine' | 'pre-maturity' | 'special';
  due_date: string;
  reason: string;
  warning_id: number | null;
  status: 'planned' | 'done' | 'cancelled';
  created_at: string;
  updated_at: string;
}

export type ReportStatus = 'draft' | 'submitted' | 'returned' | 'signed' | 'accepted' | 'superseded';

export interface InspectionReportsTable {
  id: Generated<number>;
  inspection_id: number;
  loan_id: number;
  form: 'first' | 'post';
  version: number;
  previous_id: number | null;
  status: ReportStatus;
  visit_date: string;
  data: string;
  officer: string;
  report_due: string;
  submitted_at: string | null;
  review_due: string | null;
  reviewer: string | null;
  reviewed_at: string | null;
  review_comment: string | null;
  accepted_by: string | null;
  accepted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReportAttachmentsTable {
  report_id: number;
  document_id: number;
  caption: string;
}

export interface ReportEventsTable {
  id: Generated<number>;
  report_id: number;
  step: string;
  by_user: string;
  at: string;
  comment: string;
}

export interface WarningSignalsTable {
  id: Generated<number>;
  code: string;
  category: 'borrower' | 'guarantor' | 'collateral' | 'factoring';
  name_zh: string;
  name_en: string;
  level: 'light' | 'medium' | 'serious';
  auto_rule: string | null;
  active: number;
  updated_by: string;
  updated_at: string;
}

export type WarningStatus = 'raised' | 'planned' | 'feedback' | 'confirmed' | 'cleared' | 'escalated';

export interface WarningsTable {
  id: Generated<number>;
  loan_id: number;
  signal_id: number;
  source: 'auto' | 'manual';
  level: 'light' | 'medium' | 'serious';
  detail: string;
  status: WarningStatus;
  owner: string;
  raised_by: string;
  raised_at: string;
  plan: string | null;
  plan_by: string | null;
  plan_at: string | null;
  plan_due: string | null;
  feedback: string | null;
  feedback_by: string | null;
  feedback_at: string | null;
  confirmed_by: string | null;
  confirmed_at: string | null;
  closed_note: string | null;
  closed_by: string | null;
  closed_at: string | null;
}

export interface WorkLogTable {
  id: Generated<number>;
  borrower_id: number;
  loan_id: number | null;
  entry_date: string;
  kind: 'call' | 'visit' | 'finding' | 'message' | 'other';
  content: string;
  author: string;
  created_at: string;
  comment_due: string;
  supervisor_comment: string | null;
  commented_by: string | null;
  commented_at: string | null;
}

export interface DocTypesTable {
  code: string;
  name_zh: string;
  name_en: string;
  sort: number;
  active: number;
  updated_by: string;
  updated_at: string;
}

export interface ChecklistRulesTable {
  product: 'credit' | 'guarantee' | 'mortgage' | 'pledge' | 'factoring';
  stage: 'disbursement' | 'inspection' | 'payoff';
  doc_type: string;
}

export interface FileLocationsTable {
  loan_id: number;
  room: string;
  cabinet: string;
  shelf: string;
  box: string;
  updated_by: string;
  updated_at: string;
}

export interface FileLoansTable {
  id: Generated<number>;
  loan_id: number;
  borrower_user: string;
  purpose: string;
  lent_on: string;
  due_back: string;
  lent_by: string;
  returned_on: string | null;
  received_by: string | null;
  created_at: string;
}

export interface DestructionListsTable {
  id: Generated<number>;
  created_by: string;
  created_at: string;
  reason: string;
  status: 'proposed' | 'approved-once' | 'approved' | 'rejected' | 'destroyed';
  first_approver: string | null;
  first_at: string | null;
  second_approver: string | null;
  second_at: string | null;
  destroyed_by: string | null;
  destroyed_at: string | null;
}

export interface DestructionItemsTable {
  list_id: number;
  loan_id: number;
}

export interface ImportedArchivesTable {
  id: Generated<number>;
  file_name: string;
  institution: string;
  exported_at: string;
  exported_by: string;
  manifest: string;
  imported_by: string;
  imported_at: string;
}

export interface ImportedFilesTable {
  archive_id: number;
  path: string;
  sha256: string;
  size: number;
  content: Buffer;
  /** The encrypted file holding the bytes (since 0015); null for older rows, whose bytes are in `content`. */
  file_ref: string | null;
}

export interface SerialCountersTable {
  year: number;
  last: number;
}

export interface NoticesTable {
  id: Generated<number>;
  serial: string;
  doc_type: string;
  loan_id: number;
  addressee_kind: string;
  addressee_name: string;
  addressee_address: string;
  as_of: string;
  principal_fen: number;
  interest_fen: number;
  penalty_fen: number;
  pay_by: string | null;
  batch_id: string;
  status: 'prepared' | 'printed' | 'void';
  receipt_required: number;
  receipt_status: 'none' | 'pending' | 'returned';
  signed_on: string | null;
  signed_by: string | null;
  delivery: string | null;
  tracking_no: string | null;
  scan_document_id: number | null;
  registered_by: string | null;
  registered_at: string | null;
  created_by: string;
  created_at: string;
  printed_at: string | null;
}

export interface NoticeTemplatesTable {
  doc_type: string;
  blocks: string;
  updated_by: string;
  updated_at: string;
}

export interface PromisesTable {
  id: Generated<number>;
  loan_id: number;
  amount_fen: number;
  promise_date: string;
  made_on: string;
  note: string;
  created_by: string;
  created_at: string;
}

export interface ContactsTable {
  id: Generated<number>;
  loan_id: number;
  channel: 'call' | 'visit' | 'letter' | 'message';
  target: string;
  slot: 'morning' | 'afternoon' | 'evening';
  outcome: 'reached' | 'promised' | 'refused' | 'wrong-number' | 'no-answer' | 'other';
  note: string;
  contacted_on: string;
  /** 逾期原因 learnt at this contact (shared/domain/delinquency.ts), or null. */
  reason: DelinquencyReason | null;
  created_by: string;
  created_at: string;
}

export interface LimitationEventsTable {
  id: Generated<number>;
  loan_id: number;
  kind: 'extension-request' | 'lawsuit' | 'other-demand';
  event_date: string;
  note: string;
  evidence_document_id: number | null;
  created_by: string;
  created_at: string;
}

export interface LegalCasesTable {
  id: Generated<number>;
  loan_id: number;
  transfer_event_id: number;
  court: Generated<string>;
  case_no: Generated<string>;
  filed_on: string | null;
  hearing_on: string | null;
  outcome: 'judgment' | 'mediation' | 'withdrawn' | null;
  outcome_on: string | null;
  judgment_fen: number | null;
  performance_due: string | null;
  enforcement_applied_on: string | null;
  enforcement_case_no: Generated<string>;
  status: Generated<'open' | 'closed'>;
  closed_on: string | null;
  close_note: Generated<string>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface LegalPreservationsTable {
  id: Generated<number>;
  case_id: number;
  what: string;
  ruling_no: Generated<string>;
  from_date: string;
  until_date: string;
  released_on: string | null;
  created_by: string;
  created_at: string;
}

export interface LegalCostsTable {
  id: Generated<number>;
  case_id: number;
  kind: 'court_fee' | 'lawyer' | 'preservation_guarantee' | 'other';
  amount_fen: number;
  paid_on: string;
  note: Generated<string>;
  created_by: string;
  created_at: string;
}

export interface LegalRecoveriesTable {
  id: Generated<number>;
  case_id: number;
  source: 'enforcement' | 'settlement' | 'guarantor' | 'collateral_sale' | 'other';
  amount_fen: number;
  received_on: string;
  note: Generated<string>;
  created_by: string;
  created_at: string;
}

export interface NplPlansTable {
  id: Generated<number>;
  loan_id: number;
  accountability: string;
  method: 'litigation' | 'settlement' | 'collateral_disposal' | 'guarantor' | 'transfer' | 'restructuring' | 'write_off' | 'other';
  plan: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_comment: string | null;
}

export interface LoanChangesTable {
  id: Generated<number>;
  loan_id: number;
  kind: LoanChangeKind;
  applied_on: string;
  new_maturity: string | null;
  new_rate: string | null;
  new_method: RepaymentMethod | null;
  reason: string;
  evidence: string;
  status: 'pending' | 'first-approved' | 'approved' | 'rejected';
  applicant: string;
  first_approver: string | null;
  first_at: string | null;
  first_comment: string | null;
  final_approver: string | null;
  final_at: string | null;
  final_comment: string | null;
  created_at: string;
  /** JSON array of AccelerationGround codes; null for other kinds. */
  grounds: string | null;
}

export interface CollectionAssignmentsTable {
  id: Generated<number>;
  loan_id: number;
  collector: string;
  assigned_by: string;
  assigned_at: string;
  ended_at: string | null;
  ended_by: string | null;
}

export interface BorrowerContactsTable {
  id: Generated<number>;
  borrower_id: number;
  kind: 'phone' | 'address';
  label: string;
  value: string;
  note: string | null;
  created_by: string;
  created_at: string;
  removed_at: string | null;
  removed_by: string | null;
}

export interface RelatedPartiesTable {
  id: Generated<number>;
  borrower_id: number;
  relation: 'spouse' | 'co-borrower' | 'heir' | 'employer' | 'emergency-contact' | 'related-company' | 'other';
  kind: 'person' | 'enterprise';
  name: string;
  id_number: string | null;
  phone: string | null;
  address: string | null;
  note: string | null;
  created_by: string;
  created_at: string;
  removed_at: string | null;
  removed_by: string | null;
}

export interface AssetLeadsTable {
  id: Generated<number>;
  loan_id: number;
  kind: 'real-estate' | 'vehicle' | 'deposit' | 'receivable' | 'equity' | 'other';
  description: string;
  location: string | null;
  holder: string | null;
  /** 0/1: already seized (查封/冻结) by another creditor or court. */
  seized_by_others: number;
  seized_note: string | null;
  source: string | null;
  found_on: string;
  status: Generated<'open' | 'preserved' | 'realized' | 'dismissed'>;
  status_on: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

export interface RecoveriesTable {
  id: Generated<number>;
  loan_id: number;
  paid_on: string;
  amount_fen: number;
  note: string;
  created_by: string;
  created_at: string;
}

export interface LoanDrawdownsTable {
  id: Generated<number>;
  loan_id: number;
  drawn_on: string;
  amount_fen: number;
  voucher_no: string;
  schedule_version: number;
  created_by: string;
  created_at: string;
}

export type BackupTrigger = 'manual' | 'signin' | 'quit' | 'before-restore';

export interface BackupsTable {
  id: Generated<number>;
  trigger: BackupTrigger;
  file: string;
  made_at: string;
  made_by: string;
  size: number | null;
  status: 'verified' | 'failed';
  stage: 'write' | 'verify' | null;
  /** JSON `{ key, params }`: a message key, worded when listed. */
  reason: string | null;
  tables: number | null;
  rows: number | null;
  documents: number | null;
  change_mark: Generated<number>;
  removed_at: string | null;
}

/** Month-end and on-demand snapshots of the portfolio (append-only, features/managementReports). */
export interface PortfolioSnapshotsTable {
  id: Generated<number>;
  as_of: string;
  kind: 'month-end' | 'on-demand';
  supersedes: number | null;
  reason: string | null;
  taken_at: string;
  taken_by: string;
  /** JSON: the provision rates in force, per class. */
  provision_rates: string;
  /** JSON: the period's activity. */
  activity: string;
  loans: number;
  balance_fen: number;
}

export interface PortfolioSnapshotLoansTable {
  snapshot_id: number;
  loan_id: number;
  contract_no: string;
  kind: 'loan' | 'factoring';
  borrower_id: number;
  borrower_name: string;
  officer: string;
  product: string;
  industry: string;
  start_date: string;
  maturity_date: string;
  principal_fen: number;
  balance_fen: number;
  dpd: number;
  bucket: DpdBucket;
  level: ClassificationLevel;
  overdue_principal_fen: number;
  overdue_interest_fen: number;
  penalty_fen: number;
  provision_rate_bp: number;
  provision_fen: number;
  /** What the history does not record for this loan on that date (migration 0021), comma-separated codes. */
  history_gaps: Generated<string>;
}

export interface ProvisionHeldTable {
  id: Generated<number>;
  as_of: string;
  held_fen: number;
  note: string;
  entered_by: string;
  entered_at: string;
}

export interface DraftsTable {
  username: string;
  form_key: string;
  draft_values: string;
  saved_at: string;
}


export interface Database {
  backups: BackupsTable;
  portfolio_snapshots: PortfolioSnapshotsTable;
  portfolio_snapshot_loans: PortfolioSnapshotLoansTable;
  provision_held: ProvisionHeldTable;
  drafts: DraftsTable;
  loan_drawdowns: LoanDrawdownsTable;
  users: UsersTable;
  key_wraps: KeyWrapsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  audit_scheme: AuditSchemeTable;
  borrowers: BorrowersTable;
  guarantors: GuarantorsTable;
  loans: LoansTable;
  schedule_rows: ScheduleRowsTable;
  repayments: RepaymentsTable;
  repayment_reversals: RepaymentReversalsTable;
  loan_guarantees: LoanGuaranteesTable;
  collateral: CollateralTable;
  collateral_valuations: CollateralValuationsTable;
  certificates: CertificatesTable;
  loan_events: LoanEventsTable;
  classifications: ClassificationsTable;
  loan_status: LoanStatusTable;
  factoring_terms: FactoringTermsTable;
  debtors: DebtorsTable;
  receivables: ReceivablesTable;
  receivable_payments: ReceivablePaymentsTable;
  receivable_adjustments: ReceivableAdjustmentsTable;
  documents: DocumentsTable;
  calendar_years: CalendarYearsTable;
  inspections: InspectionsTable;
  inspection_reports: InspectionReportsTable;
  report_attachments: ReportAttachmentsTable;
  report_events: ReportEventsTable;
  warning_signals: WarningSignalsTable;
  warnings: WarningsTable;
  work_log: WorkLogTable;
  doc_types: DocTypesTable;
  checklist_rules: ChecklistRulesTable;
  file_locations: FileLocationsTable;
  file_loans: FileLoansTable;
  destruction_lists: DestructionListsTable;
  destruction_items: DestructionItemsTable;
  imported_archives: ImportedArchivesTable;
  imported_files: ImportedFilesTable;
  serial_counters: SerialCountersTable;
  notices: NoticesTable;
  notice_templates: NoticeTemplatesTable;
  promises: PromisesTable;
  contacts: ContactsTable;
  limitation_events: LimitationEventsTable;
  legal_cases: LegalCasesTable;
  legal_preservations: LegalPreservationsTable;
  legal_costs: LegalCostsTable;
  legal_recoveries: LegalRecoveriesTable;
  npl_plans: NplPlansTable;
  loan_changes: LoanChangesTable;
  recoveries: RecoveriesTable;
  collection_assignments: CollectionAssignmentsTable;
  borrower_contacts: BorrowerContactsTable;
  related_parties: RelatedPartiesTable;
  asset_leads: AssetLeadsTable;
  /** View: repayments neither reversed nor reversals. */
  effective_repayments: RepaymentsTable;
}
