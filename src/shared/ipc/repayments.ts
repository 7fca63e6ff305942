import { z } from 'zod';
import { LEVELS } from '../domain/classification';
import { date, fen, id, optionalText, text } from './fields';
import type { ClassificationView, LoanDetail } from './loans';

export interface LedgerEntry {
  date: string;
  kind: 'disbursement' | 'repayment' | 'reversal' | 'classification' | 'rate-change' | 'extension' | 'guarantee' | 'collateral' | 'payoff' | 'write-off' | 'restructuring';
  description: string;
  /** Signed change of the principal balance; 0 for events that do not move it. */
  principalFen: number;
  interestFen: number;
  penaltyFen: number;
  amountFen: number;
  balanceFen: number;
  by: string;
}

export interface PendingClassification extends ClassificationView {
  loanId: number;
  contractNo: string;
  borrowerName: string;
}

export const repaymentsChannels = {
  'repayments.create': z.object({ loanId: id, paidOn: date, amountFen: fen, note: optionalText(300) }).strict(),
  'repayments.reverse': z.object({ repaymentId: id, reason: text(300) }).strict(),
  'classification.propose': z.object({ loanId: id, level: z.enum(LEVELS), reason: text(500) }).strict(),
  'classification.decide': z.object({ proposalId: id, approve: z.boolean(), comment: text(500) }).strict(),
  'classification.pending': z.object({}).strict(),
  'ledger.get': z.object({ loanId: id }).strict(),
  'ledger.exportXlsx': z.object({ loanId: id }).strict(),
  'batch.run': z.object({ asOf: date.nullable() }).strict(),
};

export interface RepaymentsOutputs {
  'repayments.create': LoanDetail;
  'repayments.reverse': LoanDetail;
  'classification.propose': LoanDetail;
  'classification.decide': LoanDetail;
  'classification.pending': PendingClassification[];
  'ledger.get': { contractNo: string; entries: LedgerEntry[] };
  'ledger.exportXlsx': { fileName: string; base64: string };
  'batch.run': { asOf: string; loans: number; changedLevels: number; ms: number };
}

