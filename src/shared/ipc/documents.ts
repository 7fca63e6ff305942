import { z } from 'zod';
import { id, optionalText, text } from './fields';
import { reads, writes, type AccessOf } from './access';

/** The usual loan file (贷款档案), in the order the archive keeps it. */
export const DOC_TYPES = [
  { code: 'application', zh: '借款申请书', en: 'Loan application' },
  { code: 'credit-report', zh: '征信及调查报告', en: 'Credit investigation' },
  { code: 'approval', zh: '审批材料', en: 'Approval' },
  { code: 'contract', zh: '借款合同', en: 'Loan contract' },
  { code: 'iou', zh: '借据', en: 'IOU (借据)' },
  { code: 'guarantee-contract', zh: '保证合同', en: 'Guarantee contract' },
  { code: 'security-contract', zh: '抵押/质押合同及权证', en: 'Mortgage/pledge contract and certificates' },
  { code: 'disbursement', zh: '放款凭证', en: 'Disbursement voucher' },
  { code: 'inspection-report', zh: '贷后检查报告', en: 'Inspection report' },
  { code: 'inspection-photo', zh: '检查照片', en: 'Inspection photo' },
  { code: 'notice', zh: '通知书及回执', en: 'Notices and signed receipts' },
  { code: 'restructuring', zh: '展期、重组、核销材料', en: 'Extension, restructuring and write-off papers' },
  { code: 'legal', zh: '法律文书', en: 'Legal documents' },
  { code: 'payoff', zh: '结清及权证退还材料', en: 'Payoff and certificate return' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const;
export type DocTypeCode = (typeof DOC_TYPES)[number]['code'];

export interface DocumentView {
  id: number;
  loanId: number | null;
  docType: string;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  createdBy: string;
  createdAt: string;
  replacesId: number | null;
  /** True when a newer version replaced this one. */
  superseded: boolean;
  removed: { at: string; by: string; reason: string } | null;
}

export const documentsChannels = {
  'documents.list': z.object({ loanId: id, includeRemoved: z.boolean() }).strict(),
  'documents.add': z.object({ loanId: id, docType: z.string().regex(/^[a-z0-9-]{2,40}$/), fileName: text(200), base64: z.string().min(1).max(140_000_000) }).strict(),
  'documents.replace': z.object({ documentId: id, fileName: text(200), base64: z.string().min(1).max(140_000_000) }).strict(),
  'documents.remove': z.object({ documentId: id, reason: text(500) }).strict(),
  'documents.restore': z.object({ documentId: id, reason: optionalText(500) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const documentsAccess = {
  'documents.list': reads('portfolio.read', 'loan'),
  // Officers file papers on their loans, the archivist on any.
  'documents.add': writes(['portfolio.write', 'archive.manage'], 'loan'),
  'documents.replace': writes(['portfolio.write', 'archive.manage'], 'loan'),
  'documents.remove': writes(['portfolio.write', 'archive.manage'], 'loan'),
  'documents.restore': writes(['portfolio.write', 'archive.manage'], 'loan'),
} satisfies AccessOf<typeof documentsChannels>;

export interface DocumentsOutputs {
  'documents.list': DocumentView[];
  'documents.add': DocumentView;
  'documents.replace': DocumentView;
  'documents.remove': DocumentView;
  'documents.restore': DocumentView;
}
