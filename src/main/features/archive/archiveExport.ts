import { CHINA_UTC_OFFSET_MINUTES } from '../../../shared/domain/dates';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import { AppError } from '../../../shared/ipc/errors';
import { GENERATED_ALPHABET, GENERATED_GROUP_LEN, GENERATED_GROUPS, type ExportJobView } from '../../../shared/ipc/archive';
import { safeName, uniqueIn } from '../../archive/names';
import { realFileOps, TempFileSink, type FileOps } from '../../archive/sink';
import { FINGERPRINT_HEX, INNER_ARCHIVE, MANIFEST, PACKAGE_FORMAT, PACKAGE_VERSION, README, SUMS, sumsText } from '../../archive/format';
import { BACKLOG_TO_SHARE, StreamSealer, type SealPiece } from '../../archive/sealer';
import { StoreFileError, StoreReader, StoreReadError, storedFileSize } from '../../archive/storeReader';
import { MAX_ZIP_BYTES, PlainZipLayout, ZipAesWriter } from '../../archive/zipWriter';
import { passwordSlipDoc } from '../../pdf/exportPasswordSlip';
import { renderJob } from '../../pdf/offThread';
import { renderPdf } from '../../pdf/render';
import { recordAudit } from '../../kernel/audit';
import type { AppContext, Session } from '../../kernel/context';
import { loanLedger } from '../repayments/ledger';
import { cardExtras, letterhead } from '../loans/printing';
import { loanDetail } from '../loans/loanDetail';
import { requirePermission } from '../../kernel/authz';
import { explainFailure } from '../../kernel/dispatch';
import { localOnly, requireStore, type Store } from '../../kernel/store';
import { documentBytes } from '../documents/documents';

export interface ExportOptions {
  loanIds: number[];
  targetDir: string;
  password: string;
  /** Defaults to 档案导出_<institution>_<time>.zip. */
  fileName?: string;
  ops?: FileOps;
  onProgress?: (p: { done: number; total: number; bytes: number }) => void;
  isCancelled?: () => boolean;
  /** Bytes waiting for the sealer at which the store reader encrypts chunks too (BACKLOG_TO_SHARE; 0: every one). */
  shareAt?: number;
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

/** A stored document that cannot be read, named as the document store names it. */
function storeFailure(ctx: AppContext, e: unknown, name: string, ref: string): AppError {
  const kind = e instanceof StoreFileError || e instanceof StoreReadError ? e.kind : 'io';
  if (kind === 'missing') return new AppError('IO', ctx.t('errors.documentFileMissing', { name, file: ref }));
  if (kind === 'damaged') return new AppError('IO', ctx.t('errors.documentFileDamaged', { name, file: ref }));
  return new AppError('IO', ctx.t('errors.documentReadFailed', { name }));
}

/** `20261208-074200` in China time, as backups and business dates are (not the PC's own time zone). */
function stamp(d: Date): string {
  const s = new Date(d.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000).toISOString();
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}-${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}`;
}

/** The README outside the encryption: how to open the package. Nothing in it names a borrower or a member of staff. */
export const OUTER_README = [
  `贷后管家 档案导出包 —— 请先阅读本说明`,
  ``,
  `本压缩包里只有两个文件：`,
  `  README.txt  本说明（未加密）`,
  `  ${INNER_ARCHIVE}    加密的档案包（AES-256），全部档案都在其中`,
  `为保护客户信息，借款人姓名等文件名只出现在加密的 ${INNER_ARCHIVE} 里，不输入密码看不到。`,
  ``,
  `一、如何打开`,
  `1. 使用 7-Zip（免费，https://www.7-zip.org）。Windows 资源管理器自带的解压功能不支持 AES 加密，请勿使用。`,
  `2. 用 7-Zip 打开本压缩包，双击其中的“${INNER_ARCHIVE}”，按提示输入导出密码。`,
  `   密码由导出人另行交给您（如打印的“导出包密码单”）。密码区分大小写；密码单上的短横线“-”也是密码的一部分。`,
  `3. 7-Zip 随即打开 ${INNER_ARCHIVE}：每笔贷款一个文件夹，名称为“合同编号_借款人”，内有档案原件、`,
  `   贷后管理卡（PDF）和贷款台账（PDF），可直接查看，或选中后点“提取”解压到文件夹。`,
  `   也可以先把 ${INNER_ARCHIVE} 提取出来（需输入密码），再用 7-Zip 打开它。`,
  `   命令行：7z x -p密码 本文件.zip ${INNER_ARCHIVE}  然后  7z x ${INNER_ARCHIVE} -o目标文件夹`,
  `4. ${INNER_ARCHIVE} 一旦提取出来就不再加密。查看完毕，请删除提取出来的文件。`,
  ``,
  `二、如何核验`,
  `1. 在贷后管家中：档案管理 → 核验导出包，选择本文件并输入密码。`,
  `2. 命令行：npm run cli -- verify-export --file 本文件 --password-file 密码文件`,
  `3. 其他工具：${INNER_ARCHIVE} 里的 manifest.json 列出了每个文件的 SHA-256 值和大小，SHA256SUMS.txt 是同样内容的校验清单。`,
  `   提取 ${INNER_ARCHIVE} 的内容后，在 Linux/macOS 的该目录中执行 sha256sum -c SHA256SUMS.txt，`,
  `   或在 Windows 命令行执行 certutil -hashfile 文件名 SHA256，与 manifest.json 中的值比对。`,
  `   密码单上的“包指纹”是 manifest.json 的 SHA-256 值的前 32 位：certutil -hashfile manifest.json SHA256 的结果应以它开头。`,
  `任何文件缺失、多出或被改动，核验都会指出具体是哪一个。`,
  ``,
  `三、请注意`,
  `导出包和密码请分开保管、分开传递（例如导出包随 U 盘寄送，密码单当面交付）。二者同时外泄，即可能泄露客户信息。`,
].join('\r\n');

