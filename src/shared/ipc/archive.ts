import { z } from 'zod';
import { id, msg, text } from './fields';

export interface ExportJobView {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  bytes: number;
  file: string | null;
  error: string | null;
}

export interface VerifyReport {
  ok: boolean;
  /** Set when the package could not be read at all: wrong password, not a package, cut short. */
  error: string | null;
  institution: string | null;
  exportedAt: string | null;
  exportedBy: string | null;
  loans: { contractNo: string; borrower: string; folder: string }[];
  checked: number;
  missing: string[];
  extra: string[];
  changed: string[];
}

/**
 * An export password: at least 8 characters, letters, digits and ASCII symbols only, because zip tools
 * disagree on how to encode other characters and the recipient must be able to type it into 7-Zip.
 */
export const exportPassword = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, msg('validation.asciiPassword'));

export const archiveChannels = {
  'archive.export': z.object({ loanIds: z.array(id).min(1).max(100_000), targetDir: text(1000), password: exportPassword }).strict(),
  'archive.exportStatus': z.object({ jobId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
  'archive.cancelExport': z.object({ jobId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
  'archive.verify': z.object({ file: text(1000), password: z.string().min(1).max(128) }).strict(),
};

export interface ArchiveOutputs {
  'archive.export': ExportJobView;
  'archive.exportStatus': ExportJobView;
  'archive.cancelExport': ExportJobView;
  'archive.verify': VerifyReport;
}
