import { z } from 'zod';
import { date, datesInOrder, empty, username } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  reason: string | null;
  detail: string;
  /**
   * The record in words, where main can name it: a loan's contract number, a borrower's name, a user's display
   * name, or the loan an entry's detail names; null otherwise (the page then shows the entity and its id).
   */
  subject: string | null;
  /** The loan the entry is about (its entity, or the loanId in its detail), for a link. */
  loanId: number | null;
}

/**
 * What is wrong, when something is: an entry altered (`edited`), an entry missing before another (`link`), the
 * entries from before the HMAC scheme altered (`legacy`); or the chain disagrees with the head kept outside the
 * database: fewer entries than it records (`headAhead`: deleted, or an older copy restored), a different entry
 * at its place (`headOffChain`: rewritten), or that head itself not written with the key (`headForged`).
 */
export type AuditProblem = 'edited' | 'link' | 'legacy' | 'headAhead' | 'headOffChain' | 'headForged';

export interface ChainHead {
  count: number;
  hash: string;
}

export interface AuditCheck {
  ok: boolean;
  count: number;
  /** Id of the first entry that does not verify, when there is one. */
  brokenAt: number | null;
  problem: AuditProblem | null;
  /** The database's own head (count and last hash). */
  head: ChainHead | null;
  /** The head recorded outside the database; null before the first entry. */
  outside: ChainHead | null;
  /**
   * Where that head is kept: in the keyring, beside a single PC's store; or, on the branch server, in this PC's
   * witness of what it last saw there (kernel/branchWitness.ts).
   */
  kept: 'keyring' | 'witness';
  /** Entries the database holds beyond the head outside (its update after the last commit did not happen). */
  lag: number;
  /** Entries from before the HMAC scheme that branch off the chain (two writers at once in older versions). */
  legacyForks: number;
}

/** The catalogue key and parameters that word a failed check, for the app and the CLI alike. */
export function auditProblemMessage(a: AuditCheck): { key: `audit.problems.${AuditProblem}` | `audit.witnessProblems.${WitnessProblem}`; params: Record<string, string | number> } | null {
  if (!a.problem) return null;
  const params = { id: a.brokenAt ?? '?', count: a.count, head: a.outside?.count ?? '?' };
  if (a.kept === 'witness' && isWitnessProblem(a.problem)) return { key: `audit.witnessProblems.${a.problem}`, params };
  return { key: `audit.problems.${a.problem}`, params };
}

/** The line that names the head kept outside the database, and where it is kept. */
export function auditOutsideMessage(a: AuditCheck): { key: 'audit.outside' | 'audit.noOutside' | 'audit.witnessOutside' | 'audit.noWitness'; params: Record<string, string | number> } {
  const witness = a.kept === 'witness';
  if (!a.outside) return { key: witness ? 'audit.noWitness' : 'audit.noOutside', params: {} };
  return { key: witness ? 'audit.witnessOutside' : 'audit.outside', params: { count: a.outside.count, hash: a.outside.hash } };
}

/** The problems that are about the head kept outside, worded for the branch server's witness. */
type WitnessProblem = 'headAhead' | 'headOffChain' | 'headForged';
function isWitnessProblem(p: AuditProblem): p is WitnessProblem {
  return p === 'headAhead' || p === 'headOffChain' || p === 'headForged';
}

/** An action as recorded: `feature.verb`. */
const action = z.string().regex(/^[A-Za-z][\w-]*(\.[\w-]+)*$/).max(64);

/**
 * The log's filters, all optional: who acted, from and to which business date (Beijing time, both days
 * included), about which loan (part of its contract number) and which action. Absent or null: not filtered.
 */
export const auditFilters = {
  actor: username.nullish(),
  from: date.nullish(),
  to: date.nullish(),
  contractNo: z.string().trim().min(1).max(64).nullish(),
  action: action.nullish(),
};
export type AuditFilters = z.output<z.ZodObject<typeof auditFilters>>;

export const auditChannels = {
  'audit.list': z
    .object({ ...auditFilters, limit: z.number().int().min(1).max(500), offset: z.number().int().min(0).max(1e9) })
    .strict()
    .superRefine(datesInOrder),
  'audit.verify': empty,
  /** The log as the page filters it, newest first. */
  'audit.exportXlsx': z
    .object(auditFilters)
    .strict()
    .superRefine(datesInOrder),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const auditAccess = {
  'audit.list': reads('audit.verify'),
  'audit.verify': reads('audit.verify'),
  // Writes only its audit entry (who exported which list with which filters).
  'audit.exportXlsx': writes('audit.verify'),
} satisfies AccessOf<typeof auditChannels>;

export interface AuditOutputs {
  'audit.list': { total: number; entries: AuditEntry[] };
  'audit.verify': AuditCheck;
  'audit.exportXlsx': ExportedFile;
}