const INNER_README = (institution: string, exportedAt: string, by: string, loans: number) =>
  [
    `贷后管家 档案导出包`,
    ``,
    `机构：${institution}`,
    `导出时间：${exportedAt}`,
    `导出人：${by}`,
    `贷款笔数：${loans}`,
    ``,
    `一、这是什么`,
    `本档案包由“贷后管家”导出，包含所选贷款的档案原件、贷后管理卡（PDF）和贷款台账（PDF）。`,
    `每笔贷款一个文件夹，名称为“合同编号_借款人”。`,
    `这些文件不再加密：提取出来使用后，请及时删除。`,
    ``,
    `二、如何核验`,
    `manifest.json 列出了包内每个文件的 SHA-256 值和大小，SHA256SUMS.txt 是同样内容的校验清单。`,
    `1. 在贷后管家中：档案管理 → 核验导出包，选择外层的导出包文件并输入密码。`,
    `2. 命令行：npm run cli -- verify-export --file 导出包文件 --password-file 密码文件`,
    `3. 其他工具：提取本档案包后，在 Windows 命令行执行 certutil -hashfile 文件名 SHA256，与 manifest.json 中的值比对；`,
    `   或在 Linux/macOS 的提取目录中执行 sha256sum -c SHA256SUMS.txt。`,
    `任何文件缺失、多出或被改动，核验都会指出具体是哪一个；SHA256SUMS.txt 与 manifest.json 不一致也会指出。`,
    ``,
    `请妥善保管本包和密码：二者任一外泄，即可能泄露客户信息。`,
  ].join('\r\n');

const bom = (text: string) => Buffer.from(`\ufeff${text}\r\n`, 'utf8');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A file for the package: bytes held whole (a card, a ledger, an older row) or a document in the file store. */
type OpenedFile = { kind: 'whole'; data: Buffer; crc: number; size: number; sha256: string } | { kind: 'stored'; ref: string; name: string; size: number; sha256: string; crc: number | null };

