import type { Kysely } from 'kysely';
import { CN_CALENDARS, isValidDate, mergeCalendars, type WorkingCalendar } from '../../../shared/domain';
import { AppError, type FieldIssue } from '../../../shared/ipc/errors';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import type { AppContext } from '../../kernel/context';
import { requirePermission } from '../../kernel/authz';
import { requireStore } from '../../kernel/storeAccess';

export interface CalendarYear {
  year: number;
  source: string;
  holidays: string[];
  workdays: string[];
  imported: boolean;
}

async function years(db: Kysely<Database>): Promise<CalendarYear[]> {
  const imported = await db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  const have = new Set(imported.map((y) => y.year));
  return [
    ...CN_CALENDARS.filter((c) => !have.has(c.year)).map((c) => ({ year: c.year, source: c.source, holidays: [...c.holidays], workdays: [...c.workdays], imported: false })),
    ...imported.map((y) => ({ year: y.year, source: y.source, holidays: JSON.parse(y.holidays) as string[], workdays: JSON.parse(y.workdays) as string[], imported: true })),
  ].sort((a, b) => a.year - b.year);
}

/**
 * Whether a working-day deadline is provisional: it falls in a year the calendar does not cover, so its holidays
 * and make-up days are not known yet and the date was counted on weekends alone.
 */
export async function provisionalDeadline(db: Kysely<Database>): Promise<(date: string | null) => boolean> {
  const have = new Set((await years(db)).map((y) => y.year));
  return (date) => date !== null && !have.has(Number(date.slice(0, 4)));
}

/** The shipped State Council years, with any imported year replacing the shipped one. */
export async function workingCalendar(db: Kysely<Database>): Promise<WorkingCalendar> {
  return mergeCalendars(...(await years(db)));
}

export async function listCalendar(ctx: AppContext): Promise<CalendarYear[]> {
  requirePermission(ctx, 'settings.manage');
  return years(requireStore(ctx).db);
}

/**
 * Parses a year's file: one date a line, `YYYY-MM-DD,休` (or `holiday`) for a day off and `YYYY-MM-DD,班`
 * (or `workday`) for a make-up working day; `#` starts a comment. Every bad line is reported.
 */
export function parseCalendarFile(ctx: AppContext, text: string): { year: number; holidays: string[]; workdays: string[] } {
  const holidays: string[] = [];
  const workdays: string[] = [];
  const issues: FieldIssue[] = [];
  const yearsSeen = new Set<number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const m = /^(\d{4}-\d{2}-\d{2})\s*[,，\t ]\s*(休|班|holiday|workday)$/i.exec(line);
    if (!m) {
      issues.push({ path: 'text', message: ctx.t('errors.calendarLine', { line: i + 1, text: raw.trim().slice(0, 40) }) });
      return;
    }
    // Well formed but not a day of the calendar (2031-02-30): said as such, not as a format error.
    if (!isValidDate(m[1])) {
      issues.push({ path: 'text', message: ctx.t('errors.calendarNoSuchDay', { line: i + 1, date: m[1] }) });
      return;
    }
    yearsSeen.add(Number(m[1].slice(0, 4)));
    (/^(休|holiday)$/i.test(m[2]) ? holidays : workdays).push(m[1]);
  });
  if (issues.length === 0 && yearsSeen.size !== 1) issues.push({ path: 'text', message: ctx.t('errors.calendarOneYear') });
  if (issues.length > 0) throw new AppError('VALIDATION', issues[0].message, issues);
  return { year: [...yearsSeen][0], holidays: holidays.sort(), workdays: workdays.sort() };
}

export async function importCalendar(ctx: AppContext, input: { fileName: string; text: string }): Promise<CalendarYear[]> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const parsed = parseCalendarFile(ctx, input.text);
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const row = { year: parsed.year, holidays: JSON.stringify(parsed.holidays), workdays: JSON.stringify(parsed.workdays), source: input.fileName, imported_by: s.username, imported_at: now };
    await trx.insertInto('calendar_years').values(row).onConflict((oc) => oc.column('year').doUpdateSet(row)).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'calendar.import', entity: 'calendar', entityId: String(parsed.year), detail: { file: input.fileName, holidays: parsed.holidays.length, workdays: parsed.workdays.length } });
  });
  return years(store.db);
}
