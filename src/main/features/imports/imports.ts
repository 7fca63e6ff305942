import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { formatFen } from '../../../shared/domain/money';
import { buildSchedule, type ScheduleRow } from '../../../shared/domain/schedule';
import { type Role, seesAllLoans } from '../../../shared/permissions';
import { AppError } from '../../../shared/ipc/errors';
import { IMPORT_MAX_ERRORS, IMPORT_PREVIEW_ROWS, IMPORT_SHEET_KEYS, IMPORT_SHEETS, type ImportCellError, type ImportColumnKey, type ImportPreview, type ImportRows, type ImportSheetKey, type ImportSummary } from '../../../shared/ipc/imports';
import type { Database } from '../../db/schema';
import { importTemplateWorkbook } from '../../xlsx/importTemplate';
import { readImportWorkbook, type Translate } from '../../xlsx/importRead';
import { recordAudit } from '../../kernel/audit';
import { type AppContext, type Session, today } from '../../kernel/context';
import { applyDrawdown } from '../drawdowns/drawdowns';
import { type LoanRow, requirePermission } from '../../kernel/authz';
import { insertLoan, refreshStatus, type LoanCreate } from '../loans/loans';
import { pinyinColumns } from '../../db/pinyin';
import { requireStore } from '../../kernel/store';

type Db = Kysely<Database> | Transaction<Database>;

/** A previewed, validated file waiting for commit. Held in memory only, per login session. */
interface Batch {
  createdAt: number;
  fileName: string;
  sha256: string;
  rows: ImportRows;
  summary: ImportSummary;
  errorCount: number;
}

const TTL_MS = 30 * 60_000;
const MAX_BATCHES_PER_SESSION = 3;
/**
 * Keyed by the session object: logging out (or in as someone else) drops the session, and its batches with it.
 * A new login of the same user is a new session, so earlier tokens no longer work.
 */
const batches = new WeakMap<Session, Map<string, Batch>>();

function sessionBatches(ctx: AppContext, s: Session): Map<string, Batch> {
  let m = batches.get(s);
  if (!m) {
    m = new Map();
    batches.set(s, m);
  }
  const now = ctx.clock.now().getTime();
  for (const [token, b] of m) if (now - b.createdAt > TTL_MS || now < b.createdAt) m.delete(token);
  return m;
}

const header = (sheet: ImportSheetKey, key: string) => IMPORT_SHEETS[sheet].columns.find((c) => c.key === key)!.header;

const COLUMN_ORDER = new Map<string, number>(
  IMPORT_SHEET_KEYS.flatMap((k, si) => IMPORT_SHEETS[k].columns.map((c, ci) => [`${IMPORT_SHEETS[k].name}|${c.header}`, si * 100 + ci] as const)),
);
const SHEET_ORDER = new Map(IMPORT_SHEET_KEYS.map((k, i) => [IMPORT_SHEETS[k].name as string, i]));

function sortErrors(errors: ImportCellError[]): ImportCellError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort(
      (a, b) =>
        (SHEET_ORDER.get(a.e.sheet) ?? 0) - (SHEET_ORDER.get(b.e.sheet) ?? 0) ||
        a.e.row - b.e.row ||
        (COLUMN_ORDER.get(`${a.e.sheet}|${a.e.column}`) ?? 0) - (COLUMN_ORDER.get(`${b.e.sheet}|${b.e.column}`) ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.e);
}

async function inChunks<T>(values: Iterable<string>, query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const all = [...new Set(values)].filter(Boolean);
  const out: T[] = [];
  for (let i = 0; i < all.length; i += 500) out.push(...(await query(all.slice(i, i + 500))));
  return out;
}

interface DbLoan {
  id: number;
  contract_no: string;
  kind: 'loan' | 'factoring';
  officer: string;
  start_date: string;
  maturity_date: string;
  status: 'active' | 'closed' | 'written-off';
  principal_fen: number;
  contract_amount_fen: number | null;
}

