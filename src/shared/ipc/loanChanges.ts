import { z } from 'zod';
import { ACCELERATION_GROUNDS, type AccelerationGround } from '../domain/acceleration';
import { REPAYMENT_METHODS } from '../domain/schedule';
import { annualRate, date, decision, fen, id, msg, optionalText, text } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';

export type LoanChangeKind = 'extension' | 'restructuring' | 'write-off' | 'acceleration';

export interface LoanChangeView {
  id: number;
  loanId: number;
  contractNo: string;
  kind: LoanChangeKind;
  appliedOn: string;
  newMaturity: string | null;
  reason: string;
  evidence: string;
  /** For an acceleration: the events of default stated; empty for other kinds. */
  grounds: AccelerationGround[];
  status: 'pending' | 'first-approved' | 'approved' | 'rejected';
  applicant: string;
  approvals: { by: string; at: string; comment: string }[];
}

export interface WrittenOffView {
  loanId: number;
  contractNo: string;
  borrowerName: string;
  writtenOffOn: string;
  balanceFen: number;
  recoveredFen: number;
}

export const loanChangesChannels = {
  'changes.applyExtension': z.object({ loanId: id, newMaturity: date, reason: text(1000) }).strict(),
  'changes.applyRestructuring': z
    .object({ loanId: id, newMaturity: date, newRate: annualRate, newMethod: z.enum(REPAYMENT_METHODS), reason: text(1000) })
    .strict(),
  'changes.proposeWriteOff': z.object({ loanId: id, reason: text(1000), evidence: text(2000) }).strict(),
  'changes.applyAcceleration': z
    .object({ loanId: id, grounds: z.array(z.enum(ACCELERATION_GROUNDS)).min(1, msg('validation.chooseGrounds')).max(ACCELERATION_GROUNDS.length), reason: text(1000) })
    .strict(),
  'changes.decide': decision({ changeId: id }, 1000),
  'changes.forLoan': z.object({ loanId: id }).strict(),
  'changes.pending': z.object({}).strict(),
  'changes.extensionPdf': z.object({ loanId: id, kind: z.enum(['extension-application', 'extension-agreement']) }).strict(),
  'writeoffs.list': z.object({}).strict(),
  'writeoffs.exportXlsx': z.object({}).strict(),
  'writeoffs.recover': z.object({ loanId: id, paidOn: date, amountFen: fen, note: optionalText(300) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const loanChangesAccess = {
  'changes.applyExtension': writes('portfolio.write', 'loan'),
  'changes.applyRestructuring': writes('portfolio.write', 'loan'),
  'changes.proposeWriteOff': writes('portfolio.write', 'loan'),
  'changes.applyAcceleration': writes('portfolio.write', 'loan'),
  // The supervisor decides extensions and the first write-off step, the risk officer the final one.
  'changes.decide': writes(['loanchanges.approve', 'writeoff.final'], 'loan'),
  'changes.forLoan': reads('portfolio.read', 'loan'),
  'changes.pending': reads('portfolio.read'),
  'changes.extensionPdf': reads('portfolio.read', 'loan'),
  'writeoffs.list': reads('portfolio.read'),
  // Writes only its audit entry (who exported which list with which filters).
  'writeoffs.exportXlsx': writes('portfolio.read'),
  'writeoffs.recover': writes('repayments.write', 'loan'),
} satisfies AccessOf<typeof loanChangesChannels>;

export interface LoanChangesOutputs {
  'changes.applyExtension': LoanChangeView;
  'changes.applyRestructuring': LoanChangeView;
  'changes.proposeWriteOff': LoanChangeView;
  'changes.applyAcceleration': LoanChangeView;
  'changes.decide': LoanChangeView;
  'changes.forLoan': LoanChangeView[];
  'changes.pending': LoanChangeView[];
  'changes.extensionPdf': { fileName: string; base64: string };
  'writeoffs.list': WrittenOffView[];
  'writeoffs.exportXlsx': ExportedFile;
  'writeoffs.recover': WrittenOffView[];
}
