import { z } from 'zod';
import { LEVELS } from '../domain/classification';
import { date, fenOrZero, fileBase64, id, optionalText, text } from './fields';
import type { InspectionKind, ReportStatus } from './inspections';
import { reads, writes, type AccessOf } from './access';

const yesNo = z.enum(['yes', 'no']);

/** 首次检查报告: the loan's use against the contract purpose, conditions met, legal documents valid. */
export const firstReportData = z
  .object({
    loanUse: text(2000),
    useMatchesPurpose: yesNo,
    evidence: z.array(z.enum(['contract', 'invoice', 'payment-record', 'other'])).min(1).max(4),
    evidenceNote: optionalText(1000).optional(),
    conditionsMet: yesNo,
    conditionsNote: optionalText(1000).optional(),
    legalDocsValid: yesNo,
    legalDocsNote: optionalText(1000).optional(),
    conclusion: text(2000),
    proposedLevel: z.enum(LEVELS),
  })
  .strict();

/** 贷后检查报告 (routine, pre-maturity, special). Figures are integer fen and cannot be negative. */
export const postReportData = z
  .object({
    operations: text(2000),
    revenueFen: fenOrZero,
    totalAssetsFen: fenOrZero,
    liabilitiesFen: fenOrZero,
    cashFen: fenOrZero,
    fundFlows: text(2000),
    guarantorsCondition: text(2000),
    collateralState: z.enum(['intact', 'damaged', 'missing', 'none']),
    collateralValueFen: fenOrZero.nullable(),
    warningsFound: optionalText(2000).optional(),
    firstRepaymentSource: text(2000),
    conclusion: text(2000),
    proposedLevel: z.enum(LEVELS),
  })
  .strict();

/** What about the loan decides which parts of a 贷后检查报告 are asked for. */
export interface ReportLoanFacts {
  /** The loan has a guarantor (保证, registered or in the contract): 保证人情况 is asked. */
  guaranteed: boolean;
  /** The loan has collateral (抵押 or 质押, registered or in the contract): 抵质押物状况 is asked. */
  collateralised: boolean;
  /** The borrower is a person, who keeps no company balance sheet. */
  personal: boolean;
}

/** 保证人情况: asked only of a loan with a guarantor. */
export const GUARANTOR_KEYS = ['guarantorsCondition'] as const;
/** 抵质押物状况: asked only of a loan with collateral. */
export const COLLATERAL_KEYS = ['collateralState', 'collateralValueFen'] as const;
/** The company's figures: not asked of a personal borrower. */
export const BALANCE_SHEET_KEYS = ['revenueFen', 'totalAssetsFen', 'liabilitiesFen', 'cashFen'] as const;

/** `security` as securityOf gives it (shared/ipc/loans): the contract's modes and what is registered. */
export function reportLoanFacts(loan: { security: readonly string[]; borrowerKind: string }): ReportLoanFacts {
  return {
    guaranteed: loan.security.includes('guarantee'),
    collateralised: loan.security.includes('mortgage') || loan.security.includes('pledge'),
    personal: loan.borrowerKind === 'person',
  };
}

/** 信用: neither part of 担保情况 is asked. */
export const unsecuredOf = (facts: ReportLoanFacts) => !facts.guaranteed && !facts.collateralised;

/** The post-loan fields this loan's report need not carry (the form does not ask them). */
export function notAskedOf(facts: ReportLoanFacts): string[] {
  return [...(facts.guaranteed ? [] : GUARANTOR_KEYS), ...(facts.collateralised ? [] : COLLATERAL_KEYS), ...(facts.personal ? BALANCE_SHEET_KEYS : [])];
}

type NotAskedKey = (typeof GUARANTOR_KEYS)[number] | (typeof COLLATERAL_KEYS)[number] | (typeof BALANCE_SHEET_KEYS)[number];

/** The 贷后检查报告 as submitted for this loan: what is not asked of it may be left out, the rest is required. */
export function postReportFor(facts: ReportLoanFacts) {
  return postReportData.partial(Object.fromEntries(notAskedOf(facts).map((k) => [k, true])) as { [K in NotAskedKey]?: true });
}

export type FirstReportData = z.infer<typeof firstReportData>;
export type PostReportData = z.infer<typeof postReportData>;
export type ReportData = Partial<FirstReportData> | Partial<PostReportData>;