/** What the rows point at in the database, found while checking them. */
interface CrossCheck {
  errors: ImportCellError[];
  /** Borrowers already in the database that loans refer to: ID number → id. */
  dbBorrowers: Map<string, number>;
  /** Loans already in the database that other rows refer to, by contract number. */
  dbLoans: Map<string, DbLoan>;
  /** Schedules of the file's loans, by Excel row. */
  schedules: Map<number, ScheduleRow[]>;
}

/**
 * The checks that need other rows or the database: duplicates, references, officers, dates against the loan.
 * Run at preview and again inside the commit's transaction, where it sees everything committed meanwhile.
 */
async function crossCheck(ctx: AppContext, db: Db, s: Session, rows: ImportRows): Promise<CrossCheck> {
  const errors: ImportCellError[] = [];
  const day = today(ctx);
  const err = <S extends ImportSheetKey>(sheet: S, row: number, key: ImportColumnKey<S>, reason: string) =>
    errors.push({ sheet: IMPORT_SHEETS[sheet].name, row, column: header(sheet, key), reason });
  const allSee = seesAllLoans(s.roles);

  // Borrowers: unique in the file and new to the database.
  const fileBorrowers = new Map<string, number>();
  for (const b of rows.borrowers) {
    if (!b.idNumber) continue;
    const first = fileBorrowers.get(b.idNumber);
    if (first !== undefined) err('borrowers', b.row, 'idNumber', ctx.t('import.cell.duplicateInFile', { row: first }));
    else fileBorrowers.set(b.idNumber, b.row);
  }
  const known = await inChunks(
    [...fileBorrowers.keys(), ...rows.loans.map((l) => l.borrowerIdNumber)],
    (chunk) => db.selectFrom('borrowers').select(['id', 'id_number', 'name']).where('id_number', 'in', chunk).execute(),
  );
  const dbBorrowerRows = new Map(known.map((r) => [r.id_number, r]));
  for (const b of rows.borrowers) {
    const existing = b.idNumber ? dbBorrowerRows.get(b.idNumber) : undefined;
    if (existing && fileBorrowers.get(b.idNumber) === b.row) err('borrowers', b.row, 'idNumber', ctx.t('import.cell.borrowerExists', { name: existing.name }));
  }

  // Loans: unique contract numbers, a borrower to lend to, an officer who may hold them, a schedule.
  const fileLoans = new Map<string, (typeof rows.loans)[number]>();
  for (const l of rows.loans) {
    if (!l.contractNo) continue;
    const first = fileLoans.get(l.contractNo);
    if (first) err('loans', l.row, 'contractNo', ctx.t('import.cell.duplicateInFile', { row: first.row }));
    else fileLoans.set(l.contractNo, l);
  }
  const refContracts = [...rows.guarantors, ...rows.collateral, ...rows.repayments, ...rows.drawdowns].map((r) => r.contractNo).filter((c) => c && !fileLoans.has(c));
  const dbLoanRows = (await inChunks([...fileLoans.keys(), ...refContracts], (chunk) =>
    db
      .selectFrom('loans')
      .select(['id', 'contract_no', 'kind', 'officer', 'start_date', 'maturity_date', 'status', 'principal_fen', 'contract_amount_fen'])
      .where('contract_no', 'in', chunk)
      .execute(),
  )) as DbLoan[];
  const dbLoans = new Map(dbLoanRows.map((r) => [r.contract_no, r]));
  const officers = new Map(
    (
      await inChunks(
        rows.loans.map((l) => l.officer),
        (chunk) => db.selectFrom('users').select(['username', 'roles', 'disabled']).where('username', 'in', chunk).execute(),
      )
    ).map((u) => [u.username, u]),
  );
  const dbBorrowers = new Map<string, number>();
  const schedules = new Map<number, ScheduleRow[]>();
  for (const l of rows.loans) {
    if (l.contractNo && fileLoans.get(l.contractNo) === l && dbLoans.has(l.contractNo)) err('loans', l.row, 'contractNo', ctx.t('import.cell.contractExists'));
    if (l.borrowerIdNumber && !fileBorrowers.has(l.borrowerIdNumber)) {
      const b = dbBorrowerRows.get(l.borrowerIdNumber);
      if (b) dbBorrowers.set(l.borrowerIdNumber, b.id);
      else err('loans', l.row, 'borrowerIdNumber', ctx.t('import.cell.noBorrower'));
    }
    if (l.officer) {
      const u = officers.get(l.officer);
      const roles = u ? (JSON.parse(u.roles) as Role[]) : [];
      if (!u || u.disabled || !roles.some((r) => r === 'officer' || r === 'supervisor')) err('loans', l.row, 'officer', ctx.t('errors.notAnOfficer'));
      else if (!allSee && l.officer !== s.username) err('loans', l.row, 'officer', ctx.t('errors.ownLoansOnly'));
    }
    if (l.startDate && l.startDate > day) err('loans', l.row, 'startDate', ctx.t('errors.startInFuture'));
    if (l.contractAmountFen !== null && l.principalFen !== null && l.contractAmountFen < l.principalFen) err('loans', l.row, 'contractAmount', ctx.t('errors.contractBelowFirstDrawdown'));
    l.maturityDate = null;
    if (l.principalFen !== null && l.annualRate !== null && l.months !== null && l.method !== null && l.startDate !== null) {
      try {
        const schedule = buildSchedule({ principalFen: l.principalFen, annualRate: l.annualRate, months: l.months, method: l.method, startDate: l.startDate });
        schedules.set(l.row, schedule);
        l.maturityDate = schedule[schedule.length - 1].dueDate;
      } catch {
        err('loans', l.row, 'months', ctx.t('import.cell.schedule'));
      }
    }
  }

  // Guarantees, collateral and repayments belong to a loan in the file or one the user may see in the database.
  const target = <S extends 'guarantors' | 'collateral' | 'repayments' | 'drawdowns'>(sheet: S, r: { row: number; contractNo: string }) => {
    if (!r.contractNo) return null;
    const f = fileLoans.get(r.contractNo);
    if (f) return { start: f.startDate, maturity: f.maturityDate, db: null, file: f };
    const d = dbLoans.get(r.contractNo);
    if (!d) {
      err(sheet, r.row, 'contractNo' as ImportColumnKey<S>, ctx.t('import.cell.noContract'));
      return null;
    }
    if (!allSee && d.officer !== s.username) {
      err(sheet, r.row, 'contractNo' as ImportColumnKey<S>, ctx.t('errors.notYourLoan'));
      return null;
    }
    return { start: d.start_date, maturity: d.maturity_date, db: d, file: null };
  };

  const guaranteed = new Set(
    (
      await inChunks(
        rows.guarantors.map((g) => g.contractNo).filter((c) => !fileLoans.has(c) && dbLoans.has(c)),
        (chunk) =>
          db
            .selectFrom('loan_guarantees as lg')
            .innerJoin('guarantors as g', 'g.id', 'lg.guarantor_id')
            .innerJoin('loans as l', 'l.id', 'lg.loan_id')
            .select(['l.contract_no', 'g.id_number'])
            .where('l.contract_no', 'in', chunk)
            .execute(),
      )
    ).map((r) => `${r.contract_no}|${r.id_number}`),
  );
  const guaranteeRows = new Map<string, number>();
  const parties = new Map<string, { row: number; name: string; kind: string | null }>();
  for (const g of rows.guarantors) {
    const t = target('guarantors', g);
    if (t?.maturity && g.periodEnd && g.periodEnd < t.maturity) err('guarantors', g.row, 'periodEnd', ctx.t('errors.guaranteeEndsEarly', { maturity: ctx.day(t.maturity) }));
    if (!g.idNumber || !g.contractNo) continue;
    const key = `${g.contractNo}|${g.idNumber}`;
    const first = guaranteeRows.get(key);
    if (first !== undefined) err('guarantors', g.row, 'idNumber', ctx.t('import.cell.duplicateInFile', { row: first }));
    else {
      guaranteeRows.set(key, g.row);
      if (t?.db && guaranteed.has(key)) err('guarantors', g.row, 'idNumber', ctx.t('errors.duplicateGuarantor'));
    }
    const party = parties.get(g.idNumber);
    if (!party) parties.set(g.idNumber, { row: g.row, name: g.name, kind: g.kind });
    else if (g.name && (party.name !== g.name || party.kind !== g.kind)) err('guarantors', g.row, 'name', ctx.t('import.cell.partyMismatch', { row: party.row }));
  }

  for (const c of rows.collateral) {
    target('collateral', c);
    if (c.valuedOn && c.valuedOn > day) err('collateral', c.row, 'valuedOn', ctx.t('import.cell.valuedInFuture'));
  }

  for (const r of rows.repayments) {
    const t = target('repayments', r);
    if (t?.db?.status === 'written-off') err('repayments', r.row, 'contractNo', ctx.t('errors.loanWrittenOff'));
    if (!r.paidOn) continue;
    if (t?.start && r.paidOn < t.start) err('repayments', r.row, 'paidOn', ctx.t('errors.paidBeforeDisbursement', { date: ctx.day(t.start) }));
    if (r.paidOn > day) err('repayments', r.row, 'paidOn', ctx.t('errors.paidInFuture'));
  }

  await checkDrawdowns(ctx, db, rows, target, err, day);
  return { errors, dbBorrowers, dbLoans, schedules };
}

