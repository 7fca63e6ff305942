import { z } from 'zod';
import { date, fen, id, optionalText } from './fields';
import { reads, writes, type AccessOf } from './access';

/** One disbursement under a loan contract: the first at creation, further ones (分次放款) later. */
export interface DrawdownView {
  seq: number;
  drawnOn: string;
  amountFen: number;
  voucherNo: string;
  by: string;
}

export interface DrawdownsView {
  loanId: number;
  contractAmountFen: number;
  drawnFen: number;
  availableFen: number;
  drawdowns: DrawdownView[];
}

export const drawdownsChannels = {
  'drawdowns.list': z.object({ loanId: id }).strict(),
  'drawdowns.add': z.object({ loanId: id, drawnOn: date, amountFen: fen, voucherNo: optionalText(60) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const drawdownsAccess = {
  'drawdowns.list': reads('portfolio.read', 'loan'),
  'drawdowns.add': writes('portfolio.write', 'loan'),
} satisfies AccessOf<typeof drawdownsChannels>;

export interface DrawdownsOutputs {
  'drawdowns.list': DrawdownsView;
  'drawdowns.add': DrawdownsView;
}