interface PlannedFile {
  path: string;
  open: () => Promise<OpenedFile>;
  /** Made here (a card, a ledger): rendered on the PDF worker, started ahead of its turn (`start`). */
  rendered?: boolean;
  start?: () => void;
}

/** A card or a ledger: its data gathered and its rendering started on the first `start` (or `open`), once. */
function renderedFile(ctx: AppContext, path: string, render: () => Promise<Buffer>): PlannedFile {
  let bytes: Promise<Buffer> | null = null;
  const start = () => {
    if (bytes) return bytes;
    bytes = render();
    bytes.catch(() => {}); // awaited by `open` in its turn; a failure is reported there
    return bytes;
  };
  const open = async () => {
    try {
      return whole(await start());
    } catch (e) {
      throw e instanceof AppError ? e : new AppError('INTERNAL', ctx.t('errors.pdfFailed'));
    }
  };
  return { path, rendered: true, start: () => void start(), open };
}

const whole = (data: Buffer): OpenedFile => ({ kind: 'whole', data, crc: crc32(data), size: data.length, sha256: sha256(data) });

/** Rows' bytes are read this many at a time (at least one row): one query per batch, not per document. */
const ROW_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * The bytes held in the documents' rows (the branch server's sealed bytes, an older single-PC row's BLOB), read in
 * batches in the order the package writes them and handed out once each. Documents in files are not read here.
 */
class RowBytes {
  private readonly order: { id: number; size: number }[] = [];
  private readonly held = new Map<number, Buffer>();
  private next = 0;

  constructor(private readonly store: Store) {}

  /** Adds a document to read from its row, in the package's order. */
  plan(id: number, size: number): void {
    this.order.push({ id, size });
  }

  async take(id: number): Promise<Buffer> {
    if (!this.held.has(id)) await this.read(id);
    const content = this.held.get(id) ?? Buffer.alloc(0);
    this.held.delete(id);
    return content;
  }

  /** `id`'s row and those planned after it, up to ROW_BATCH_BYTES in all, in one query. */
  private async read(id: number): Promise<void> {
    const ids = [id];
    let i = this.order.findIndex((d, k) => k >= this.next && d.id === id);
    if (i >= 0) {
      let bytes = this.order[i].size;
      for (i++; i < this.order.length && bytes + this.order[i].size <= ROW_BATCH_BYTES; i++) {
        ids.push(this.order[i].id);
        bytes += this.order[i].size;
      }
      this.next = i;
    }
    const rows = await this.store.db.selectFrom('documents').select(['id', 'content']).where('id', 'in', ids).execute();
    for (const r of rows) this.held.set(r.id, Buffer.from(r.content.buffer, r.content.byteOffset, r.content.byteLength));
  }
}

