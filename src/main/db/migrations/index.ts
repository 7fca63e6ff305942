import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_init';
import * as m0002 from './0002_portfolio';
import * as m0003 from './0003_loan_allocation_order';
import * as m0004 from './0004_postloan';
import * as m0006 from './0006_archive';
import * as m0007 from './0007_collections';
import * as m0008 from './0008_warnings_worklog';
import * as m0009 from './0009_loan_changes';
import * as m0010 from './0010_effective_repayments';
import * as m0011 from './0011_document_files';
import * as m0014 from './0014_drawdowns';
import * as m0015 from './0015_imported_files';
import * as m0016 from './0016_audit_chain';
import * as m0017 from './0017_backups';
import * as m0018 from './0018_portfolio_snapshots';
import * as m0019 from './0019_repayment_servicing';
import * as m0020 from './0020_drafts';
import * as m0021 from './0021_snapshot_history';
import * as m0022 from './0022_document_crc';
import * as m0024 from './0024_reason_codes';
import * as m0025 from './0025_borrower_pinyin';
import * as m0026 from './0026_debtor_related_party';
import * as m0027 from './0027_delinquency_reason';
import * as m0028 from './0028_legal_cases';
import * as m0029 from './0029_acceleration';
import * as m0030 from './0030_factoring_back_office';
import * as m0032 from './0032_collection_queue';
import * as m0033 from './0033_related_parties';
import * as m0034 from './0034_loans_by_status';

/** Static map: bundlers cannot see a folder scan, and the order must never depend on the file system. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_portfolio': m0002,
  '0003_loan_allocation_order': m0003,
  '0004_postloan': m0004,
  '0006_archive': m0006,
  '0007_collections': m0007,
  '0008_warnings_worklog': m0008,
  '0009_loan_changes': m0009,
  '0010_effective_repayments': m0010,
  '0011_document_files': m0011,
  '0014_drawdowns': m0014,
  '0015_imported_files': m0015,
  '0016_audit_chain': m0016,
  '0017_backups': m0017,
  '0018_portfolio_snapshots': m0018,
  '0019_repayment_servicing': m0019,
  '0020_drafts': m0020,
  '0021_snapshot_history': m0021,
  '0022_document_crc': m0022,
  '0024_reason_codes': m0024,
  '0025_borrower_pinyin': m0025,
  '0026_debtor_related_party': m0026,
  '0027_delinquency_reason': m0027,
  '0028_legal_cases': m0028,
  '0029_acceleration': m0029,
  '0030_factoring_back_office': m0030,
  '0032_collection_queue': m0032,
  '0033_related_parties': m0033,
  '0034_loans_by_status': m0034,
};
