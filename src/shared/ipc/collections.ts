import { z } from 'zod';
import { DELINQUENCY_REASONS, type DelinquencyReason } from '../domain/delinquency';
import type { DpdBucket } from '../domain/overdue';
import { date, fen, fileBase64, id, msg, optionalText, text } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';
import type { BorrowerContacts } from './borrowers';

export const NOTICE_DOC_TYPES = ['reminder', 'overdue-notice', 'guarantor-notice', 'demand-letter', 'assignment-notice', 'debtor-collection', 'certificate-return', 'acceleration-notice'] as const;
export type NoticeDocType = (typeof NOTICE_DOC_TYPES)[number];

export interface NoticeView {
  serial: string;
  loanId: number;
  contractNo: string;
  docType: NoticeDocType;
  addressee: string;
  status: 'prepared' | 'printed' | 'void';
  receiptStatus: 'none' | 'pending' | 'returned';
  printedAt: string | null;
  signedOn: string | null;
}

export interface PreparedBatch {
  batchId: string | null;
  base64: string | null;
  notices: NoticeView[];
  /** Notices that could not be made, each with the reason; the rest of the batch still prints. */
  skipped: { loanId: number; contractNo: string; docType: NoticeDocType; reason: string }[];
}

export interface TemplateBlocksView {
  title: string;
  body: string;
  consequences: string;
  receipt: string;
}

export interface NoticeTemplateView {
  docType: NoticeDocType;
  blocks: TemplateBlocksView;
  builtIn: TemplateBlocksView;
  customised: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  placeholders: string[];
}

export interface CollectionStage {
  loanId: number;
  bucket: string;
  dpd: number;
  /** The recommended next step: none (current), notice (M1), visit (M2), demand letter (M3), legal (M4 and later). */
  stage: 'none' | 'notice' | 'visit' | 'demand' | 'legal';
  done: { notices: number; visits: number; demandLetters: number; receipts: number };
  checklist: { item: string; present: boolean }[];
  transferred: { on: string; by: string } | null;
}

export interface DueNotice {
  loanId: number;
  contractNo: string;
  borrowerName: string;
  officer: string;
  docType: NoticeDocType;
  reason: string;
  dpd: number;
  bucket: string;
  level: string;
  hasAddress: boolean;
}

export interface LimitationEvidence {
  date: string;
  kind: 'due' | 'receipt' | 'payment' | 'promise' | 'extension-request' | 'lawsuit' | 'other-demand';
  description: string;
  /** Strongest first: a signed receipt with its scan, then one without, then the rest. */
  strength: 'strong' | 'medium' | 'weak';
}

export interface LimitationView {
  loanId: number;
  contractNo: string;
  /** The last instalment's due date (Art. 189) from which the period runs. */
  runsFrom: string;
  expiry: string;
  daysLeft: number;
  warning: 'expired' | '30' | '90' | '180' | null;
  evidence: LimitationEvidence[];
  guarantors: { name: string; guaranteePeriodEnd: string; demandedOn: string | null; expiry: string | null; lapsed: boolean }[];
}

/** One overdue loan in a collection queue. */
export interface QueueRow {
  loanId: number;
  contractNo: string;
  borrowerName: string;
  borrowerPhone: string;
  officer: string;
  collector: string | null;
  assignedAt: string | null;
  dpd: number;
  bucket: DpdBucket;
  /** Overdue principal, interest and penalty. */
  overdueFen: number;
  balanceFen: number;
  lastContactOn: string | null;
  /** Promises still open (not yet due, not yet kept). */
  openPromises: number;
}

export interface CollectorView {
  username: string;
  displayName: string;
  /** Loans assigned now. */
  loans: number;
}

export interface CollectorResult {
  collector: string;
  displayName: string;
  /** Loans assigned at the end of the period. */
  loans: number;
  contacts: number;
  reached: number;
  promises: number;
  promisesKept: number;
  /** Payments on loans while assigned to the collector, within the period (reversed ones left out). */
  recoveredFen: number;
}

export interface PromiseView {
  id: number;
  amountFen: number;
  promiseDate: string;
  madeOn: string;
  note: string;
  status: 'open' | 'kept' | 'broken';
  paidFen: number;
}

export interface ContactView {
  id: number;
  channel: 'call' | 'visit' | 'letter' | 'message';
  target: string;
  slot: 'morning' | 'afternoon' | 'evening';
  outcome: 'reached' | 'promised' | 'refused' | 'wrong-number' | 'no-answer' | 'other';
  note: string;
  contactedOn: string;
  reason: DelinquencyReason | null;
  by: string;
}