type Target = { start: string | null; maturity: string | null; db: DbLoan | null; file: ImportRows['loans'][number] | null } | null;

/**
 * 放款 rows: within the contract amount (less what was drawn before), on or after the loan's start and its
 * last drawdown, not in the future, before maturity; not on a factoring financing or a loan no longer active.
 */
async function checkDrawdowns(
  ctx: AppContext,
  db: Db,
  rows: ImportRows,
  target: (sheet: 'drawdowns', r: { row: number; contractNo: string }) => Target,
  err: (sheet: 'drawdowns', row: number, key: ImportColumnKey<'drawdowns'>, reason: string) => void,
  day: string,
): Promise<void> {
  const room = new Map<string, number>();
  const last = new Map<string, string>();
  const ordered = [...rows.drawdowns].sort((a, b) => ((a.drawnOn ?? '') < (b.drawnOn ?? '') ? -1 : (a.drawnOn ?? '') > (b.drawnOn ?? '') ? 1 : a.row - b.row));
  for (const d of ordered) {
    const t = target('drawdowns', d);
    if (!t) continue;
    if (t.db && (t.db.kind !== 'loan' || t.db.status !== 'active')) {
      err('drawdowns', d.row, 'contractNo', ctx.t(t.db.kind !== 'loan' ? 'errors.drawdownFactoring' : 'errors.loanNotActive'));
      continue;
    }
    if (!room.has(d.contractNo)) {
      if (t.file) room.set(d.contractNo, (t.file.contractAmountFen ?? t.file.principalFen ?? 0) - (t.file.principalFen ?? 0));
      else {
        const drawn = await db.selectFrom('loan_drawdowns').select((e) => e.fn.max('drawn_on').as('last')).where('loan_id', '=', t.db!.id).executeTakeFirst();
        room.set(d.contractNo, (t.db!.contract_amount_fen ?? t.db!.principal_fen) - t.db!.principal_fen);
        if (drawn?.last) last.set(d.contractNo, drawn.last);
      }
    }
    if (d.amountFen !== null) {
      const available = room.get(d.contractNo)!;
      if (d.amountFen > available) err('drawdowns', d.row, 'amount', ctx.t('import.cell.drawdownOverContract', { available: formatFen(Math.max(0, available)) }));
      room.set(d.contractNo, available - d.amountFen);
    }
    if (!d.drawnOn) continue;
    const floor = last.get(d.contractNo) ?? t.start;
    if (floor && d.drawnOn < floor) err('drawdowns', d.row, 'drawnOn', ctx.t('errors.drawdownBeforeLast', { last: floor }));
    if (d.drawnOn > day) err('drawdowns', d.row, 'drawnOn', ctx.t('errors.drawdownInFuture', { today: day }));
    if (t.maturity && d.drawnOn >= t.maturity) err('drawdowns', d.row, 'drawnOn', ctx.t('errors.drawdownAfterMaturity', { maturity: ctx.day(t.maturity) }));
    last.set(d.contractNo, d.drawnOn);
  }
}

