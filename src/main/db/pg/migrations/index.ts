import type { Migration } from 'kysely/migration';
import * as m0025 from './0025_baseline';
import * as m0026 from './0026_debtor_related_party';
import * as m0027 from './0027_delinquency_reason';
import * as m0028 from './0028_legal_cases';
import * as m0029 from './0029_acceleration';
import * as m0030 from './0030_factoring_back_office';
import * as m0032 from './0032_collection_queue';
import * as m0033 from './0033_related_parties';
import * as m0034 from './0034_loans_by_status';

/**
 * The branch server's migrations. Static, like ../../migrations/index.ts. Each later entry is the twin of the
 * SQLite migration of the same name.
 */
export const PG_MIGRATIONS: Record<string, Migration> = {
  '0025_baseline': m0025,
  '0026_debtor_related_party': m0026,
  '0027_delinquency_reason': m0027,
  '0028_legal_cases': m0028,
  '0029_acceleration': m0029,
  '0030_factoring_back_office': m0030,
  '0032_collection_queue': m0032,
  '0033_related_parties': m0033,
  '0034_loans_by_status': m0034,
};
