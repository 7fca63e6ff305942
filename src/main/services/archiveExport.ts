import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../../shared/ipc/errors';
import type { ExportJobView } from '../../shared/ipc/archive';
import { safeName, uniqueIn } from '../archive/names';
import { realFileOps, TempFileSink, type FileOps } from '../archive/sink';
import { EntrySealer, type SealedEntry } from '../archive/sealer';
import { encryptedSize } from '../archive/winzipAes';
import { MAX_ZIP_BYTES, ZipAesWriter } from '../archive/zipWriter';
import { cardDoc } from '../pdf/card';
import { ledgerDoc } from '../pdf/ledger';
import { renderPdf } from '../pdf/render';
import { recordAudit } from './audit';
import type { AppContext, Session } from './context';
import { loanLedger } from './ledger';
import { documentChunks } from './documents';
import { cardExtras, letterhead } from './printing';
import { loanDetail } from './loanDetail';
import { requirePermission } from './session';
import { requireStore, type Store } from './store';

export interface ExportOptions {
  loanIds: number[];
  targetDir: string;
  password: string;
  /** Defaults to 档案导出_<institution>_<time>.zip. */
  fileName?: string;
  ops?: FileOps;
  onProgress?: (p: { done: number; total: number; bytes: number }) => void;
  isCancelled?: () => boolean;
}

class Cancelled extends Error {}

/** The user-facing reason for a failed write: full disk, a stick pulled out, or a read-only target. */
export function writeFailure(ctx: AppContext, e: unknown, dir: string): AppError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') return new AppError('IO', ctx.t('errors.exportDiskFull', { dir }));
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return new AppError('IO', ctx.t('errors.exportReadOnly', { dir }));
  if (code === 'EIO' || code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO') return new AppError('IO', ctx.t('errors.exportMediaGone', { dir }));
  return new AppError('IO', ctx.t('errors.exportFailed', { dir, code: code ?? 'unknown' }));
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

const README = (institution: string, exportedAt: string, by: string, loans: number) =>
  [
    `贷后管家 档案导出包`,
    ``,
    `机构：${institution}`,
    `导出时间：${exportedAt}`,
    `导出人：${by}`,
    `贷款笔数：${loans}`,
    ``,
    `一、这是什么`,
    `本压缩包由“贷后管家”导出，包含所选贷款的档案原件、贷后管理卡（PDF）和贷款台账（PDF）。`,
    `每笔贷款一个文件夹，名称为“合同编号_借款人”。`,
    ``,
    `二、如何打开`,
    `压缩包使用 AES-256 加密。请用 7-Zip（Windows）等支持 AES 加密的解压软件打开，并输入导出时设置的密码。`,
    `Windows 资源管理器自带的解压功能不支持 AES 加密，请勿使用。`,
    ``,
    `三、如何核验`,
    `manifest.json 列出了包内每个文件的 SHA-256 值和大小，SHA256SUMS.txt 是同样内容的校验清单。`,
    `1. 在贷后管家中：档案 → 核验导出包，选择本文件并输入密码。`,
    `2. 命令行：npm run cli -- verify-export --file 本文件 --password-file 密码文件`,
    `3. 其他工具：解压后在 Windows 命令行执行 certutil -hashfile 文件名 SHA256，与 manifest.json 中的值比对；`,
    `   或在 Linux/macOS 的解压目录中执行 sha256sum -c SHA256SUMS.txt。`,
    `任何文件缺失、多出或被改动，核验都会指出具体是哪一个。`,
    ``,
    `请妥善保管本包和密码：二者任一外泄，即可能泄露客户信息。`,
  ].join('\r\n');

interface PlannedFile {
  path: string;
  /** The bytes in pieces, with the SHA-256 the manifest lists: for a document, the one recorded when it was stored. */
  open: () => Promise<{ size: number; sha256: string; chunks: Iterable<Buffer> }>;
}

const whole = (data: Buffer) => ({ size: data.length, sha256: createHash('sha256').update(data).digest('hex'), chunks: [data] });

/** What goes into the package for each loan: its documents, its post-loan card and its ledger. */
async function planFiles(ctx: AppContext, store: Store, s: Session, loanIds: number[]) {
  const head = await letterhead(ctx, store);
  const folders = new Set<string>();
  const loans: { contractNo: string; borrower: string; folder: string }[] = [];
  const files: PlannedFile[] = [];
  for (const id of loanIds) {
    const d = await loanDetail(ctx, store, s, id, null);
    const folder = uniqueIn(folders, safeName(`${d.loan.contractNo}_${d.borrower.name}`));
    loans.push({ contractNo: d.loan.contractNo, borrower: d.borrower.name, folder });
    const names = new Set<string>();
    const docs = await store.db
      .selectFrom('documents as d')
      .select(['d.id', 'd.file_name', 'd.sha256', 'd.size', 'd.file_ref'])
      .where('d.loan_id', '=', id)
      .where('d.removed_at', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('documents as n').select('n.id').whereRef('n.replaces_id', '=', 'd.id'))))
      .orderBy('d.id')
      .execute();
    for (const doc of docs) {
      files.push({
        path: `${folder}/档案/${uniqueIn(names, safeName(doc.file_name, 120))}`,
        open: async () => {
          // Older rows keep their bytes in the database; newer ones in an encrypted file, streamed.
          const content = doc.file_ref ? Buffer.alloc(0) : (await store.db.selectFrom('documents').select('content').where('id', '=', doc.id).executeTakeFirstOrThrow()).content;
          const stored = { file_name: doc.file_name, file_ref: doc.file_ref, content };
          return { size: doc.file_ref ? doc.size : content.length, sha256: doc.sha256, chunks: documentChunks(ctx, store, stored) };
        },
      });
    }
    files.push({ path: `${folder}/贷后管理卡_${safeName(d.loan.contractNo)}.pdf`, open: async () => whole(await renderPdf(ctx.paths.resourcesDir, cardDoc(d, await cardExtras(ctx, store, d), head))) });
    files.push({
      path: `${folder}/贷款台账_${safeName(d.loan.contractNo)}.pdf`,
      open: async () => whole(await renderPdf(ctx.paths.resourcesDir, ledgerDoc(d.loan.contractNo, d.borrower.name, (await loanLedger(ctx, { loanId: id })).entries, head))),
    });
  }
  return { loans, files, head };
}

