import { z } from 'zod';
import { date, id, msg, text } from './fields';
import { reads, writes, type AccessOf } from './access';

export interface ExportJobView {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  bytes: number;
  file: string | null;
  /** The finished package's fingerprint (archive/format.ts), for the password slip. */
  fingerprint: string | null;
  error: string | null;
}

export interface VerifyReport {
  ok: boolean;
  /** Set when the package could not be read at all: wrong password, not a package, cut short. */
  error: string | null;
  /** 2: names encrypted inside 档案.zip; 1: an older package whose names anyone can list. */
  format: 1 | 2 | null;
  /** The first 32 hex digits of manifest.json's SHA-256, as printed on the password slip. */
  fingerprint: string | null;
  institution: string | null;
  exportedAt: string | null;
  exportedBy: string | null;
  loans: { contractNo: string; borrower: string; folder: string }[];
  checked: number;
  missing: string[];
  extra: string[];
  changed: string[];
}

/** The encrypted archive inside an export package (main/archive/format.ts), named in the page's instructions. */
export const INNER_ARCHIVE = '档案.zip';

/** A package fingerprint as “3f2a 91bc …”, for reading off a printed slip and comparing. */
export function groupFingerprint(hex: string): string {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * A typed export password: at least 12 characters (length is what resists guessing; WinZip AES derives its key
 * with only 1,000 rounds, so a short password falls to a search), letters, digits and ASCII symbols only,
 * because zip tools disagree on how to encode other characters and the recipient must be able to type it into
 * 7-Zip. No rules about which kinds of character: the generated password is the recommended one.
 */
export const EXPORT_PASSWORD_MIN = 12;
export const exportPassword = z
  .string()
  .min(EXPORT_PASSWORD_MIN)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, msg('validation.asciiPassword'));

/**
 * Generated export passwords: 25 symbols from 32 that cannot be mistaken for one another when read aloud or
 * copied by hand (digits 2–9 and capitals without I and O), in five groups of five joined by hyphens, which
 * belong to the password: 125 random bits, typed as printed.
 */
export const GENERATED_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const GENERATED_GROUPS = 5;
export const GENERATED_GROUP_LEN = 5;

const jobId = z.string().regex(/^[0-9a-f]{16}$/);

