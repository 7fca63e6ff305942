import { sql, type Kysely } from 'kysely';

// Collection work: a borrower's further phones and addresses, the related parties (spouse, co-borrower, heirs,
// employer, emergency contact, related companies) and a loan's asset leads (财产线索). Contacts and related parties
// are removed softly (removed_at/removed_by): the record stays.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE borrower_contacts (
      id INTEGER PRIMARY KEY,
      borrower_id INTEGER NOT NULL REFERENCES borrowers(id),
      kind TEXT NOT NULL CHECK (kind IN ('phone','address')),
      label TEXT NOT NULL,
      value TEXT NOT NULL,
      note TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      removed_at TEXT,
      removed_by TEXT
    )`.execute(db);
  await sql`CREATE INDEX borrower_contacts_borrower ON borrower_contacts(borrower_id)`.execute(db);
  await sql`
    CREATE TABLE related_parties (
      id INTEGER PRIMARY KEY,
      borrower_id INTEGER NOT NULL REFERENCES borrowers(id),
      relation TEXT NOT NULL CHECK (relation IN ('spouse','co-borrower','heir','employer','emergency-contact','related-company','other')),
      kind TEXT NOT NULL CHECK (kind IN ('person','enterprise')),
      name TEXT NOT NULL,
      id_number TEXT,
      phone TEXT,
      address TEXT,
      note TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      removed_at TEXT,
      removed_by TEXT
    )`.execute(db);
  await sql`CREATE INDEX related_parties_borrower ON related_parties(borrower_id)`.execute(db);
  await sql`
    CREATE TABLE asset_leads (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      kind TEXT NOT NULL CHECK (kind IN ('real-estate','vehicle','deposit','receivable','equity','other')),
      description TEXT NOT NULL,
      location TEXT,
      holder TEXT,
      seized_by_others INTEGER NOT NULL DEFAULT 0 CHECK (seized_by_others IN (0,1)),
      seized_note TEXT,
      source TEXT,
      found_on TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','preserved','realized','dismissed')),
      status_on TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX asset_leads_loan ON asset_leads(loan_id)`.execute(db);
}
