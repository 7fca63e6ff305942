import { z } from 'zod';
import { isValidCreditCode, isValidResidentId } from '../domain/ids';
import { fen, id, optionalText, pageArgs, text } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';

export const PARTY_KINDS = ['person', 'enterprise'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
export const TIERS = ['good', 'normal', 'risk'] as const;
export type Tier = (typeof TIERS)[number];

export interface Borrower {
  id: number;
  kind: PartyKind;
  name: string;
  /** 18-digit resident ID for a person, unified social credit code for an enterprise. */
  idNumber: string;
  phone: string;
  address: string;
  employer: string;
  legalRep: string;
  industry: string;
  registeredCapitalFen: number | null;
  tier: Tier;
  createdAt: string;
}

/**
 * A search result. `managed` is false for an officer's search hit on another officer's borrower: its ID number
 * and phone come masked (110101********1234, 138****5678) and its loan figures are null.
 */
export interface BorrowerListRow extends Pick<Borrower, 'id' | 'kind' | 'name' | 'idNumber' | 'phone' | 'tier'> {
  loanCount: number | null;
  balanceFen: number | null;
  managed: boolean;
}

/** Checks the ID number for the party kind: resident ID (GB 11643) or credit code (GB 32100). */
export function partyIdOk(kind: PartyKind, idNumber: string): boolean {
  return kind === 'person' ? isValidResidentId(idNumber) : isValidCreditCode(idNumber);
}

/** A borrower's fields as the channels check them; forms build on these (registered capital typed in yuan). */
export const borrowerFields = {
  kind: z.enum(PARTY_KINDS),
  name: text(100),
  idNumber: z.string().trim().toUpperCase().min(1).max(18),
  phone: optionalText(30),
  address: optionalText(200),
  employer: optionalText(100),
  legalRep: optionalText(50),
  industry: optionalText(50),
  registeredCapitalFen: fen.nullable(),
  tier: z.enum(TIERS),
};

/** The ID number checked against the party kind, on the `idNumber` field. */
export const checkId = (v: { kind: PartyKind; idNumber: string }, ctx: z.RefinementCtx) => {
  if (!partyIdOk(v.kind, v.idNumber)) {
    ctx.addIssue({ code: 'custom', path: ['idNumber'], message: v.kind === 'person' ? 'validation.residentId' : 'validation.creditCode' });
  }
};

export const borrowerInput = z.object(borrowerFields).strict().superRefine(checkId);

const borrowersSearchInput = z
  .object({
    query: z.string().trim().max(100),
    kind: z.enum(PARTY_KINDS).nullable(),
    tier: z.enum(TIERS).nullable(),
    sort: z.enum(['name', 'idNumber', 'tier', 'loanCount', 'balanceFen']).optional(),
    direction: z.enum(['asc', 'desc']).optional(),
    ...pageArgs,
  })
  .strict();

export const borrowersChannels = {
  'borrowers.search': borrowersSearchInput,
  /** The search's filters and order; every row the caller manages, not one page. */
  'borrowers.exportXlsx': borrowersSearchInput.omit({ limit: true, offset: true }),
  'borrowers.get': z.object({ id }).strict(),
  'borrowers.create': borrowerInput,
  'borrowers.update': z
    .object({ id, ...borrowerFields })
    .strict()
    .superRefine(checkId),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const borrowersAccess = {
  // Officers find every borrower (to avoid registering one twice) but see ID number and phone masked on those they do not manage.
  'borrowers.search': reads('portfolio.read'),
  // Writes only its audit entry (who exported which list with which filters).
  'borrowers.exportXlsx': writes('portfolio.read'),
  'borrowers.get': reads('portfolio.read', 'borrower'),
  'borrowers.create': writes('portfolio.write'),
  'borrowers.update': writes('portfolio.write', 'borrower'),
} satisfies AccessOf<typeof borrowersChannels>;

export interface BorrowersOutputs {
  'borrowers.search': { total: number; rows: BorrowerListRow[] };
  'borrowers.exportXlsx': ExportedFile;
  'borrowers.get': Borrower;
  'borrowers.create': Borrower;
  'borrowers.update': Borrower;
}