/** What goes into the package for each loan: its documents, its post-loan card and its ledger. */
async function planFiles(ctx: AppContext, store: Store, s: Session, loanIds: number[]) {
  const head = await letterhead(ctx, store);
  const folders = new Set<string>();
  const loans: { contractNo: string; borrower: string; folder: string }[] = [];
  const files: PlannedFile[] = [];
  const inRows = new RowBytes(store);
  let plannedBytes = 0;
  for (const id of loanIds) {
    const d = await loanDetail(ctx, store, s, id, null);
    const folder = uniqueIn(folders, safeName(`${d.loan.contractNo}_${d.borrower.name}`));
    loans.push({ contractNo: d.loan.contractNo, borrower: d.borrower.name, folder });
    const names = new Set<string>();
    const docs = await store.db
      .selectFrom('documents as d')
      .select(['d.id', 'd.file_name', 'd.sha256', 'd.size', 'd.file_ref', 'd.crc32'])
      .where('d.loan_id', '=', id)
      .where('d.removed_at', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('documents as n').select('n.id').whereRef('n.replaces_id', '=', 'd.id'))))
      .orderBy('d.id')
      .execute();
    for (const doc of docs) {
      plannedBytes += doc.size;
      const ref = doc.file_ref;
      if (!ref) inRows.plan(doc.id, doc.size);
      files.push({
        path: `${folder}/档案/${uniqueIn(names, safeName(doc.file_name, 120))}`,
        open: async () => {
          // Bytes in the row (sealed on the branch server, as they are in an older single-PC row) are opened here,
          // a batch of rows read at a time; those in an encrypted file are read by the reader worker.
          if (!ref) {
            const data = documentBytes(ctx, store, { file_name: doc.file_name, content: await inRows.take(doc.id), file_ref: null, sha256: doc.sha256 });
            return { kind: 'whole', data, crc: crc32(data), size: data.length, sha256: doc.sha256 };
          }
          try {
            return { kind: 'stored', ref, name: doc.file_name, size: storedFileSize(localOnly(ctx, store).files.dir, ref), sha256: doc.sha256, crc: doc.crc32 };
          } catch (e) {
            throw e instanceof AppError ? e : storeFailure(ctx, e, doc.file_name, ref);
          }
        },
      });
    }
    const dir = ctx.paths.resourcesDir;
    files.push(renderedFile(ctx, `${folder}/贷后管理卡_${safeName(d.loan.contractNo)}.pdf`, async () => renderJob(dir, { kind: 'card', detail: d, extras: await cardExtras(ctx, store, d), head })));
    files.push(
      renderedFile(ctx, `${folder}/贷款台账_${safeName(d.loan.contractNo)}.pdf`, async () =>
        renderJob(dir, { kind: 'ledger', contractNo: d.loan.contractNo, borrower: d.borrower.name, entries: (await loanLedger(ctx, { loanId: id })).entries, head }),
      ),
    );
  }
  return { loans, files, head, plannedBytes };
}

/**
 * Document bytes go through fixed buffers (at most CHUNKS of CHUNK bytes) owned by the reader worker, reused
 * from the read to the write: fresh memory costs a page fault per 4 KiB on first touch, which on a loaded
 * machine took longer than encrypting.
 */
const CHUNK = 2 * 1024 * 1024;
const CHUNKS = 12;
/**
 * Documents stored without their CRC-32 (before migration 0022): up to this size they are read once and held
 * until it is known; larger ones twice (the CRC-32 first).
 */
const SINGLE_PASS_MAX = 4 * CHUNK;

/** Cards and ledgers whose rendering runs ahead of their turn: a few loans' worth, held until written. */
const RENDER_AHEAD = 8;

/** Room kept for the cards, ledgers, headers and side files when checking the 4 GB limit up front. */
const OVERHEAD_PER_FILE = 512;
const OVERHEAD_PER_LOAN = 2 * 1024 * 1024;

/**
 * Writes the package (archive/format.ts): an outer zip with a plain README.txt and one AES-256 entry, 档案.zip,
 * that is an ordinary zip with a folder per loan, `manifest.json`, `SHA256SUMS.txt` and `README.txt`.
 * The package appears under its final name only once complete and flushed.
 *
 * Pipeline: the reader thread decrypts the stored documents into chunks (CRC-32 on the way), the sealer's thread
 * encrypts and MACs them as 档案.zip's single AES stream, libuv's pool writes them, and the PDF thread lays out the
 * cards and ledgers a few files ahead; the main thread relays the chunks in order.
 */