/** A draft may be incomplete but never wrong: present fields are checked, missing ones wait for submission. */
const draftData = z.union([firstReportData.partial().strict(), postReportData.partial().strict()]);

export interface ReportAttachmentView {
  documentId: number;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  caption: string;
}

export interface ReportEventView {
  step: string;
  by: string;
  at: string;
  comment: string;
}

export interface ReportView {
  id: number;
  inspectionId: number;
  inspectionKind: InspectionKind;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  form: 'first' | 'post';
  version: number;
  previousId: number | null;
  status: ReportStatus;
  visitDate: string;
  data: ReportData;
  officer: string;
  reportDue: string;
  reviewDue: string | null;
  /** The deadline falls in a year without a holiday calendar (暂定). */
  reportDueProvisional: boolean;
  reviewDueProvisional: boolean;
  reportOverdue: boolean;
  reviewOverdue: boolean;
  reviewer: string | null;
  reviewComment: string | null;
  acceptedBy: string | null;
  /** Liabilities ÷ total assets in per cent (one decimal), and the last signed report's for comparison. */
  debtRatio: string | null;
  previousDebtRatio: string | null;
  attachments: ReportAttachmentView[];
  events: ReportEventView[];
}

export interface ReportQueueItem {
  reportId: number | null;
  inspectionId: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  kind: InspectionKind;
  status: ReportStatus | 'planned';
  officer: string;
  due: string;
  overdue: boolean;
  /** The deadline falls in a year without a holiday calendar (暂定). */
  provisional: boolean;
}

export const reportsChannels = {
  'reports.create': z.object({ inspectionId: id, visitDate: date, data: draftData }).strict(),
  'reports.update': z.object({ reportId: id, visitDate: date, data: draftData }).strict(),
  'reports.attach': z.object({ reportId: id, fileName: text(200), base64: fileBase64, caption: optionalText(200) }).strict(),
  'reports.detach': z.object({ reportId: id, documentId: id }).strict(),
  'reports.submit': z.object({ reportId: id }).strict(),
  'reports.return': z.object({ reportId: id, comment: text(1000) }).strict(),
  'reports.sign': z.object({ reportId: id, comment: optionalText(1000) }).strict(),
  'reports.accept': z.object({ reportId: id }).strict(),
  /** The risk officer sends a signed report back to its author, with the reason; it is corrected and submitted again. */
  'reports.returnSigned': z.object({ reportId: id, comment: text(1000) }).strict(),
  'reports.correct': z.object({ reportId: id }).strict(),
  'reports.get': z.object({ reportId: id }).strict(),
  'reports.queue': z.object({}).strict(),
  'reports.pdf': z.object({ reportId: id }).strict(),
  'documents.get': z.object({ documentId: id }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const reportsAccess = {
  'reports.create': writes('inspections.write', 'loan'),
  'reports.update': writes('inspections.write', 'loan'),
  'reports.attach': writes('inspections.write', 'loan'),
  'reports.detach': writes('inspections.write', 'loan'),
  'reports.submit': writes('inspections.write', 'loan'),
  'reports.return': writes('reports.review', 'loan'),
  'reports.sign': writes('reports.review', 'loan'),
  'reports.accept': writes('reports.accept', 'loan'),
  'reports.returnSigned': writes('reports.accept', 'loan'),
  'reports.correct': writes('inspections.write', 'loan'),
  'reports.get': reads('portfolio.read', 'loan'),
  'reports.queue': reads('portfolio.read'),
  'reports.pdf': reads('portfolio.read', 'loan'),
  'documents.get': reads('portfolio.read', 'loan'),
} satisfies AccessOf<typeof reportsChannels>;

export interface ReportsOutputs {
  'reports.create': ReportView;
  'reports.update': ReportView;
  'reports.attach': ReportView;
  'reports.detach': ReportView;
  'reports.submit': ReportView;
  'reports.return': ReportView;
  'reports.sign': ReportView;
  'reports.accept': ReportView;
  'reports.returnSigned': ReportView;
  'reports.correct': ReportView;
  'reports.get': ReportView;
  'reports.queue': { toWrite: ReportQueueItem[]; toReview: ReportQueueItem[]; toAccept: ReportQueueItem[] };
  'reports.pdf': { fileName: string; base64: string };
  'documents.get': { fileName: string; mime: string; base64: string };
}

