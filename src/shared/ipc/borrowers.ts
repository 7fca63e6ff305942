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

export const CONTACT_KINDS = ['phone', 'address'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const RELATIONS = ['spouse', 'co-borrower', 'heir', 'employer', 'emergency-contact', 'related-company', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

/** One more phone or address of a borrower (手机, 单位电话, 户籍地址, 经营地址…). */
export interface BorrowerContactView {
  id: number;
  borrowerId: number;
  kind: ContactKind;
  label: string;
  value: string;
  note: string;
  createdBy: string;
  createdAt: string;
}

/** Someone tied to the borrower whom collection work may reach: spouse, co-borrower, heir, employer… */
export interface RelatedPartyView {
  id: number;
  borrowerId: number;
  relation: Relation;
  kind: PartyKind;
  name: string;
  /** Empty when not known. */
  idNumber: string;
  phone: string;
  address: string;
  note: string;
  createdBy: string;
  createdAt: string;
}

/** The further phones and addresses and the related parties of a borrower (removed ones are kept, not shown). */
export interface BorrowerContacts {
  contacts: BorrowerContactView[];
  relatedParties: RelatedPartyView[];
}

/** A phone number as typed: digits, with +, -, spaces, brackets and an extension's 转. */
const PHONE = /^[0-9+\-() 转]{3,30}$/;

export const contactInput = z
  .object({ borrowerId: id, kind: z.enum(CONTACT_KINDS), label: text(30), value: text(200), note: optionalText(300) })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'phone' && !PHONE.test(v.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'validation.phone' });
  });

export const relatedPartyInput = z
  .object({
    borrowerId: id,
    relation: z.enum(RELATIONS),
    kind: z.enum(PARTY_KINDS),
    name: text(100),
    /** Optional; when given, checked as a resident ID (person) or credit code (enterprise). */
    idNumber: z.string().trim().toUpperCase().max(18),
    phone: optionalText(30),
    address: optionalText(200),
    note: optionalText(500),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.idNumber !== '') checkId(v, ctx);
    if (v.phone !== '' && !PHONE.test(v.phone)) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'validation.phone' });
  });

const removal = { reason: optionalText(200) };

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
  'borrowers.contacts': z.object({ borrowerId: id }).strict(),
  'borrowers.addContact': contactInput,
  'borrowers.removeContact': z.object({ contactId: id, ...removal }).strict(),
  'borrowers.addRelatedParty': relatedPartyInput,
  'borrowers.removeRelatedParty': z.object({ partyId: id, ...removal }).strict(),
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
  // Related parties are personal data: only who manages the borrower (officers their own; supervisors etc. all).
  'borrowers.contacts': reads('portfolio.read', 'borrower'),
  'borrowers.addContact': writes('portfolio.write', 'borrower'),
  'borrowers.removeContact': writes('portfolio.write', 'borrower'),
  'borrowers.addRelatedParty': writes('portfolio.write', 'borrower'),
  'borrowers.removeRelatedParty': writes('portfolio.write', 'borrower'),
} satisfies AccessOf<typeof borrowersChannels>;

export interface BorrowersOutputs {
  'borrowers.search': { total: number; rows: BorrowerListRow[] };
  'borrowers.exportXlsx': ExportedFile;
  'borrowers.get': Borrower;
  'borrowers.create': Borrower;
  'borrowers.update': Borrower;
  'borrowers.contacts': BorrowerContacts;
  'borrowers.addContact': BorrowerContacts;
  'borrowers.removeContact': BorrowerContacts;
  'borrowers.addRelatedParty': BorrowerContacts;
  'borrowers.removeRelatedParty': BorrowerContacts;
}
