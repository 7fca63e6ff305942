import { constants, copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/ipc/errors';
import { resourcesDir } from '../nodePaths';
import '../reactions';
import { dailyBatchSettled, startDailyBatch } from '../jobs/dailyBatch';
import { AppContext } from '../kernel/context';
import { localOnly, openStore, type BranchStore } from '../kernel/store';
import { verifyAuditChain } from '../kernel/audit';
import { confirmBranchRecoveryKey, createBranchInstitution, serverTarget } from '../features/session/branch';
import { assertAdminIn, checkSealedDocuments, moveToServer, unwrapForMove } from '../features/backups/moveToServer';
import { loadKeyring } from '../features/keys/keys';
import type { MoveProgress } from '../../shared/ipc/backups';
import { generateDemoPortfolio } from '../features/demo/demo';
import { listLoans } from '../features/loans/loans';
import { cardPdfByContract, extensionPdf } from '../features/loans/printing';
import { exportArchive, generateExportPassword, passwordSlipFor } from '../features/archive/archiveExport';
import { confirmNotices, discardNotices, prepareNotices } from '../features/collections/notices';
import { NOTICE_DOC_TYPES, type NoticeDocType } from '../../shared/ipc/collections';
import { verifyPackage } from '../features/archive/archiveVerify';
import { EXPORT_PASSWORD_MIN, exportPassword as exportPasswordSchema, groupFingerprint } from '../../shared/ipc/archive';
import { translate } from '../../shared/i18n';
import { writeFileAtomic } from '../fs/atomic';
import { auditOutsideMessage, auditProblemMessage } from '../../shared/ipc/audit';
import { reanchorAudit } from '../features/audit/audit';
import { backupTo, runChecks } from '../features/backups/maintenance';
import { checkAgainstServerBackup } from '../features/backups/branchCheck';
import type { BackupCheck } from '../db/backupHead';
import { readFacts } from '../db/backupFiles';
import { backupServerTo, verifyWritten } from '../features/backups/backups';
import { authorise, inspectWithKey, runRestore, unwrapDataKey } from '../features/backups/restore';
import type { BackupInspection, RestorePhase } from '../../shared/ipc/backups';
import { authoriseBranch, inspectBranchBackup, runBranchRestore } from '../features/backups/branchRestore';
import { login } from '../features/session/session';
import { appInfo, confirmRecoveryKey, createInstitution } from '../features/app/setup';
import { confirmPendingRecoveryKey, keysStatus, newRecoveryKey, pendingRecoveryKeyPdf, rotationPhase, startRotation, waitForRotation } from '../features/keys/rotation';
import { CliError, readPassword } from './io';
import { dirname, basename } from 'node:path';

export type Flags = Record<string, string | boolean | undefined>;

export function need(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || v === '') throw new CliError(`缺少参数 --${name}（missing --${name}）`, 2);
  return v;
}

/** A headless context whose config lives in a throwaway folder and points at the given data folder. */
function contextFor(dataDir: string): AppContext {
  const ctx = new AppContext({ configDir: mkdtempSync(join(tmpdir(), 'loankeeper-cli-')), defaultDataDir: dataDir, resourcesDir: resourcesDir() });
  ctx.config.dataDir = resolve(dataDir);
  return ctx;
}

/**
 * `--database postgresql://user[:password]@host:port/db`: the branch server. The database password comes from the
 * address or, when the address has none, from PGPASSWORD; it is never printed (the server is shown as
 * host:port/database). `--ca FILE`: the CA certificate (PEM) of a server reached over TLS.
 */