/**
 * Writes one AES-256 ZIP with a folder per loan, `manifest.json`, `SHA256SUMS.txt` and `README.txt`.
 * The package appears under its final name only once complete and flushed.
 */
export async function exportArchive(ctx: AppContext, opts: ExportOptions): Promise<{ file: string; files: number; bytes: number }> {
  const s = requirePermission(ctx, 'archive.export');
  const store = requireStore(ctx);
  const dir = resolve(opts.targetDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('IO', ctx.t('errors.exportNoFolder', { dir }), [{ path: 'targetDir', message: ctx.t('errors.exportNoFolder', { dir }) }]);
  if (opts.loanIds.length === 0) throw new AppError('VALIDATION', ctx.t('errors.exportNothing'));
  const { loans, files, head } = await planFiles(ctx, store, s, opts.loanIds);
  const now = ctx.clock.now();
  const file = join(dir, opts.fileName ?? `${safeName(`档案导出_${head.institution}_${stamp(now)}`)}.zip`);
  if (existsSync(file)) throw new AppError('CONFLICT', ctx.t('errors.backupExists', { file }));
  let sink: TempFileSink;
  try {
    sink = new TempFileSink(file, opts.ops ?? realFileOps);
  } catch (e) {
    throw writeFailure(ctx, e, dir);
  }
  const manifestFiles: { path: string; sha256: string; size: number }[] = [];
  const total = files.length;
  // Entry k is encrypted on the sealer's thread while entry k+1 is read here and entry k-1 is written.
  const sealer = new EntrySealer();
  try {
    const zip = new ZipAesWriter(sink, opts.password, now);
    const inFlight: { path: string; size: number; sha256: string; sealed: Promise<SealedEntry> }[] = [];
    let planned = 0;
    const writeOldest = async () => {
      const e = inFlight.shift()!;
      await zip.addSealed(e.path, e.size, await e.sealed);
      manifestFiles.push({ path: e.path, sha256: e.sha256, size: e.size });
      opts.onProgress?.({ done: manifestFiles.length, total, bytes: zip.bytesWritten });
    };
    for (const f of files) {
      if (opts.isCancelled?.()) throw new Cancelled();
      const { size, sha256, chunks } = await f.open();
      planned += encryptedSize(size) + 200;
      if (planned + 1_000_000 > MAX_ZIP_BYTES) throw new AppError('RULE_VIOLATION', ctx.t('errors.exportTooLarge'));
      const sealed = sealer.seal(opts.password, Buffer.concat([...chunks], size));
      sealed.catch(() => {}); // awaited in order below; a failure there is the one reported
      inFlight.push({ path: f.path, size, sha256, sealed });
      if (inFlight.length >= 2) await writeOldest();
      await yieldToLoop();
    }
    while (inFlight.length > 0) await writeOldest();
    if (opts.isCancelled?.()) throw new Cancelled();
    const manifest = {
      format: 'loankeeper-archive-export',
      version: 1,
      institution: head.institution,
      branch: head.branch,
      exportedAt: now.toISOString(),
      exportedBy: s.username,
      loans,
      files: manifestFiles,
    };
    await zip.add('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'));
    await zip.add('SHA256SUMS.txt', Buffer.from(manifestFiles.map((f) => `${f.sha256}  ${f.path}\n`).join(''), 'utf8'));
    await zip.add('README.txt', Buffer.from(`\ufeff${README(head.institution, head.printedAt, s.displayName, loans.length)}\r\n`, 'utf8'));
    await zip.finish();
    await store.db.transaction().execute((trx) =>
      recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'archive.export', entity: 'export', entityId: file, detail: { loans: loans.map((l) => l.contractNo), files: manifestFiles.length } }),
    );
    await sealer.close();
    return { file, files: manifestFiles.length, bytes: zip.bytesWritten };
  } catch (e) {
    await sealer.close();
    await sink.abandon();
    if (e instanceof Cancelled) throw new AppError('CONFLICT', ctx.t('errors.exportCancelled'));
    if (e instanceof AppError) throw e;
    throw writeFailure(ctx, e, dir);
  }
}

