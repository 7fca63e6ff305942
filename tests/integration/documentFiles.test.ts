import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStoreError, fileKey, readEncryptedFileWhole, SEGMENT, writeEncryptedFile } from '../../src/main/db/fileStore';
import { openSqlite } from '../../src/main/db/open';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { backupTo, runChecks } from '../../src/main/features/backups/maintenance';
import { getDocument } from '../../src/main/features/reports/reports';
import { AppError } from '../../src/shared/ipc/errors';
import { translate } from '../../src/shared/i18n';
import { newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv | undefined;
let scratch: string | undefined;
afterEach(() => {
  env?.cleanup();
  env = undefined;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

const t = (k: string, p?: Record<string, string | number>) => translate('zh-CN', k as never, p);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF\0借据扫描-SCAN-PROBE'), randomBytes(SEGMENT * 2 + 777)]);
const PDF = Buffer.from('%PDF-1.4\n% 借款合同 CONTRACT-PROBE\n%%EOF\n');
const MAGIC = [Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF'), Buffer.from('%PDF-'), Buffer.from('SCAN-PROBE'), Buffer.from('CONTRACT-PROBE')];

describe('the encrypted file format', () => {
  const key = fileKey(randomBytes(32));
  const fresh = () => (scratch = mkdtempSync(join(tmpdir(), 'lk-files-')));

  it('gives back exactly what was stored, across segment boundaries', () => {
    const dir = fresh();
    for (const size of [1, 15, 16, SEGMENT - 1, SEGMENT, SEGMENT + 1, JPEG.length]) {
      const data = randomBytes(size);
      const ref = writeEncryptedFile(dir, key, data);
      expect(readEncryptedFileWhole(dir, key, ref).equals(data)).toBe(true);
      expect(readFileSync(join(dir, ref)).length).toBe(20 + size + Math.ceil(size / SEGMENT) * 16);
    }
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('refuses a flipped bit, a truncated file, a renamed or swapped file, another key, and names a missing one', () => {
    const dir = fresh();
    const ref = writeEncryptedFile(dir, key, JPEG);
    const other = writeEncryptedFile(dir, key, PDF);
    const kind = (f: () => unknown) => {
      try {
        f();
        return 'read';
      } catch (e) {
        return (e as FileStoreError).kind;
      }
    };
    const flipped = readFileSync(join(dir, ref));
    flipped[SEGMENT + 500] ^= 0x80;
    const damaged = writeEncryptedFile(dir, key, Buffer.from('x'));
    writeFileSync(join(dir, damaged), flipped);
    expect(kind(() => readEncryptedFileWhole(dir, key, damaged))).toBe('damaged');

    const cut = writeEncryptedFile(dir, key, Buffer.from('y'));
    copyFileSync(join(dir, ref), join(dir, cut));
    truncateSync(join(dir, cut), 20 + SEGMENT + 16);
    expect(kind(() => readEncryptedFileWhole(dir, key, cut))).toBe('damaged');

    // Same bytes under another document's name: the name is authenticated, so a swap shows.
    copyFileSync(join(dir, ref), join(dir, other));
    expect(kind(() => readEncryptedFileWhole(dir, key, other))).toBe('damaged');

    expect(kind(() => readEncryptedFileWhole(dir, fileKey(randomBytes(32)), ref))).toBe('damaged');
    expect(kind(() => readEncryptedFileWhole(dir, key, '0'.repeat(32) + '.lkf'))).toBe('missing');
    expect(kind(() => readEncryptedFileWhole(dir, key, '../keyring.json'))).toBe('damaged');
    expect(readEncryptedFileWhole(dir, key, ref).equals(JPEG)).toBe(true);
  });
});

async function world() {
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const l = await loan(env.ctx, (await borrower(env.ctx, '张三')).id);
  const scan = await addDocument(env.ctx, { loanId: l.loan.id, docType: 'iou', fileName: '借据扫描.jpg', base64: JPEG.toString('base64') });
  const pdf = await addDocument(env.ctx, { loanId: l.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  return { l, scan, pdf, files: join(env.dataDir, 'files') };
}

const plain = (b: Buffer) => MAGIC.filter((m) => b.includes(m)).map((m) => m.toString('latin1'));

describe('documents in the store', () => {
  it('keeps no JPEG or PDF bytes in the database, its WAL or the document files, and gives them back intact', async () => {
    const { scan, pdf, files } = await world();
    const e = env!;
    for (const f of ['loankeeper.db', 'loankeeper.db-wal']) expect(plain(readFileSync(join(e.dataDir, f))), f).toEqual([]);
    const stored = readdirSync(files);
    expect(stored).toHaveLength(2);
    for (const f of stored) expect(plain(readFileSync(join(files, f))), f).toEqual([]);
    localStoreOf(e.ctx).sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(plain(readFileSync(join(e.dataDir, 'loankeeper.db')))).toEqual([]);
    expect(Buffer.from((await getDocument(e.ctx, { documentId: scan.id })).base64, 'base64').equals(JPEG)).toBe(true);
    expect(Buffer.from((await getDocument(e.ctx, { documentId: pdf.id })).base64, 'base64').equals(PDF)).toBe(true);
    await loginAs(e.ctx, 'admin');
    expect((await runChecks(e.ctx)).documentFiles).toEqual({ missing: [], unreferenced: 0 });
  });

  it('a missing or altered file gets a message naming the document, and check fails', async () => {
    const { scan, pdf, files } = await world();
    const e = env!;
    const refs = await localStoreOf(e.ctx).db.selectFrom('documents').select(['id', 'file_ref']).orderBy('id').execute();
    rmSync(join(files, refs[0].file_ref!));
    const missing = (await getDocument(e.ctx, { documentId: scan.id }).catch((x: unknown) => x)) as AppError;
    expect(missing.message).toBe(t('errors.documentFileMissing', { name: '借据扫描.jpg', file: refs[0].file_ref! }));
    const p = join(files, refs[1].file_ref!);
    const bytes = readFileSync(p);
    bytes[30] ^= 1;
    writeFileSync(p, bytes);
    const damaged = (await getDocument(e.ctx, { documentId: pdf.id }).catch((x: unknown) => x)) as AppError;
    expect(damaged.message).toBe(t('errors.documentFileDamaged', { name: '借款合同.pdf', file: refs[1].file_ref! }));
    await loginAs(e.ctx, 'admin');
    const r = await runChecks(e.ctx);
    expect(r.documentFiles.missing).toEqual([`借据扫描.jpg (${refs[0].file_ref})`]);
    expect(r.ok).toBe(false);
  });

  it('a data folder that cannot take the file refuses the document with a message and stores no row', async () => {
    const { l, files } = await world();
    const e = env!;
    rmSync(files, { recursive: true });
    writeFileSync(files, 'not a folder');
    const before = await localStoreOf(e.ctx).db.selectFrom('documents').select((x) => x.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const err = (await addDocument(e.ctx, { loanId: l.loan.id, docType: 'iou', fileName: '补充.jpg', base64: JPEG.toString('base64') }).catch((x: unknown) => x)) as AppError;
    expect(err.message).toBe(t('errors.documentWriteFailed', { name: '补充.jpg', dir: files }));
    const after = await localStoreOf(e.ctx).db.selectFrom('documents').select((x) => x.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('a backup is one self-contained encrypted file: the documents are inside it, still encrypted', async () => {
    const { scan } = await world();
    const e = env!;
    await loginAs(e.ctx, 'admin');
    const to = join(e.root, 'backup.db');
    await backupTo(e.ctx, to);
    expect(plain(readFileSync(to))).toEqual([]);
    const copy = openSqlite(to, localStoreOf(e.ctx).dataKey, { create: false });
    try {
      const row = copy.prepare('SELECT content, file_ref FROM documents WHERE id = ?').get(scan.id) as { content: Buffer; file_ref: string | null };
      expect(row.file_ref).toBeNull();
      expect(Buffer.from(row.content).equals(JPEG)).toBe(true);
    } finally {
      copy.close();
    }
    expect(readdirSync(e.root).filter((f) => f.startsWith('.backup'))).toEqual([]);
  });
});