export function databaseFlag(flags: Flags): { url: string; password: string; ca: string | null } | null {
  const raw = flags.database;
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || raw === '') throw new CliError('缺少参数 --database（missing --database）', 2);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CliError('--database 应为 postgresql://用户@主机:端口/数据库（--database must be postgresql://user@host:port/database）', 2);
  }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') throw new CliError('--database 应为 postgresql://用户@主机:端口/数据库（--database must be postgresql://user@host:port/database）', 2);
  const password = u.password ? decodeURIComponent(u.password) : (process.env.PGPASSWORD ?? '');
  u.password = '';
  const caFile = flags.ca;
  let ca: string | null = null;
  if (typeof caFile === 'string' && caFile !== '') {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new CliError(`无法读取 ${caFile}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
    }
  }
  return { url: u.toString(), password, ca };
}

/** A headless context on a data folder (`--data-dir`) or on the branch server (`--database`), one of the two. */
function contextOf(flags: Flags): AppContext {
  const server = databaseFlag(flags);
  if (!server) return contextFor(need(flags, 'data-dir'));
  if (flags['data-dir'] !== undefined) throw new CliError('--data-dir 与 --database 只能用一个（use either --data-dir or --database）', 2);
  // --head-dir: the app folder of the PC whose witness of the audit head (kernel/branchWitness.ts) the command
  // reads and moves on, as the app at that PC would. Only the witness is used there: the command's own settings
  // (a sign-in saves the branch's name) stay in its temporary folder, so the PC's config.json is never touched.
  const headDir = flags['head-dir'];
  if (headDir !== undefined && (typeof headDir !== 'string' || !existsSync(headDir))) throw new CliError(`--head-dir 应为已有的文件夹（--head-dir must be an existing folder）：${String(headDir)}`, 2);
  const ctx = new AppContext({
    configDir: mkdtempSync(join(tmpdir(), 'loankeeper-cli-')),
    defaultDataDir: join(tmpdir(), 'loankeeper-cli-unused'),
    resourcesDir: resourcesDir(),
    ...(typeof headDir === 'string' ? { witnessDir: resolve(headDir) } : {}),
  });
  ctx.config.dataDir = null;
  ctx.config.server = { url: server.url, ca: server.ca, secret: null, institution: '', branch: '' };
  ctx.serverPassword = server.password;
  return ctx;
}

/** Every command on an existing store signs in as a user and runs with that user's permissions. */
export async function authenticated(flags: Flags): Promise<AppContext> {
  const ctx = contextOf(flags);
  const username = need(flags, 'user');
  const password = await readPassword(flags['password-file'] as string | undefined, `${username} 的密码: `);
  await login(ctx, { username, password });
  // As in the app, a sign-in brings the day's statuses up to date (commands that read them see today's).
  await startDailyBatch(ctx);
  return ctx;
}

export async function cmdInit(flags: Flags): Promise<void> {
  const server = databaseFlag(flags);
  if (server) return initOnServer(flags, server);
  const dataDir = need(flags, 'data-dir');
  const ctx = contextFor(dataDir);
  ctx.config.dataDir = null;
  const admin = need(flags, 'admin');
  const password = await readPassword(flags['password-file'] as string | undefined, `${admin} 的密码: `);
  try {
    const { recoveryKey } = await createInstitution(ctx, {
      institution: need(flags, 'institution'),
      branch: typeof flags.branch === 'string' ? flags.branch : '',
      dataDir,
      adminUsername: admin,
      adminName: typeof flags['admin-name'] === 'string' ? flags['admin-name'] : admin,
      password,
      locale: 'zh-CN',
    });
    await confirmRecoveryKey(ctx);
    process.stderr.write(`已在 ${resolve(dataDir)} 创建加密数据库。恢复密钥如下，请打印或离线保存：\n`);
    process.stdout.write(`${recoveryKey}\n`);
  } finally {
    ctx.close();
  }
}

/** `init --database URL`: a branch set up on an empty database, as the app's wizard does it. */
async function initOnServer(flags: Flags, server: { url: string; password: string; ca: string | null }): Promise<void> {
  const ctx = contextOf(flags);
  ctx.config.server = null;
  const admin = need(flags, 'admin');
  const password = await readPassword(flags['password-file'] as string | undefined, `${admin} 的密码: `);
  try {
    const institution = need(flags, 'institution');
    const branch = typeof flags.branch === 'string' ? flags.branch : '';
    const { recoveryKey } = await createBranchInstitution(ctx, { ...server, institution, branch, adminUsername: admin, adminName: typeof flags['admin-name'] === 'string' ? flags['admin-name'] : admin, adminPassword: password });
    await confirmBranchRecoveryKey(ctx);
    process.stderr.write(`已在服务器 ${(ctx.store as BranchStore).server} 创建机构。恢复密钥如下，请打印或离线保存：\n`);
    process.stdout.write(`${recoveryKey}\n`);
  } finally {
    ctx.close();
  }
}

/** Each backup named, held against the live chain: one line each. */
function backupLines(ctx: AppContext, checks: BackupCheck[], line: (ok: boolean, text: string) => void): void {
  for (const b of checks) {
    const params = { file: b.file, at: b.takenAt ?? '?', count: b.head?.count ?? '?' };
    line(b.ok, b.problem ? ctx.t(`audit.backupProblems.${b.problem}`, params) : ctx.t('audit.backupOk', params));
  }
}

/**
 * `check --database [--backup FILE,…]`: the server's audit chain (walked with the key), every document's sealed
 * bytes, and the sealed backups named, each held against the live chain. Without `--head-dir` the command's
 * own witness began at its sign-in, so it proves nothing and is not shown as a PC's.
 */
async function checkServer(ctx: AppContext, store: BranchStore, backups: string[], headDir: boolean): Promise<void> {
  const line = (ok: boolean, text: string) => process.stdout.write(`${ok ? 'OK  ' : 'FAIL'} ${text}\n`);
  const a = await verifyAuditChain(store);
  const problem = auditProblemMessage(a);
  line(a.ok, `审计哈希链 audit chain: ${a.count} 条${problem ? `：${ctx.t(problem.key, problem.params)}` : ''}`);
  process.stdout.write(`     ${a.head ? ctx.t('audit.head', { count: a.head.count, hash: a.head.hash }) : ctx.t('audit.empty')}\n`);
  const outside = auditOutsideMessage(a);
  process.stdout.write(
    `     ${headDir ? ctx.t(outside.key, outside.params) : '未指定 --head-dir：只校验了服务器上的链本身，未与任何电脑见证的链头核对（without --head-dir the chain is checked on its own, against no PC\'s head）'}\n`,
  );
  const checks: BackupCheck[] = [];
  for (const f of backups) checks.push(await checkAgainstServerBackup(store, f));
  backupLines(ctx, checks, line);
  const docs = await checkSealedDocuments(store);
  line(docs.bad.length === 0, `档案文件 document files: ${docs.checked} 个${docs.bad.length === 0 ? '，均与 SHA-256 一致' : `，不一致或无法打开 ${docs.bad.length} 个：${docs.bad.join('，')}`}`);
  if (!a.ok || docs.bad.length > 0 || checks.some((b) => !b.ok)) throw new CliError('检查未通过 (check failed)');
}

/** `check [--backup FILE[,FILE…]]`: the backups named are held against the live chain too. */
export async function cmdCheck(flags: Flags): Promise<void> {
  const backups = typeof flags.backup === 'string' ? flags.backup.split(',').map((x) => x.trim()).filter(Boolean) : [];
  const ctx = await authenticated(flags);
  try {
    if (ctx.store?.kind === 'branch') return await checkServer(ctx, ctx.store, backups, typeof flags['head-dir'] === 'string');
    const r = await runChecks(ctx, { backups });
    const line = (ok: boolean, text: string) => process.stdout.write(`${ok ? 'OK  ' : 'FAIL'} ${text}\n`);
    const note = (text: string) => process.stdout.write(`     ${text}\n`);
    line(r.integrity === 'ok', `数据库完整性 integrity_check: ${r.integrity}`);
    const a = r.audit;
    const problem = auditProblemMessage(a);
    line(a.ok, `审计哈希链 audit chain: ${a.count} 条${problem ? `：${ctx.t(problem.key, problem.params)}` : ''}`);
    note(a.head ? ctx.t('audit.head', { count: a.head.count, hash: a.head.hash }) : ctx.t('audit.empty'));
    const outside = auditOutsideMessage(a);
    note(ctx.t(outside.key, outside.params));
    if (a.lag > 0) note(ctx.t('audit.lag', { count: a.lag }));
    if (a.legacyForks > 0) note(ctx.t('audit.legacyForks', { count: a.legacyForks }));
    backupLines(ctx, r.backups, line);
    line(r.pendingMigrations.length === 0, `数据库结构 migrations: ${r.pendingMigrations.length === 0 ? '已是最新' : `待升级 ${r.pendingMigrations.join(', ')}`}`);
    const f = r.documentFiles;
    line(f.missing.length === 0, `档案文件 document files: ${f.missing.length === 0 ? '齐全' : `缺失 ${f.missing.length} 个：${f.missing.join('，')}`}${f.unreferenced ? `（另有 ${f.unreferenced} 个未被引用的文件，可能来自中断的保存，不影响使用）` : ''}`);
    if (!r.ok) throw new CliError('检查未通过 (check failed)');
  } finally {
    ctx.close();
  }
}

/** After a deliberate restore: records the old head in the chain and makes the database's the head kept outside. */
export async function cmdReanchorAudit(flags: Flags): Promise<void> {
  // On the branch server the head is kept at each PC: the command needs to know which PC's.
  if (flags.database !== undefined && flags['head-dir'] === undefined) {
    throw new CliError('在分支机构服务器上，审计链头保存在每台电脑上：请用 --head-dir 指定该电脑上本软件的数据文件夹（on the branch server each PC keeps its own audit head: name that PC\'s app folder with --head-dir）', 2);
  }
  const reason = need(flags, 'reason');
  const ctx = await authenticated(flags);
  try {
    const head = await reanchorAudit(ctx, { reason });
    process.stdout.write(`${ctx.t('audit.reanchored', { count: head.count, hash: head.hash })}\n`);
  } finally {
    ctx.close();
  }
}

export async function cmdBackup(flags: Flags): Promise<void> {
  const to = need(flags, 'to');
  const ctx = await authenticated(flags);
  try {
    if (ctx.store?.kind === 'branch') {
      // pg_dump sealed here with the branch's key, restored into a scratch database and compared, as the app does.
      const made = await backupServerTo(ctx, to);
      process.stdout.write(`已备份到 ${made.file}\n`);
      if (made.status !== 'verified') throw new CliError(`备份核验未通过 (backup verification failed)：${made.reason ?? ''}`);
      process.stdout.write(`核验通过 (verified)：${made.tables} 张表，${made.rows} 行，档案文件 ${made.documents} 个，与服务器上的数据一致。OK\n`);
      return;
    }
    // The facts are read right before the copy, with nothing in between that could write (as the app does).
    const store = localOnly(ctx, ctx.store!);
    const source = readFacts(store);
    const { file } = await backupTo(ctx, to);
    process.stdout.write(`已备份到 ${file}\n`);
    // Read back with the key and compared with the store, like every backup the app makes.
    const { problem, facts } = await verifyWritten(store, file, source);
    if (problem) throw new CliError(`备份核验未通过 (backup verification failed)：${ctx.t(problem.key, problem.params)}`);
    process.stdout.write(`核验通过 (verified)：${Object.keys(facts!.tables).length} 张表，档案文件 ${facts!.docs.length} 个，与数据库一致。OK\n`);
  } finally {
    ctx.close();
  }
}

export function describeError(e: unknown): string {
  if (e instanceof AppError || e instanceof CliError) return e.message;
  return `程序内部错误：${(e as Error)?.message ?? String(e)}`;
}

export async function cmdDemo(flags: Flags): Promise<void> {
  const n = Number(need(flags, 'borrowers'));
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new CliError('--borrowers 应为 1 到 100000 的整数（--borrowers must be 1–100000）', 2);
  const ctx = await authenticated(flags);
  try {
    const password = await readPassword(flags['password-file'] as string | undefined, '演示账户的密码: ');
    const r = await generateDemoPortfolio(ctx, { borrowers: n, staffPassword: password });
    process.stdout.write(
      `已生成演示数据：借款人 ${r.borrowers}，贷款 ${r.loans}（其中保理 ${r.factoring}），还款 ${r.repayments}，保证 ${r.guarantees}，抵押 ${r.collateral}，档案文件 ${r.documents}。\n` +
        `演示账户 officer1、officer2、supervisor1、risk1、archivist1 的密码与 --password-file 相同。\n`,
    );
  } finally {
    ctx.close();
  }
}

export async function cmdLoans(flags: Flags): Promise<void> {
  const ctx = await authenticated(flags);
  try {
    const rows = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await listLoans(ctx, { query: '', officer: null, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc', limit: 1000, offset });
      rows.push(...page.rows);
      if (rows.length >= page.total || page.rows.length === 0) break;
    }
    const out = rows.map((r) => ({ contractNo: r.contractNo, borrower: r.borrowerName, balanceFen: r.balanceFen, dpd: r.dpd, bucket: r.bucket, class: r.level, status: r.status, officer: r.officer }));
    if (flags.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else for (const r of out) process.stdout.write(`${r.contractNo}\t${r.borrower}\t${(r.balanceFen / 100).toFixed(2)}\t${r.dpd}\t${r.bucket}\t${r.class}\n`);
  } finally {
    ctx.close();
  }
}

/**
 * `render --doc <type> --loan <no[,no…]> --out F.pdf`: the post-loan card, or notices (several loans give one
 * combined PDF). A notice is recorded as printed only after its file is written; a failed write voids it.
 */
export async function cmdRender(flags: Flags): Promise<void> {
  const doc = need(flags, 'doc');
  const types = ['card', 'extension-application', 'extension-agreement', ...NOTICE_DOC_TYPES];
  if (!types.includes(doc)) throw new CliError(`未知的文档类型 ${doc}，可用：${types.join(', ')}（unknown --doc）`, 2);
  const numbers = need(flags, 'loan').split(',').map((x) => x.trim()).filter(Boolean);
  const out = resolve(need(flags, 'out'));
  const ctx = await authenticated(flags);
  const write = (base64: string) => {
    try {
      writeFileAtomic(out, Buffer.from(base64, 'base64'));
    } catch (e) {
      throw new CliError(`无法写入 ${out}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  try {
    if (doc === 'card' || doc === 'extension-application' || doc === 'extension-agreement') {
      if (numbers.length !== 1) throw new CliError('此类文档一次只能生成一笔贷款（--loan takes one contract number here）', 2);
      write((doc === 'card' ? await cardPdfByContract(ctx, numbers[0]) : await extensionPdf(ctx, numbers[0], doc)).base64);
      process.stdout.write(`已生成 ${out}\n`);
      return;
    }
    const rows = await ctx.store!.db.selectFrom('loans').select(['id', 'contract_no']).where('contract_no', 'in', numbers).execute();
    const unknown = numbers.filter((n) => !rows.some((r) => r.contract_no === n));
    if (unknown.length > 0) throw new CliError(`合同编号不存在：${unknown.join(', ')}`);
    const batch = await prepareNotices(ctx, { items: numbers.map((n) => ({ loanId: rows.find((r) => r.contract_no === n)!.id, docType: doc as NoticeDocType })), asOf: null, payBy: null });
    for (const k of batch.skipped) process.stderr.write(`跳过 ${k.contractNo}：${k.reason}\n`);
    if (!batch.batchId) throw new CliError('没有可打印的通知书（nothing to print）');
    try {
      write(batch.base64!);
    } catch (e) {
      await discardNotices(ctx, { batchId: batch.batchId, reason: (e as Error).message });
      throw e;
    }
    await confirmNotices(ctx, { batchId: batch.batchId });
    process.stdout.write(`已生成 ${out}：${batch.notices.map((n) => `${n.serial}（${n.contractNo} ${n.addressee}）`).join('，')}\n`);
  } finally {
    ctx.close();
  }
}

/**
 * Writes the same package as the app, to the given file name, from a data folder (`--data-dir`) or the branch
 * server (`--database`). Without --export-password-file the password is generated (as in the app) and printed once;
 * --slip writes the password slip with the package's fingerprint.
 */
export async function cmdExportArchive(flags: Flags): Promise<void> {
  const numbers = need(flags, 'loans').split(',').map((x) => x.trim()).filter(Boolean);
  const to = resolve(need(flags, 'to'));
  const slip = typeof flags.slip === 'string' ? resolve(flags.slip) : null;
  const pwFile = flags['export-password-file'];
  const typed = typeof pwFile === 'string' ? await readPassword(pwFile, '导出密码: ') : null;
  if (typed !== null && !exportPasswordSchema.safeParse(typed).success) {
    throw new CliError(`导出密码至少 ${EXPORT_PASSWORD_MIN} 位，只能使用英文字母、数字和英文符号（${EXPORT_PASSWORD_MIN}+ ASCII letters, digits or symbols, no spaces）`, 2);
  }
  const exportPassword = typed ?? generateExportPassword();
  const ctx = await authenticated(flags);
  try {
    const rows = await ctx.store!.db.selectFrom('loans').select(['id', 'contract_no']).where('contract_no', 'in', numbers).execute();
    const unknown = numbers.filter((n) => !rows.some((r) => r.contract_no === n));
    if (unknown.length > 0) throw new CliError(`合同编号不存在：${unknown.join(', ')}`);
    const r = await exportArchive(ctx, { loanIds: numbers.map((n) => rows.find((x) => x.contract_no === n)!.id), targetDir: dirname(to), password: exportPassword, fileName: basename(to) });
    process.stdout.write(`已导出 ${r.file}（${r.files} 个文件，${r.bytes} 字节）\n包指纹 fingerprint：${groupFingerprint(r.fingerprint)}\n`);
    if (typed === null) process.stdout.write(`导出密码 export password（只显示这一次 shown once）：${exportPassword}\n`);
    if (slip) {
      const pdf = await passwordSlipFor(ctx, exportPassword, r);
      try {
        writeFileAtomic(slip, pdf);
      } catch (e) {
        throw new CliError(`无法写入 ${slip}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      process.stdout.write(`已生成密码单 ${slip}\n`);
    }
  } finally {
    ctx.close();
  }
}

/** Needs no store and no login: only the package and its password. */
export async function cmdVerifyExport(flags: Flags): Promise<void> {
  const file = resolve(need(flags, 'file'));
  const password = await readPassword(need(flags, 'password-file'), '导出密码: ');
  const t = (k: string, p?: Record<string, string | number>) => translate('zh-CN', k as never, p);
  const r = await verifyPackage(file, password, t);
  if (r.error) throw new CliError(r.error);
  process.stdout.write(`机构：${r.institution}  导出时间：${r.exportedAt}  导出人：${r.exportedBy}\n`);
  process.stdout.write(`包指纹 fingerprint：${groupFingerprint(r.fingerprint ?? '')}（应与密码单上的一致）\n`);
  if (r.format === 1) process.stdout.write('旧格式导出包（版本 1）：不输入密码也能看到其中的文件名 (old format: names readable without the password)\n');
  process.stdout.write(`已核验 ${r.checked} 个文件。\n`);
  for (const m of r.missing) process.stdout.write(`缺失 MISSING  ${m}\n`);
  for (const m of r.changed) process.stdout.write(`已改动 CHANGED ${m}\n`);
  for (const m of r.extra) process.stdout.write(`多出 EXTRA    ${m}\n`);
  if (!r.ok) throw new CliError('核验未通过 (verification failed)');
  process.stdout.write('核验通过：所有文件与清单一致。OK\n');
}

/**
 * `rotate-keys`: a new data key for the database, every document file, every user and the recovery key, with
 * progress on stderr. Resumes a rotation that a crash interrupted. The new recovery key goes to stdout (and with
 * `--recovery-pdf F`, the one-page sheet to F); like `init`, the command takes it as stored. On the branch server
 * (`--database`), every other PC must have closed the app: the documents sealed in the database are re-sealed and
 * every PC signs in again afterwards.
 */
export async function cmdRotateKeys(flags: Flags): Promise<void> {
  const pdfOut = typeof flags['recovery-pdf'] === 'string' ? resolve(flags['recovery-pdf']) : null;
  const ctx = await authenticated(flags);
  try {
    // The day's batch a sign-in started goes first: the rotation wants the database to itself.
    await dailyBatchSettled(ctx);
    const before = await rotationPhase(ctx);
    if (before !== 'confirm') {
      if (before) process.stderr.write(`${ctx.t('keysUi.unfinishedTitle')}：${ctx.t('keysUi.resume')}\n`);
      await startRotation(ctx, { resetLegacyUsers: flags['reset-legacy-users'] === true });
      const timer = setInterval(() => {
        const job = ctx.rotationJob;
        if (!job) return;
        process.stderr.write(`${job.phase === 'files' ? ctx.t('keysUi.progressFiles', { done: job.done, total: job.total }) : ctx.t('keysUi.progressDatabase')}\n`);
      }, 1000);
      const job = await waitForRotation(ctx).finally(() => clearInterval(timer));
      if (!job || job.phase === 'failed') throw new CliError(job?.error ?? ctx.t('errors.rotationUnfinished'));
      if (job.damaged.length > 0) process.stderr.write(`${ctx.t('keysUi.damaged', { count: job.damaged.length, files: job.damaged.join(', ') })}\n`);
    }
    // A rotation finished here hands its key over; one finished elsewhere (a crash, another sign-in) gets a fresh key.
    if (!ctx.pendingRecovery) await newRecoveryKey(ctx);
    const key = ctx.pendingRecovery!.key;
    if (pdfOut) writeFileAtomic(pdfOut, Buffer.from((await pendingRecoveryKeyPdf(ctx)).base64, 'base64'));
    await confirmPendingRecoveryKey(ctx, () => appInfo(ctx));
    const status = await keysStatus(ctx);
    process.stderr.write(`${ctx.t('keysUi.doneTitle')}（${ctx.t(status.epoch === 1 ? 'keysUi.epochOnce' : 'keysUi.epoch', { count: status.epoch, at: status.lastRotation?.at ?? '' })}）。${ctx.t('keysUi.doneIntro')}\n`);
    process.stdout.write(`${key}\n`);
  } finally {
    ctx.close();
  }
}

async function recoveryKeyFlag(flags: Flags): Promise<string> {
  const file = flags['recovery-key-file'];
  return typeof file === 'string' && file ? readPassword(file, '恢复密钥: ') : '';
}

/**
 * `verify-backup`: reads a backup through with this data folder's key (the user's password unwraps it from the
 * keyring, so a damaged database does not stand in the way) or with another installation's recovery key.
 */
export async function cmdVerifyBackup(flags: Flags): Promise<void> {
  const file = resolve(need(flags, 'file'));
  if (flags.database !== undefined) {
    // A server's backup opens with the branch's key, which the user's password unwraps from the server's keyring.
    const ctx = await authenticated(flags);
    try {
      printInspection(await inspectBranchBackup(ctx, ctx.store as BranchStore, file));
    } finally {
      ctx.close();
    }
    return;
  }
  const ctx = contextFor(need(flags, 'data-dir'));
  const username = need(flags, 'user');
  const password = await readPassword(flags['password-file'] as string | undefined, `${username} 的密码: `);
  const recoveryKey = await recoveryKeyFlag(flags);
  try {
    const key = unwrapDataKey(ctx, ctx.config.dataDir!, username, password);
    const r = await inspectWithKey(ctx, file, key, recoveryKey);
    key.fill(0);
    printInspection(r);
  } finally {
    ctx.close();
  }
}

function printInspection(r: BackupInspection): void {
  process.stdout.write(`备份文件 backup: ${r.file}${r.size ? `（${r.size} 字节）` : ''}\n`);
  if (r.counts) {
    process.stdout.write(`机构 institution: ${r.institution ?? '—'} ${r.branch ?? ''}  数据截至 data as of: ${r.latestEntryAt ?? '—'}${r.foreign ? '  （另一个安装的备份，已用其恢复密钥打开）' : ''}\n`);
    const c = r.counts;
    process.stdout.write(`借款人 ${c.borrowers}，贷款 ${c.loans}，档案文件 ${c.documents}，用户 ${c.users}，审计记录 ${c.auditEntries}；${r.tables} 张表，${r.rows} 条记录\n`);
  }
  if (!r.ok) throw new CliError(`核验未通过 (verification failed)：${r.reason}`);
  process.stdout.write('核验通过：可以用于恢复。OK\n');
}

const PHASES: Record<RestorePhase, string> = {
  verify: '核验备份 verifying the backup',
  safety: '备份当前数据 keeping the current data',
  copy: '复制备份 copying the backup',
  documents: '写回档案文件 writing the documents back',
  replace: '替换数据库 replacing the database',
  done: '完成 done',
};

/**
 * `restore`: the same restore as the app's, signed out: an administrator of the backup whose password opens this
 * data folder's keyring. Refused while the app (or another PC) has the folder open.
 */
export async function cmdRestore(flags: Flags): Promise<void> {
  const file = resolve(need(flags, 'file'));
  if (flags.database !== undefined) return restoreOnServer(flags, file);
  const ctx = contextFor(need(flags, 'data-dir'));
  const username = need(flags, 'user');
  const password = await readPassword(flags['password-file'] as string | undefined, `${username} 的密码: `);
  const recoveryKey = await recoveryKeyFlag(flags);
  try {
    const auth = authorise(ctx, { username, password });
    let last: RestorePhase | null = null;
    try {
      const r = await runRestore(ctx, { file, recoveryKey, username, password }, auth, (phase) => {
        if (phase !== last) process.stderr.write(`… ${PHASES[phase]}\n`);
        last = phase;
      });
      process.stdout.write(`已从 ${file} 恢复，档案文件 ${r.documents} 个已写回。恢复前的数据保存在 ${r.safetyCopy}。\n`);
      if (r.foreign) process.stdout.write('这是另一个安装的备份：今后请使用该安装的账户和恢复密钥。\n');
    } finally {
      auth.ourKey.fill(0);
    }
  } finally {
    ctx.close();
  }
}

/**
 * `restore --database`: the branch server's restore as the 备份与恢复 page does it, by an administrator whose
 * password opens the branch's key; every other PC must have closed the app first. The server as it was is backed up
 * and verified first, into `--safety-dir` (default: the current folder), since this command keeps nothing of its own.
 */
async function restoreOnServer(flags: Flags, file: string): Promise<void> {
  const safetyDir = resolve(typeof flags['safety-dir'] === 'string' ? flags['safety-dir'] : process.cwd());
  if (!existsSync(safetyDir)) throw new CliError(`找不到文件夹 ${safetyDir}（no such folder）`, 2);
  const username = need(flags, 'user');
  const password = await readPassword(flags['password-file'] as string | undefined, `${username} 的密码: `);
  const ctx = contextOf(flags);
  try {
    await login(ctx, { username, password });
    const store = ctx.store as BranchStore;
    await authoriseBranch(ctx, store, { username, password });
    let last: RestorePhase | null = null;
    const r = await runBranchRestore(ctx, store, { file, username }, (phase) => {
      if (phase !== last) process.stderr.write(`… ${PHASES[phase]}\n`);
      last = phase;
    });
    // The safety copy was made in this command's own folder, which nothing keeps: it goes where it was asked to.
    const kept = join(safetyDir, basename(r.safetyCopy));
    try {
      copyFileSync(r.safetyCopy, kept, constants.COPYFILE_EXCL);
    } catch (e) {
      throw new CliError(`已从 ${file} 恢复，但恢复前的数据无法复制到 ${kept}（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}），它仍在 ${r.safetyCopy}。`);
    }
    process.stdout.write(`已从 ${file} 恢复到服务器 ${store.server}，档案文件 ${r.documents} 个。恢复前的数据保存在 ${kept}。各电脑的用户需重新登录。\n`);
  } finally {
    ctx.close();
  }
}

/**
 * `move-to-server --data-dir D --database URL --user admin --password-file F [--ca FILE]`: copies the data folder's
 * store onto an empty branch database and verifies it. The folder is opened with the administrator's key without
 * signing in, so nothing is written to it (a wrong password counts towards the lockout, as everywhere).
 */
export async function cmdMoveToServer(flags: Flags): Promise<void> {
  const dir = need(flags, 'data-dir');
  const server = databaseFlag(flags);
  if (!server) throw new CliError('缺少参数 --database（missing --database）', 2);
  const ctx = contextFor(dir);
  const username = need(flags, 'user');
  const password = await readPassword(flags['password-file'] as string | undefined, `${username} 的密码: `);
  try {
    const key = unwrapForMove(ctx, ctx.config.dataDir!, username, password);
    const store = await openStore(ctx, ctx.config.dataDir!, key).finally(() => key.fill(0));
    try {
      await assertAdminIn(ctx, store, username);
      ctx.serverPassword = server.password;
      const target = serverTarget(ctx, { url: server.url, ca: server.ca, secret: null, institution: '', branch: '' });
      let lastTable: string | null = null;
      const onProgress = (p: MoveProgress) => {
        if (p.phase === 'tables' && p.table && p.table !== lastTable) {
          lastTable = p.table;
          process.stderr.write(`… [${p.tablesDone + 1}/${p.tables}] ${p.table}（已复制 ${p.rows} 行，档案文件 ${p.documents} 个）\n`);
        } else if (p.phase === 'verify') process.stderr.write('… 核验 verifying\n');
      };
      const r = await moveToServer(ctx, { store, keyring: loadKeyring(ctx, store.dir), actor: username, target, onProgress });
      process.stdout.write(`已迁移到 ${r.server}：${r.tables.length} 张表，${r.tables.reduce((n, t) => n + t.local, 0)} 行，贷款 ${r.loans} 笔，档案文件 ${r.documents} 个，审计记录 ${r.auditEntries} 条。\n`);
      if (!r.ok) {
        for (const d of r.differences) process.stdout.write(`FAIL ${d}\n`);
        throw new CliError('核验未通过 (verification failed)；本机数据未改动。');
      }
      process.stdout.write(`核验通过 (verified)：各表行数、每笔贷款的台账、每个档案文件的 SHA-256 和审计哈希链（链头 ${r.auditHead}）均一致。本机数据未改动。OK\n`);
    } finally {
      store.close();
    }
  } finally {
    ctx.close();
  }
}