const archiveExportChannels = {
  'archive.export': z.object({ loanIds: z.array(id).min(1, msg('validation.chooseLoans')).max(100_000), targetDir: text(1000), password: exportPassword }).strict(),
  'archive.exportStatus': z.object({ jobId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
  'archive.cancelExport': z.object({ jobId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
  'archive.verify': z.object({ file: text(1000), password: z.string().min(1).max(128) }).strict(),
  'archive.newPassword': z.object({}).strict(),
  'archive.passwordSlip': z.object({ password: exportPassword, jobId: jobId.nullable() }).strict(),
};

interface ArchiveExportOutputs {
  'archive.export': ExportJobView;
  'archive.exportStatus': ExportJobView;
  'archive.cancelExport': ExportJobView;
  'archive.verify': VerifyReport;
  'archive.newPassword': { password: string };
  'archive.passwordSlip': { fileName: string; base64: string };
}

export type Product = 'credit' | 'guarantee' | 'mortgage' | 'pledge' | 'factoring';
export type Stage = 'disbursement' | 'inspection' | 'payoff';

export interface DocTypeView {
  code: string;
  nameZh: string;
  nameEn: string;
  sort: number;
  active: boolean;
}

export interface ChecklistView {
  loanId: number;
  products: Product[];
  items: { stage: Stage; docType: string; nameZh: string; nameEn: string; required: number; present: number }[];
  missing: number;
}

export interface FileLocationView {
  room: string;
  cabinet: string;
  shelf: string;
  box: string;
  updatedBy: string;
  updatedAt: string;
}

export interface LendingView {
  id: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  borrowerUser: string;
  purpose: string;
  lentOn: string;
  dueBack: string;
  lentBy: string;
  returnedOn: string | null;
  receivedBy: string | null;
  overdue: boolean;
}

export interface ArchiveGap {
  loanId: number;
  contractNo: string;
  borrowerName: string;
  officer: string;
  missing: number;
  /** The document types missing from the file, in the checklist's order. */
  missingTypes: string[];
}

export interface DestructionListView {
  id: number;
  reason: string;
  status: 'proposed' | 'approved-once' | 'approved' | 'rejected' | 'destroyed';
  createdBy: string;
  createdAt: string;
  approvals: { by: string; at: string }[];
  /** Who carried the list out, and when (status 'destroyed'). */
  destroyed: { by: string; at: string; files: number } | null;
  loans: { loanId: number; contractNo: string; closedOn: string | null; retentionUntil: string | null }[];
}

export interface ImportedArchiveView {
  id: number;
  fileName: string;
  institution: string;
  exportedAt: string;
  exportedBy: string;
  importedBy: string;
  importedAt: string;
  loans: { contractNo: string; borrower: string; folder: string }[];
  files: number;
}

/** A running or finished import: files checked and stored of those listed, their bytes, and the archive once in. */
export interface ImportJobView {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  bytes: number;
  totalBytes: number;
  archive: ImportedArchiveView | null;
  error: string | null;
}

export interface ImportedFileView {
  path: string;
  sha256: string;
  size: number;
}

const place = z.string().trim().min(1).max(40);

const archiveManageChannels = {
  'archive.docTypes': z.object({}).strict(),
  'archive.saveDocType': z
    .object({ code: z.string().regex(/^[a-z0-9-]{2,40}$/), nameZh: text(50), nameEn: text(80), sort: z.number().int().min(0).max(1000), active: z.boolean() })
    .strict(),
  'archive.checklist': z.object({ loanId: id }).strict(),
  /** Loans whose file is incomplete; `docType`: only those missing that item. */
  'archive.gaps': z.object({ docType: z.string().regex(/^[a-z0-9-]{2,40}$/).nullish() }).strict(),
  'archive.location': z.object({ loanId: id }).strict(),
  'archive.setLocation': z.object({ loanId: id, room: place, cabinet: place, shelf: place, box: place }).strict(),
  'archive.lend': z.object({ loanId: id, borrowerUser: text(32), purpose: text(300), dueBack: date }).strict(),
  'archive.return': z.object({ loanId: id }).strict(),
  'archive.lendings': z.object({ status: z.enum(['out', 'overdue', 'all']) }).strict(),
  'archive.labelsPdf': z.object({ loanIds: z.array(id).min(1).max(500) }).strict(),
  'archive.proposeDestruction': z.object({ loanIds: z.array(id).min(1).max(10_000), reason: text(500) }).strict(),
  'archive.approveDestruction': z.object({ listId: id, approve: z.boolean() }).strict(),
  'archive.destructionLists': z.object({}).strict(),
  /** The archivist carries out an approved list: electronic files deleted, paper files marked destroyed. */
  'archive.executeDestruction': z.object({ listId: id }).strict(),
  /** The 销毁清单 of a list carried out, from the records kept. */
  'archive.destructionPdf': z.object({ listId: id }).strict(),
  'archive.importPackage': z.object({ file: text(1000), password: z.string().min(1).max(128) }).strict(),
  'archive.importStart': z.object({ file: text(1000), password: z.string().min(1).max(128) }).strict(),
  'archive.importStatus': z.object({ jobId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
  'archive.importCancel': z.object({ jobId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
  'archive.imported': z.object({}).strict(),
  'loans.reassign': z.object({ loanIds: z.array(id).min(1, msg('validation.chooseLoans')).max(5000), toOfficer: text(32), reason: text(500) }).strict(),
  'archive.importedFiles': z.object({ archiveId: id }).strict(),
  'archive.importedFile': z.object({ archiveId: id, path: text(1000) }).strict(),
};

interface ArchiveManageOutputs {
  'archive.docTypes': DocTypeView[];
  'archive.saveDocType': DocTypeView[];
  'archive.checklist': ChecklistView;
  'archive.gaps': ArchiveGap[];
  'archive.location': FileLocationView | null;
  'archive.setLocation': FileLocationView;
  'archive.lend': LendingView;
  'archive.return': LendingView;
  'archive.lendings': LendingView[];
  'archive.labelsPdf': { fileName: string; base64: string };
  'archive.proposeDestruction': DestructionListView;
  'archive.approveDestruction': DestructionListView;
  'archive.destructionLists': DestructionListView[];
  'archive.executeDestruction': DestructionListView;
  'archive.destructionPdf': { fileName: string; base64: string };
  'archive.importPackage': ImportedArchiveView;
  'archive.importStart': ImportJobView;
  'archive.importStatus': ImportJobView;
  'archive.importCancel': ImportJobView;
  'archive.imported': ImportedArchiveView[];
  'loans.reassign': { fileName: string; base64: string };
  'archive.importedFiles': ImportedFileView[];
  'archive.importedFile': { fileName: string; mime: string; base64: string };
}

export const archiveChannels = { ...archiveExportChannels, ...archiveManageChannels };

/** Who may call each channel, and whether it writes (see access.ts). */
export const archiveAccess = {
  'archive.export': writes('archive.export', 'loan'),
  'archive.exportStatus': reads('archive.export'),
  'archive.cancelExport': writes('archive.export'),
  // A fresh random password and its printable slip change no data.
  'archive.newPassword': reads('archive.export'),
  'archive.passwordSlip': reads('archive.export'),
  'archive.verify': reads('portfolio.read'),
  'archive.docTypes': reads('signed-in'),
  'archive.saveDocType': writes('archive.manage'),
  'archive.checklist': reads('portfolio.read', 'loan'),
  'archive.gaps': reads('portfolio.read'),
  'archive.location': reads('portfolio.read', 'loan'),
  'archive.setLocation': writes('archive.manage', 'loan'),
  'archive.lend': writes('archive.manage', 'loan'),
  'archive.return': writes('archive.manage', 'loan'),
  'archive.lendings': reads('portfolio.read'),
  'archive.labelsPdf': reads('portfolio.read', 'loan'),
  'archive.proposeDestruction': writes('archive.manage', 'loan'),
  'archive.approveDestruction': writes('archive.approveDestruction'),
  'archive.destructionLists': reads(['archive.manage', 'archive.approveDestruction']),
  'archive.executeDestruction': writes('archive.manage'),
  'archive.destructionPdf': reads(['archive.manage', 'archive.approveDestruction']),
  'archive.importPackage': writes('archive.import'),
  'archive.importStart': writes('archive.import'),
  'archive.importStatus': reads('archive.import'),
  'archive.importCancel': writes('archive.import'),
  'archive.imported': reads('archive.import'),
  'loans.reassign': writes('loans.reassign', 'loan'),
  'archive.importedFiles': reads('archive.import'),
  'archive.importedFile': reads('archive.import'),
} satisfies AccessOf<typeof archiveChannels>;

export type ArchiveOutputs = ArchiveExportOutputs & ArchiveManageOutputs;
