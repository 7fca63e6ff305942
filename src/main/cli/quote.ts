import { amountInWords } from '../../shared/domain/amountInWords';
import { formatFen } from '../../shared/domain/money';
import { writeFileSync } from 'node:fs';
import { settlementQuotePdf } from '../features/loans/printing';
import { settlementQuote } from '../features/repayments/servicing';
import { authenticated, need, type Flags } from './commands';
import { CliError } from './io';

/**
 * `quote --loan NO --date YYYY-MM-DD [--json] [--pdf FILE]`: what settling the loan in full on that date takes
 * (提前结清测算); `--pdf` also writes the 提前结清测算单 the app prints.
 */
export async function cmdQuote(flags: Flags): Promise<void> {
  const contractNo = need(flags, 'loan');
  const date = need(flags, 'date');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new CliError(`日期格式应为 YYYY-MM-DD：${date}`, 2);
  const ctx = await authenticated(flags);
  try {
    const row = await ctx.store!.db.selectFrom('loans').select('id').where('contract_no', '=', contractNo).executeTakeFirst();
    if (!row) throw new CliError(`合同编号不存在：${contractNo}`);
    const q = await settlementQuote(ctx, { loanId: row.id, date });
    if (typeof flags.pdf === 'string') {
      const pdf = await settlementQuotePdf(ctx, { loanId: row.id, date });
      writeFileSync(flags.pdf, Buffer.from(pdf.base64, 'base64'));
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(q, null, 2)}\n`);
      return;
    }
    const line = (label: string, fen: number) => `${label}\t${formatFen(fen)}\t${amountInWords(fen)}\n`;
    process.stdout.write(
      `${q.contractNo} 提前结清测算（${q.date}）\n` +
        line('本金', q.principalFen) +
        line('利息', q.interestFen) +
        line('罚息', q.penaltyFen) +
        line('违约金', q.feeFen) +
        line('合计', q.totalFen) +
        (q.creditFen > 0 ? line('溢收款', q.creditFen) + line('尚需支付', q.payableFen) : ''),
    );
  } finally {
    ctx.close();
  }
}