export async function exportArchive(ctx: AppContext, opts: ExportOptions): Promise<{ file: string; files: number; loans: number; bytes: number; fingerprint: string }> {
  const s = requirePermission(ctx, 'archive.export');
  const store = requireStore(ctx);
  const dir = resolve(opts.targetDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('IO', ctx.t('errors.exportNoFolder', { dir }), [{ path: 'targetDir', message: ctx.t('errors.exportNoFolder', { dir }) }]);
  if (opts.loanIds.length === 0) throw new AppError('VALIDATION', ctx.t('errors.exportNothing'));
  // The workers boot (tens of milliseconds each) while the files are planned.
  const sealer = new StreamSealer(opts.password);
  // Only the single-PC store has document files; on the branch server every document's bytes are in its row.
  const reader = store.kind === 'local' ? new StoreReader(store.files.dir, store.files.key, CHUNK, CHUNKS) : null;
  reader?.cipher(sealer.aesKey, sealer.backlog, opts.shareAt ?? BACKLOG_TO_SHARE);
  let sink: TempFileSink;
  let planned: Awaited<ReturnType<typeof planFiles>>;
  let file: string;
  const now = ctx.clock.now();
  try {
    planned = await planFiles(ctx, store, s, opts.loanIds);
    const { loans, files, head, plannedBytes } = planned;
    if (plannedBytes + files.length * OVERHEAD_PER_FILE + loans.length * OVERHEAD_PER_LOAN > MAX_ZIP_BYTES) throw new AppError('RULE_VIOLATION', ctx.t('errors.exportTooLarge'));
    file = join(dir, opts.fileName ?? `${safeName(`档案导出_${head.institution}_${stamp(now)}`)}.zip`);
    if (existsSync(file)) throw new AppError('CONFLICT', ctx.t('errors.exportExists', { file }));
    try {
      sink = new TempFileSink(file, opts.ops ?? realFileOps);
    } catch (e) {
      throw writeFailure(ctx, e, dir);
    }
  } catch (e) {
    await sealer.close();
    await reader?.close();
    throw e;
  }
  const { loans, files, head } = planned;
  const manifestFiles: { path: string; sha256: string; size: number }[] = [];
  const total = files.length;
  let writing: Promise<void> = Promise.resolve();
  try {
    const zip = new ZipAesWriter(sink, opts.password, now);
    const outerReadme = bom(OUTER_README);
    await zip.addPlain(README, outerReadme);
    const stream = await zip.beginEncrypted(INNER_ARCHIVE, sealer.head);
    const inner = new PlainZipLayout(now);
    // Sealed pieces are written in order by this chain while the loop below reads on; a failure anywhere stops
    // the loop at its next piece.
    let written = 0;
    const listed = new Map<string, { path: string; sha256: string; size: number }>();
    let writeError: unknown = null;
    // Where the next piece sent starts in 档案.zip's encrypted data: the reader encrypts chunks at their position.
    let streamAt = 0;
    const readFailure = (e: unknown, name: string, ref: string) => writeError ?? storeFailure(ctx, e, name, ref);
    const send = (pieces: SealPiece[], isFile: boolean) => {
      for (const p of pieces) streamAt += p.data.length;
      const sealed = sealer.push(pieces);
      sealed.catch(() => {}); // awaited in order below; a failure there is the one reported
      writing = writing.then(async () => {
        // A pool buffer comes back from the worker as another ArrayBuffer object over the same memory.
        const out = await sealed;
        for (const [i, c] of out.entries()) await stream.write(c, true, pieces[i].own ? () => reader!.give(c.buffer as ArrayBuffer) : undefined);
        if (isFile) opts.onProgress?.({ done: ++written, total, bytes: zip.bytesWritten });
      });
      writing.catch((e: unknown) => {
        writeError ??= e;
        void reader?.close(); // a read waiting for a chunk back ends, with the write failure reported
      });
    };
    // Each loan's documents, then its card and ledger. Those are rendered on the PDF worker, started a few files
    // ahead (RENDER_AHEAD), so they are laid out while the documents before them stream through the other threads.
    const order = files;
    const rendered = order.filter((f) => f.rendered);
    let startedUpTo = 0;
    let renderedBefore = 0;
    for (const f of order) {
      if (opts.isCancelled?.()) throw new Cancelled();
      for (; startedUpTo < rendered.length && startedUpTo < renderedBefore + RENDER_AHEAD; startedUpTo++) rendered[startedUpTo].start!();
      if (f.rendered) renderedBefore++;
      const opened = await f.open();
      const header = (crc: number) => {
        try {
          return inner.header(f.path, opened.size, crc);
        } catch (e) {
          throw e instanceof RangeError ? new AppError('RULE_VIOLATION', ctx.t('errors.exportTooLarge')) : e;
        }
      };
      listed.set(f.path, { path: f.path, sha256: opened.sha256, size: opened.size });
      if (opened.kind === 'whole') {
        send([{ data: header(opened.crc) }, { data: opened.data }], true);
      } else {
        // A document in a file: only on the single-PC store, which has the reader.
        const files = reader!;
        const read = async (withCrc: boolean, onChunk: (c: Buffer, encrypted: boolean) => void, at?: number) => {
          const r = await files.read(opened.ref, withCrc, onChunk, at).catch((e: unknown) => {
            throw readFailure(e, opened.name, opened.ref);
          });
          if (r.size !== opened.size) throw storeFailure(ctx, null, opened.name, opened.ref);
          return r.crc;
        };
        if (opened.crc !== null) {
          // The CRC-32 stored with the document: one read, chunk by chunk. The reader computes it again on the
          // way (cheap next to AES-GCM), so a row that does not match its file fails the export. The reader may
          // encrypt some chunks itself, at their place in the stream (those come marked).
          send([{ data: header(opened.crc) }], false);
          let sent = 0;
          const crc = await read(
            true,
            (c, encrypted) => {
              sent += c.length;
              send([{ data: c, own: true, encrypted }], sent === opened.size);
            },
            streamAt,
          );
          if (crc !== opened.crc) throw storeFailure(ctx, new StoreReadError('damaged'), opened.name, opened.ref);
        } else if (opened.size <= SINGLE_PASS_MAX) {
          // Small enough to hold: read once, the CRC-32 the header needs computed on the way.
          const held: Buffer[] = [];
          const crc = await read(true, (c) => held.push(c));
          send([{ data: header(crc!) }, ...held.map((data) => ({ data, own: true }))], true);
        } else {
          // Larger: a first pass computes the CRC-32 (one more AES-GCM pass over a file the system has just
          // cached), the second sends the bytes on chunk by chunk.
          const crc = await files.crc(opened.ref).catch((e: unknown) => {
            throw readFailure(e, opened.name, opened.ref);
          });
          send([{ data: header(crc) }], false);
          let sent = 0;
          await read(false, (c) => {
            sent += c.length;
            send([{ data: c, own: true }], sent === opened.size);
          });
        }
      }
      await yieldToLoop();
    }
    await writing;
    if (opts.isCancelled?.()) throw new Cancelled();
    for (const f of files) manifestFiles.push(listed.get(f.path)!);
    // The side files: the sums and the README first, so the manifest can list their hashes too.
    const sums = Buffer.from(sumsText(manifestFiles), 'utf8');
    const readme = bom(INNER_README(head.institution, head.printedAt, s.displayName, loans.length));
    const manifest = {
      format: PACKAGE_FORMAT,
      version: PACKAGE_VERSION,
      institution: head.institution,
      branch: head.branch,
      exportedAt: now.toISOString(),
      exportedBy: s.username,
      loans,
      files: manifestFiles,
      sideFiles: [
        { path: SUMS, sha256: sha256(sums), size: sums.length },
        { path: README, sha256: sha256(readme), size: readme.length },
      ],
      outer: { archive: INNER_ARCHIVE, readme: { path: README, sha256: sha256(outerReadme), size: outerReadme.length } },
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
    send([{ data: inner.entry(SUMS, sums) }, { data: inner.entry(README, readme) }, { data: inner.entry(MANIFEST, manifestBytes) }, { data: inner.finish() }], false);
    await writing;
    await stream.end(await sealer.mac());
    await zip.finish();
    const fingerprint = sha256(manifestBytes).slice(0, FINGERPRINT_HEX);
    await store.db.transaction().execute((trx) =>
      recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'archive.export', entity: 'export', entityId: file, detail: { loans: loans.map((l) => l.contractNo), files: manifestFiles.length, fingerprint, format: PACKAGE_VERSION } }),
    );
    sealer.release();
    reader?.release();
    return { file, files: manifestFiles.length, loans: loans.length, bytes: zip.bytesWritten, fingerprint };
  } catch (e) {
    await sealer.close();
    await reader?.close();
    await writing.catch(() => {});
    await sink.abandon();
    if (e instanceof Cancelled) throw new AppError('CONFLICT', ctx.t('errors.exportCancelled'));
    if (e instanceof AppError) throw e;
    if (e instanceof RangeError) throw new AppError('RULE_VIOLATION', ctx.t('errors.exportTooLarge'));
    throw writeFailure(ctx, e, dir);
  }
}

