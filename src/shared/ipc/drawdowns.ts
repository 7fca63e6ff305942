import { z } from 'zod';
import { date, fen, id, optionalText } from './fields';

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

export interface DrawdownsOutputs {
  'drawdowns.list': DrawdownsView;
  'drawdowns.add': DrawdownsView;
}
