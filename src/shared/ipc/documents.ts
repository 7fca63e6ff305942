import { z } from 'zod';
import { fileBase64, id, optionalText, text } from './fields';
import { reads, writes, type AccessOf } from './access';

/** The usual loan file (贷款档案), in the order the archive keeps it. */
export const DOC_TYPES = [
  { code: 'application', zh: '借款申请书', en: 'Loan application' },
  { code: 'credit-report', zh: '征信及调查报告', en: 'Credit investigation' },
  { code: 'approval', zh: '审批材料', en: 'Approval' },
  { code: 'contract', zh: '借款合同', en: 'Loan contract' },
  { code: 'iou', zh: '借据', en: 'Loan receipt (IOU)' },
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

/** Words in a scan's file name that say which paper it is, the more specific first (保证合同 before 合同). */
const NAME_HINTS: [RegExp, DocTypeCode][] = [
  [/保证合同|担保合同|保证书/, 'guarantee-contract'],
  [/抵押|质押|权证|他项|不动产登记/, 'security-contract'],
  [/借款合同|贷款合同|授信合同|主合同/, 'contract'],
  [/借据/, 'iou'],
  [/借款申请|贷款申请|申请书/, 'application'],
  [/征信|调查报告|尽职调查/, 'credit-report'],
  [/审批|审查意见|批复/, 'approval'],
  [/放款|放贷凭证|转账凭证|划款/, 'disbursement'],
  [/检查报告|贷后检查|回访/, 'inspection-report'],
  [/照片|现场/, 'inspection-photo'],
  [/通知书|催收函|回执/, 'notice'],
  [/展期|重组|核销/, 'restructuring'],
  [/判决|裁定|起诉|诉状|调解书|执行/, 'legal'],
  [/结清|解押|权证退还/, 'payoff'],
];

/**
 * The paper a file probably is, from its name: a type's own name in it (the longest that fits, so a custom type
 * is found too), else the usual words for it; null when the name says nothing. A suggestion for the user to
 * confirm, never filed without them.
 */
export function suggestDocType(fileName: string, types: readonly { code: string; nameZh: string; nameEn: string; active: boolean }[]): string | null {
  const name = fileName.replace(/\.[^.]*$/, '').toLowerCase();
  const active = types.filter((d) => d.active && d.code !== 'other');
  const named = active
    .flatMap((d) => [d.nameZh, d.nameEn].map((n) => ({ code: d.code, n: n.toLowerCase() })))
    .filter((x) => x.n.length >= 2 && name.includes(x.n))
    .sort((a, b) => b.n.length - a.n.length)[0];
  if (named) return named.code;
  const hint = NAME_HINTS.find(([re]) => re.test(name));
  return hint && active.some((d) => d.code === hint[1]) ? hint[1] : null;
}

/** A HEIC/HEIF photo (the iPhone's default) by its first 12 bytes: an ISO-BMFF `ftyp` box with a HEIF brand. */
export function isHeifHead(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  return ascii(4, 8) === 'ftyp' && ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1'].includes(ascii(8, 12));
}

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
  'documents.add': z.object({ loanId: id, docType: z.string().regex(/^[a-z0-9-]{2,40}$/), fileName: text(200), base64: fileBase64 }).strict(),
  'documents.replace': z.object({ documentId: id, fileName: text(200), base64: fileBase64 }).strict(),
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

/** A document whose file was destroyed under a destruction list carries this reason; its row stays as the record. */
export const destroyedUnder = (listId: number): string => `销毁清单 #${listId}`;
export const isDestroyed = (removedReason: string | null): boolean => !!removedReason && /^销毁清单 #\d+$/.test(removedReason);