function summaryOf(rows: ImportRows): ImportSummary {
  return {
    borrowers: rows.borrowers.length,
    loans: rows.loans.length,
    guarantors: rows.guarantors.length,
    collateral: rows.collateral.length,
    repayments: rows.repayments.length,
    drawdowns: rows.drawdowns.length,
  };
}

export async function importTemplate(ctx: AppContext): Promise<{ fileName: string; base64: string }> {
  requirePermission(ctx, 'portfolio.import');
  const buf = await importTemplateWorkbook();
  return { fileName: ctx.t('import.templateFileName'), base64: buf.toString('base64') };
}

/** Reads and checks the file; writes nothing. The batch waits in memory for `commitImport`. */
export async function previewImport(ctx: AppContext, input: { base64: string; fileName: string }): Promise<ImportPreview> {
  const s = requirePermission(ctx, 'portfolio.import');
  const store = requireStore(ctx);
  const buf = Buffer.from(input.base64, 'base64');
  const t: Translate = (key, params) => ctx.t(key, params);
  const read = await readImportWorkbook(buf, input.fileName, t, today(ctx));
  const check = await crossCheck(ctx, store.db, s, read.rows);
  const errors = sortErrors([...read.errors, ...check.errors]);
  const summary = summaryOf(read.rows);

  const mine = sessionBatches(ctx, s);
  while (mine.size >= MAX_BATCHES_PER_SESSION) mine.delete(mine.keys().next().value!);
  const token = randomBytes(16).toString('hex');
  mine.set(token, {
    createdAt: ctx.clock.now().getTime(),
    fileName: input.fileName,
    sha256: createHash('sha256').update(buf).digest('hex'),
    rows: read.rows,
    summary,
    errorCount: errors.length,
  });
  const cap = <T>(a: T[]) => a.slice(0, IMPORT_PREVIEW_ROWS);
  return {
    token,
    fileName: input.fileName,
    summary,
    errors: errors.slice(0, IMPORT_MAX_ERRORS),
    errorCount: errors.length,
    rows: {
      borrowers: cap(read.rows.borrowers),
      loans: cap(read.rows.loans),
      guarantors: cap(read.rows.guarantors),
      collateral: cap(read.rows.collateral),
      repayments: cap(read.rows.repayments),
      drawdowns: cap(read.rows.drawdowns),
    },
  };
}