export interface LostContactProgress {
  numbers: number;
  slots: number;
  attempts: number;
  lost: boolean;
}

export const ASSET_KINDS = ['real-estate', 'vehicle', 'deposit', 'receivable', 'equity', 'other'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
export const ASSET_STATUSES = ['open', 'preserved', 'realized', 'dismissed'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** A lead to the debtor's assets (财产线索): what, where, who holds it, and whether others have seized it already. */
export interface AssetLeadView {
  id: number;
  loanId: number;
  kind: AssetKind;
  description: string;
  location: string;
  holder: string;
  seizedByOthers: boolean;
  /** Which court or case seized it, when seizedByOthers. */
  seizedNote: string;
  source: string;
  foundOn: string;
  status: AssetStatus;
  statusOn: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** Whom collection work on a loan may reach besides the borrower: the borrower's phones and addresses, and related parties. */
export type OtherContacts = BorrowerContacts;

const seized = {
  seizedByOthers: z.boolean(),
  seizedNote: optionalText(300),
};
const seizedNoted = (v: { seizedByOthers: boolean; seizedNote: string }, ctx: z.RefinementCtx) => {
  if (v.seizedByOthers && v.seizedNote === '') ctx.addIssue({ code: 'custom', path: ['seizedNote'], message: 'validation.seizedNote' });
};

const docType = z.enum(NOTICE_DOC_TYPES);
const serial = z.string().trim().toUpperCase().max(40);

const chaseInput = z.object({ olderThanDays: z.number().int().min(0).max(365) }).strict();
const promisesInput = z.object({ loanId: id }).strict();

const blocks = z.object({ title: text(60), body: text(3000), consequences: optionalText(2000), receipt: optionalText(2000) }).strict();

export const collectionsChannels = {
  'notices.templates': z.object({}).strict(),
  'collections.stage': z.object({ loanId: id }).strict(),
  /** The overdue loans to work, worst bucket and largest amount first: a collector's own; for assigners any collector's, or all. */
  'collections.queue': z.object({ collector: z.string().trim().min(1).max(64).nullable(), unassignedOnly: z.boolean() }).strict(),
  /** Assigns overdue loans to a collector, or takes them back (null). */
  'collections.assign': z.object({ loanIds: z.array(id).min(1, msg('validation.chooseLoans')).max(500), collector: z.string().trim().min(1).max(64).nullable() }).strict(),
  'collections.collectors': z.object({}).strict(),
  /** What each collector achieved between two dates: contacts, promises made and kept, money recovered. */
  'collections.results': z.object({ from: date, to: date }).strict(),
  'collections.transferToLegal': z.object({ loanId: id, note: text(1000) }).strict(),
  'notices.saveTemplate': z.object({ docType, blocks }).strict(),
  'notices.previewTemplate': z.object({ docType, blocks }).strict(),
  'notices.due': z.object({ officer: z.string().max(32).nullable(), bucket: z.string().max(4).nullable(), level: z.string().max(20).nullable() }).strict(),
  'notices.prepare': z
    .object({ items: z.array(z.object({ loanId: id, docType }).strict()).min(1).max(2000), asOf: date.nullable(), payBy: date.nullable() })
    .strict(),
  'notices.confirm': z.object({ batchId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
  'notices.discard': z.object({ batchId: z.string().regex(/^[0-9a-f]{16}$/), reason: text(300) }).strict(),
  'notices.forLoan': z.object({ loanId: id }).strict(),
  'notices.registerReceipt': z
    .object({
      serial: serial.min(1, msg('validation.serialRequired')),
      signedOn: date,
      signedBy: z.enum(['borrower', 'guarantor', 'family', 'seal', 'other']),
      delivery: z.enum(['in-person', 'ems', 'post', 'courier']),
      trackingNo: optionalText(40),
      scan: z.object({ fileName: text(200), base64: fileBase64 }).strict().nullable(),
    })
    .strict(),
  'notices.chase': chaseInput,
  'notices.exportXlsx': chaseInput,
  'limitation.forLoan': z.object({ loanId: id }).strict(),
  'limitation.addEvent': z.object({ loanId: id, kind: z.enum(['extension-request', 'lawsuit', 'other-demand']), eventDate: date, note: text(500) }).strict(),
  'promises.add': z.object({ loanId: id, amountFen: fen, promiseDate: date, madeOn: date, note: optionalText(300) }).strict(),
  'promises.forLoan': promisesInput,
  'promises.exportXlsx': promisesInput,
  'contacts.add': z
    .object({
      loanId: id,
      channel: z.enum(['call', 'visit', 'letter', 'message']),
      target: text(60),
      slot: z.enum(['morning', 'afternoon', 'evening']),
      outcome: z.enum(['reached', 'promised', 'refused', 'wrong-number', 'no-answer', 'other']),
      note: optionalText(500),
      contactedOn: date,
      /** 逾期原因: needed at the first contact that reaches the borrower in an overdue spell (main checks). */
      reason: z.enum(DELINQUENCY_REASONS).nullable().optional(),
    })
    .strict(),
  'contacts.forLoan': z.object({ loanId: id }).strict(),
  /** The borrower's further phones and related parties, for a loan's collection work. */
  'contacts.others': z.object({ loanId: id }).strict(),
  'collections.assetLeads': z.object({ loanId: id }).strict(),
  'collections.addAssetLead': z
    .object({
      loanId: id,
      kind: z.enum(ASSET_KINDS),
      description: text(300),
      location: optionalText(200),
      holder: optionalText(100),
      ...seized,
      source: optionalText(200),
      foundOn: date,
    })
    .strict()
    .superRefine(seizedNoted),
  'collections.updateAssetLead': z
    .object({ leadId: id, status: z.enum(ASSET_STATUSES), statusOn: date, ...seized })
    .strict()
    .superRefine(seizedNoted),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const collectionsAccess = {
  'notices.templates': reads('collections.print'),
  'collections.stage': reads('portfolio.read', 'loan'),
  'collections.queue': reads(['collections.queue', 'collections.assign']),
  'collections.assign': writes('collections.assign', 'loan'),
  'collections.collectors': reads('collections.assign'),
  'collections.results': reads(['collections.queue', 'collections.assign']),
  'collections.transferToLegal': writes('collections.write', 'loan'),
  'notices.saveTemplate': writes('collections.templates'),
  'notices.previewTemplate': reads('collections.print'),
  'notices.due': reads('collections.print'),
  // A loan the caller may not see is skipped as if it did not exist.
  'notices.prepare': writes('collections.print', 'loan'),
  'notices.confirm': writes('collections.print', 'loan'),
  'notices.discard': writes('collections.print', 'loan'),
  'notices.forLoan': reads('portfolio.read', 'loan'),
  'notices.registerReceipt': writes('collections.write', 'loan'),
  'notices.chase': reads('portfolio.read'),
  // Writes only its audit entry (who exported which list with which filters).
  'notices.exportXlsx': writes('portfolio.read'),
  'limitation.forLoan': reads('portfolio.read', 'loan'),
  'limitation.addEvent': writes('collections.write', 'loan'),
  'promises.add': writes('collections.write', 'loan'),
  'promises.forLoan': reads('portfolio.read', 'loan'),
  'promises.exportXlsx': writes('portfolio.read', 'loan'),
  'contacts.add': writes('collections.write', 'loan'),
  'contacts.forLoan': reads('portfolio.read', 'loan'),
  'contacts.others': reads('portfolio.read', 'loan'),
  'collections.assetLeads': reads('portfolio.read', 'loan'),
  'collections.addAssetLead': writes('collections.write', 'loan'),
  'collections.updateAssetLead': writes('collections.write', 'loan'),
} satisfies AccessOf<typeof collectionsChannels>;

export interface CollectionsOutputs {
  'notices.templates': NoticeTemplateView[];
  'collections.stage': CollectionStage;
  'collections.queue': QueueRow[];
  'collections.assign': QueueRow[];
  'collections.collectors': CollectorView[];
  'collections.results': CollectorResult[];
  'collections.transferToLegal': CollectionStage;
  'notices.saveTemplate': NoticeTemplateView[];
  'notices.previewTemplate': { base64: string };
  'notices.due': DueNotice[];
  'notices.prepare': PreparedBatch;
  'notices.confirm': { printed: number };
  'notices.discard': { voided: number };
  'notices.forLoan': NoticeView[];
  'notices.registerReceipt': { notice: NoticeView; limitation: LimitationView };
  'notices.chase': NoticeView[];
  'notices.exportXlsx': ExportedFile;
  'limitation.forLoan': LimitationView;
  'limitation.addEvent': LimitationView;
  'promises.add': PromiseView[];
  'promises.forLoan': PromiseView[];
  'promises.exportXlsx': ExportedFile;
  'contacts.add': { contacts: ContactView[]; progress: LostContactProgress };
  'contacts.forLoan': { contacts: ContactView[]; progress: LostContactProgress };
  'contacts.others': OtherContacts;
  'collections.assetLeads': AssetLeadView[];
  'collections.addAssetLead': AssetLeadView[];
  'collections.updateAssetLead': AssetLeadView[];
}