const jobs = new Map<string, ExportJobView & { cancel: boolean }>();

/** Starts an export in the background; the renderer polls its progress and may cancel it. */
export function startExport(ctx: AppContext, input: { loanIds: number[]; targetDir: string; password: string }): ExportJobView {
  requirePermission(ctx, 'archive.export');
  const id = randomBytes(8).toString('hex');
  const job = { id, state: 'running' as const, done: 0, total: 0, bytes: 0, file: null, error: null, cancel: false };
  jobs.set(id, job);
  void exportArchive(ctx, {
    ...input,
    onProgress: (p) => Object.assign(job, p),
    isCancelled: () => job.cancel,
  }).then(
    (r) => Object.assign(job, { state: 'done', file: r.file }),
    (e: unknown) => Object.assign(job, { state: job.cancel ? 'cancelled' : 'failed', error: e instanceof AppError ? e.message : ctx.t('errors.internal') }),
  );
  return view(job);
}

function view(j: ExportJobView): ExportJobView {
  return { id: j.id, state: j.state, done: j.done, total: j.total, bytes: j.bytes, file: j.file, error: j.error };
}

export function exportStatus(ctx: AppContext, input: { jobId: string }): ExportJobView {
  requirePermission(ctx, 'archive.export');
  const j = jobs.get(input.jobId);
  if (!j) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchJob'));
  return view(j);
}

export function cancelExport(ctx: AppContext, input: { jobId: string }): ExportJobView {
  requirePermission(ctx, 'archive.export');
  const j = jobs.get(input.jobId);
  if (!j) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchJob'));
  j.cancel = true;
  return view(j);
}
