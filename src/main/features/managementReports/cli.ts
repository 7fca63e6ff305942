import { resolve } from 'node:path';
import { isValidDate } from '../../../shared/domain/dates';
import type { AppContext } from '../../kernel/context';
import { writeFileAtomic } from '../../fs/atomic';
import { CliError } from '../../cli/io';
import { monthlyPdfBuffer, monthlyXlsxBuffer } from './documents';
import { kpis } from './reports';

type Flags = Record<string, string | boolean | undefined>;

/**
 * `report --name kpis --as-of YYYY-MM-DD [--json] [--xlsx FILE] [--pdf FILE]`: the KPIs of a date (its snapshot if
 * taken, else computed without storing anything), and the monthly report as a workbook and/or a PDF.
 */
export async function cmdReport(flags: Flags, authenticated: (flags: Flags) => Promise<AppContext>): Promise<void> {
  const name = flags.name;
  if (name !== 'kpis') throw new CliError(`未知的报表 ${String(name ?? '')}，可用：kpis（unknown --name）`, 2);
  const asOf = flags['as-of'];
  if (typeof asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !isValidDate(asOf)) throw new CliError('缺少或无效的 --as-of YYYY-MM-DD（missing or invalid --as-of）', 2);
  const ctx = await authenticated(flags);
  try {
    const k = await kpis(ctx, { asOf });
    if (typeof flags.xlsx === 'string') writeFileAtomic(resolve(flags.xlsx), await monthlyXlsxBuffer(ctx, asOf));
    if (typeof flags.pdf === 'string') writeFileAtomic(resolve(flags.pdf), await monthlyPdfBuffer(ctx, asOf));
    if (flags.json) process.stdout.write(`${JSON.stringify(k, null, 2)}\n`);
    else {
      const p = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
      const y = (fen: number) => (fen / 100).toFixed(2);
      process.stdout.write(
        `${k.asOf} (${k.source})\t笔数 ${k.loans}\t余额 ${y(k.balanceFen)}\t逾期率 ${p(k.overdueRate)}\t不良率 ${p(k.nplRatio)}\t应计提 ${y(k.provisionRequiredFen)}\t拨备覆盖率 ${p(k.coverageRatio)}\n`,
      );
    }
  } finally {
    ctx.close();
  }
}