const jobs = new Map<string, ExportJobView & { cancel: boolean; loans: number | null }>();

/** Starts an export in the background; the renderer polls its progress and may cancel it. */
export function startExport(ctx: AppContext, input: { loanIds: number[]; targetDir: string; password: string }): ExportJobView {
  requirePermission(ctx, 'archive.export');
  const id = randomBytes(8).toString('hex');
  const job: ExportJobView & { cancel: boolean; loans: number | null } = { id, state: 'running', done: 0, total: 0, bytes: 0, file: null, fingerprint: null, error: null, cancel: false, loans: null };
  jobs.set(id, job);
  void exportArchive(ctx, {
    ...input,
    onProgress: (p) => Object.assign(job, p),
    isCancelled: () => job.cancel,
  }).then(
    (r) => Object.assign(job, { state: 'done', file: r.file, fingerprint: r.fingerprint, loans: r.loans }),
    async (caught: unknown) => {
      const e = await explainFailure(ctx, caught);
      Object.assign(job, { state: job.cancel ? 'cancelled' : 'failed', error: e instanceof AppError ? e.message : ctx.t('errors.internal') });
    },
  );
  return view(job);
}

function view(j: ExportJobView): ExportJobView {
  return { id: j.id, state: j.state, done: j.done, total: j.total, bytes: j.bytes, file: j.file, fingerprint: j.fingerprint, error: j.error };
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

/** A generated export password (shared/ipc/archive.ts: GENERATED_ALPHABET), from the system's random source. */
export function generateExportPassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < GENERATED_GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GENERATED_GROUP_LEN; i++) group += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** A new password for the export form; it is kept nowhere, so it can be shown only this once. */
export function newExportPassword(ctx: AppContext): { password: string } {
  requirePermission(ctx, 'archive.export');
  return { password: generateExportPassword() };
}

