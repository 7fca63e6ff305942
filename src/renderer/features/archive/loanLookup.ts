import type { LoanListRow } from '../../../shared/ipc/loans';
import { invoke } from '../../lib/ipc';

/** Contract numbers typed or pasted one per line (or separated by commas, spaces, 、), upper-cased, once each. */
export function splitContracts(text: string): string[] {
  return [...new Set(text.split(/[\s,，、;；]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))];
}

/** Finds each contract number's loan among those the user may see; `missing` are the numbers not found. */
export async function resolveContracts(nos: string[]): Promise<{ loans: LoanListRow[]; missing: string[] }> {
  const loans: LoanListRow[] = [];
  const missing: string[] = [];
  for (const no of nos) {
    const r = await invoke('loans.list', { query: no, officer: null, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc', limit: 20, offset: 0 });
    const hit = r.rows.find((l) => l.contractNo.toUpperCase() === no);
    if (hit) loans.push(hit);
    else missing.push(no);
  }
  return { loans, missing };
}
