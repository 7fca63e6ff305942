import type { Handlers } from '../../kernel/dispatch';
import { addDrawdown, listDrawdowns } from './drawdowns';

export const drawdownsHandlers: Handlers<'drawdowns.list' | 'drawdowns.add'> = {
  'drawdowns.list': (ctx, input) => listDrawdowns(ctx, input),
  'drawdowns.add': (ctx, input) => addDrawdown(ctx, { ...input, voucherNo: input.voucherNo ?? '' }),
};
