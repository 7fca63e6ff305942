import { sql, type Kysely } from 'kysely';

// Frozen. Main stores codes with parameters, never sentences: the renderer words them in the reader's language.
// Rows written before held Chinese sentences; this rewrites them once, so that no parser is left at run time.
// The sentences below are the ones the code of that time wrote, copied here so that later wording changes
// cannot change what this migration recognises. What is not recognised is kept as `legacy` text.

const RULES = '《商业银行金融资产风险分类办法》';
const FLOOR_SENTENCES: Record<string, string> = {
  loss: `逾期 {{dpd}} 天，超过 360 天，为损失（${RULES}）`,
  doubtful: `逾期 {{dpd}} 天，超过 270 天，至少为可疑（${RULES}）`,
  substandard: `逾期 {{dpd}} 天，超过 90 天，至少为次级（${RULES}）`,
  specialMention: `逾期 {{dpd}} 天，存在逾期，至少为关注（${RULES}）`,
  technical: `逾期 {{dpd}} 天，属操作性或技术性原因导致的 7 天内短期逾期，可不归为关注，仍为正常（${RULES}）`,
  technicalNotApplicable: `逾期 {{dpd}} 天，超过 7 天，不适用技术性短期逾期例外（${RULES}）`,
  restructuredNpl: `重组前已为不良资产，重组后观察期内至少为次级（${RULES}）`,
  restructured: `重组资产在观察期内至少为关注（${RULES}）`,
  factoring: '保理融资逾期 {{dpd}} 天，超过 90 天，应列入不良，至少为次级（银保监办发〔2019〕205号）',
  none: '未逾期，且无重组等下限因素，下限为正常',
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const FLOOR_PATTERNS = Object.entries(FLOOR_SENTENCES).map(([code, text]) => [new RegExp(`^${escape(text).replace(escape('{{dpd}}'), '(\\d+)')}$`), code] as const);

export function floorReasonCode(text: string): { code: string; params: Record<string, unknown> } {
  for (const [re, code] of FLOOR_PATTERNS) {
    const m = re.exec(text);
    if (m) return { code, params: m[1] === undefined ? {} : { dpd: Number(m[1]) } };
  }
  return { code: 'legacy', params: { text } };
}

const INSPECTION_PATTERNS: [RegExp, (m: RegExpExecArray) => Record<string, unknown>][] = [
  [/^首次检查：放款后 (\d+) 天内$/, (m) => ({ code: 'first', days: Number(m[1]) })],
  [/^常规检查：按月（风险客户或非正常类）$/, () => ({ code: 'routine', months: 1 })],
  [/^常规检查：每半年（优质客户、正常类）$/, () => ({ code: 'routine', months: 6 })],
  [/^常规检查：每 (\d+) 个月$/, (m) => ({ code: 'routine', months: Number(m[1]) })],
  [/^到期前检查：到期日前 (\d+) 天$/, (m) => ({ code: 'preMaturity', days: Number(m[1]) })],
  [/^专项检查：.*（预警 #(\d+)）$/, (m) => ({ code: 'special', warningId: Number(m[1]) })],
];

export function inspectionReasonCode(text: string): Record<string, unknown> {
  for (const [re, make] of INSPECTION_PATTERNS) {
    const m = re.exec(text);
    if (m) return make(m);
  }
  return { code: 'legacy', text };
}

async function rewriteFloorReasons(db: Kysely<any>, table: 'loan_status' | 'classifications', key: 'loan_id' | 'id'): Promise<void> {
  const rows = await sql<{ k: number; r: string }>`SELECT ${sql.ref(key)} AS k, floor_reasons AS r FROM ${sql.table(table)} WHERE EXISTS (SELECT 1 FROM json_each(floor_reasons) WHERE type = 'text')`.execute(db);
  for (const { k, r } of rows.rows) {
    const reasons = (JSON.parse(r) as unknown[]).map((x) => (typeof x === 'string' ? floorReasonCode(x) : x));
    await sql`UPDATE ${sql.table(table)} SET floor_reasons = ${JSON.stringify(reasons)} WHERE ${sql.ref(key)} = ${k}`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  const rows = await sql<{ id: number; reason: string }>`SELECT id, reason FROM inspections WHERE json_valid(reason) = 0 OR json_type(reason) <> 'object'`.execute(db);
  for (const { id, reason } of rows.rows) {
    await sql`UPDATE inspections SET reason = ${JSON.stringify(inspectionReasonCode(reason))} WHERE id = ${id}`.execute(db);
  }
  await rewriteFloorReasons(db, 'loan_status', 'loan_id');
  await rewriteFloorReasons(db, 'classifications', 'id');
}