/**
 * The password slip (pdf/exportPasswordSlip.ts), to travel apart from the package. With a finished job it also
 * names the package and gives its fingerprint; before that, the password alone.
 */
export async function passwordSlip(ctx: AppContext, input: { password: string; jobId: string | null }): Promise<{ fileName: string; base64: string }> {
  requirePermission(ctx, 'archive.export');
  const j = input.jobId ? jobs.get(input.jobId) : null;
  if (input.jobId && !j) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchJob'));
  const done = j?.state === 'done' && j.file && j.fingerprint ? { file: j.file, fingerprint: j.fingerprint, loans: j.loans ?? 0 } : null;
  return { fileName: ctx.t('slipPdf.fileName'), base64: (await passwordSlipFor(ctx, input.password, done)).toString('base64') };
}

/** The slip's bytes, for the package described by `done` (or none yet). */
export async function passwordSlipFor(ctx: AppContext, password: string, done: { file: string; fingerprint: string; loans: number } | null): Promise<Buffer> {
  const head = await letterhead(ctx, requireStore(ctx));
  const doc = passwordSlipDoc({
    institution: head.institution,
    branch: head.branch,
    password,
    fileName: done ? basename(done.file) : null,
    fingerprint: done?.fingerprint ?? null,
    loans: done?.loans ?? null,
    printedAt: head.printedAt,
    locale: ctx.config.locale,
  });
  try {
    return await renderPdf(ctx.paths.resourcesDir, doc);
  } catch {
    throw new AppError('INTERNAL', ctx.t('errors.pdfFailed'));
  }
}