function describe(ctx: AppContext, errors: ImportCellError[]): string {
  const shown = errors.slice(0, 3).map((e) => ctx.t('import.errorAt', { sheet: e.sheet, row: e.row, column: e.column, reason: e.reason }));
  return shown.join('；') + (errors.length > shown.length ? ctx.t('import.andMore', { count: errors.length }) : '');
}

/** Writes the whole batch in one transaction: everything or nothing. */
export async function commitImport(ctx: AppContext, input: { token: string }): Promise<{ imported: ImportSummary }> {
  const s = requirePermission(ctx, 'portfolio.import');
  const store = requireStore(ctx);
  const mine = sessionBatches(ctx, s);
  const batch = mine.get(input.token);
  if (!batch) throw new AppError('NOT_FOUND', ctx.t('import.noSuchBatch'));
  // A token is good for one attempt, so two clicks cannot import twice.
  mine.delete(input.token);
  if (batch.errorCount > 0) throw new AppError('RULE_VIOLATION', ctx.t('import.hasErrors', { count: batch.errorCount }));
  const { summary, rows } = batch;
  if (Object.values(summary).every((n) => n === 0)) return { imported: summary };

  try {
    await store.db.transaction().execute(async (trx) => {
      const check = await crossCheck(ctx, trx, s, rows);
      if (check.errors.length) throw new AppError('CONFLICT', ctx.t('import.conflict', { detail: describe(ctx, sortErrors(check.errors)) }));
      await writeBatch(ctx, trx, s.username, batch, check);
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('INTERNAL', ctx.t('import.failed', { detail: e instanceof Error ? e.message : String(e) }));
  }
  return { imported: summary };
}

async function writeBatch(ctx: AppContext, trx: Transaction<Database>, actor: string, batch: Batch, check: CrossCheck): Promise<void> {
  const { rows } = batch;
  const now = ctx.nowIso();
  const day = today(ctx);

  const borrowerIds = new Map(check.dbBorrowers);
  for (const b of rows.borrowers) {
    const person = b.kind === 'person';
    const columns = {
      kind: b.kind!,
      name: b.name,
      id_number: b.idNumber,
      phone: b.phone,
      address: b.address,
      employer: person ? b.employer : '',
      legal_rep: person ? '' : b.legalRep,
      industry: person ? '' : b.industry,
      registered_capital_fen: person ? null : b.registeredCapitalFen,
      tier: b.tier ?? 'normal',
    };
    const { id } = await trx
      .insertInto('borrowers')
      .values({ ...columns, ...pinyinColumns(columns.name), created_by: actor, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    borrowerIds.set(b.idNumber, id);
    await recordAudit(trx, now, { actor, action: 'borrowers.create', entity: 'borrower', entityId: String(id), detail: { ...columns, import: batch.sha256 } });
  }

  const loans = new Map<string, { id: number; eventDate: string }>();
  const touched = new Set<number>();
  for (const l of rows.loans) {
    const input: LoanCreate = {
      contractNo: l.contractNo,
      borrowerId: borrowerIds.get(l.borrowerIdNumber)!,
      product: l.product,
      principalFen: l.principalFen!,
      annualRate: l.annualRate!,
      months: l.months!,
      method: l.method!,
      startDate: l.startDate!,
      penaltyUplift: l.penaltyUplift!,
      purpose: l.purpose,
      guaranteeModes: l.guaranteeModes,
      officer: l.officer,
      contractAmountFen: l.contractAmountFen,
    };
    const id = await insertLoan(ctx, trx, actor, input, check.schedules.get(l.row)!);
    loans.set(l.contractNo, { id, eventDate: l.startDate! });
    touched.add(id);
  }
  const loanOf = (contractNo: string) => loans.get(contractNo) ?? { id: check.dbLoans.get(contractNo)!.id, eventDate: day };
  const event = (loanId: number, date: string, kind: string, detail: unknown) =>
    trx.insertInto('loan_events').values({ loan_id: loanId, event_date: date, kind, detail: JSON.stringify(detail), created_by: actor, created_at: now }).execute();

  const guarantorIds = new Map(
    (
      await inChunks(
        rows.guarantors.map((g) => g.idNumber),
        (chunk) => trx.selectFrom('guarantors').select(['id', 'id_number']).where('id_number', 'in', chunk).execute(),
      )
    ).map((g) => [g.id_number, g.id]),
  );
  for (const g of rows.guarantors) {
    const loan = loanOf(g.contractNo);
    let guarantorId = guarantorIds.get(g.idNumber);
    if (guarantorId === undefined) {
      guarantorId = (
        await trx
          .insertInto('guarantors')
          .values({ kind: g.kind!, name: g.name, id_number: g.idNumber, phone: g.phone, address: '', created_by: actor, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      guarantorIds.set(g.idNumber, guarantorId);
    }
    await trx
      .insertInto('loan_guarantees')
      .values({ loan_id: loan.id, guarantor_id: guarantorId, guarantee_type: g.guaranteeType!, amount_fen: g.amountFen!, period_end: g.periodEnd!, created_at: now })
      .execute();
    await event(loan.id, loan.eventDate, 'guarantee', { name: g.name, type: g.guaranteeType, amountFen: g.amountFen });
    await recordAudit(trx, now, { actor, action: 'guarantees.add', entity: 'loan', entityId: String(loan.id), detail: { ...g, import: batch.sha256 } });
  }

  for (const c of rows.collateral) {
    const loan = loanOf(c.contractNo);
    const { id } = await trx
      .insertInto('collateral')
      .values({
        loan_id: loan.id,
        kind: c.kind!,
        type: c.type,
        description: c.description,
        owner: c.owner,
        registration_authority: c.registrationAuthority,
        registration_no: c.registrationNo,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('collateral_valuations').values({ collateral_id: id, value_fen: c.valueFen!, valued_on: c.valuedOn!, note: '', created_by: actor, created_at: now }).execute();
    if (c.certNo) await trx.insertInto('certificates').values({ collateral_id: id, cert_no: c.certNo, cert_type: '权证', custody: 'vault', updated_at: now }).execute();
    await event(loan.id, loan.eventDate, 'collateral', { type: c.type, description: c.description, valueFen: c.valueFen });
    await recordAudit(trx, now, { actor, action: 'collateral.add', entity: 'loan', entityId: String(loan.id), detail: { ...c, import: batch.sha256 } });
  }

  // Further drawdowns in date order, each rescheduling on top of the one before.
  const drawdowns = [...rows.drawdowns].sort((a, b) => (a.drawnOn! < b.drawnOn! ? -1 : a.drawnOn! > b.drawnOn! ? 1 : a.row - b.row));
  for (const d of drawdowns) {
    const loan = loanOf(d.contractNo);
    const row = (await trx.selectFrom('loans').selectAll().where('id', '=', loan.id).executeTakeFirstOrThrow()) as LoanRow;
    await applyDrawdown(ctx, trx, row, { drawnOn: d.drawnOn!, amountFen: d.amountFen!, voucherNo: d.voucherNo }, actor);
    touched.add(loan.id);
  }

  // In date order, so the ids follow the order the payments were made in.
  const repayments = [...rows.repayments].sort((a, b) => (a.paidOn! < b.paidOn! ? -1 : a.paidOn! > b.paidOn! ? 1 : a.row - b.row));
  for (const r of repayments) {
    const loan = loanOf(r.contractNo);
    const { id } = await trx
      .insertInto('repayments')
      .values({ loan_id: loan.id, paid_on: r.paidOn!, amount_fen: r.amountFen!, source: 'import', receivable_id: null, note: r.note, reversal_of: null, created_by: actor, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, now, {
      actor,
      action: 'repayments.create',
      entity: 'repayment',
      entityId: String(id),
      detail: { loanId: loan.id, paidOn: r.paidOn, amountFen: r.amountFen, note: r.note, source: 'import', import: batch.sha256 },
    });
    touched.add(loan.id);
  }

  for (const id of touched) await refreshStatus(ctx, trx, id, actor);
  await recordAudit(trx, now, {
    actor,
    action: 'import.commit',
    entity: 'import',
    entityId: batch.sha256,
    detail: { fileName: batch.fileName, sha256: batch.sha256, imported: batch.summary },
  });
}
