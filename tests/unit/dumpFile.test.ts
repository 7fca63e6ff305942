import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DUMP_SEGMENT, DumpFileError, DumpWriter, readDump, readDumpHeader, type DumpHeader } from '../../src/main/db/pg/dumpFile';

/** The sealed file a branch server's backup is: what goes in comes out, and any change to the file is refused. */

const dir = mkdtempSync(join(tmpdir(), 'lk-dumpfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header: DumpHeader = {
  format: 'loankeeper-branch-backup',
  version: 1,
  serverVersion: '16.4',
  database: 'branch',
  madeAt: '2026-12-07T08:00:00.000Z',
  madeBy: 'admin1',
  head: { count: 3, id: 3, hash: 'a'.repeat(64), mac: 'b'.repeat(64) },
  latestEntryAt: '2026-12-07T07:59:00.000Z',
  institution: '某农商行',
  branch: '城东支行',
  tables: { borrowers: 1, loans: 1 },
  documents: [{ key: 'd:1', name: '借款合同.pdf', sha256: 'c'.repeat(64) }],
};

function seal(name: string, key: Buffer, data: Buffer, chunk = 70_000): string {
  const file = join(dir, name);
  const fd = openSync(file, 'w');
  const w = new DumpWriter(fd, key, header);
  for (let off = 0; off < data.length; off += chunk) w.write(data.subarray(off, off + chunk));
  w.finish();
  closeSync(fd);
  return file;
}

async function open(file: string, key: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of readDump(file, key)) parts.push(p);
  return Buffer.concat(parts);
}

async function refusal(file: string, key: Buffer): Promise<string> {
  try {
    await open(file, key);
    return 'opened';
  } catch (e) {
    return e instanceof DumpFileError ? e.kind : String(e);
  }
}

describe('the sealed branch backup file', () => {
  const key = randomBytes(32);
  // Text that repeats (as table data does): it must not show through in any form.
  const data = Buffer.concat([Buffer.from('欧阳明远 110105198001011234 '.repeat(1000)), randomBytes(DUMP_SEGMENT * 2 + 12345)]);
  const file = seal('ok.bin', key, data);

  it('gives back exactly what was written, across segments, and its header', async () => {
    expect((await open(file, key)).equals(data)).toBe(true);
    expect(readDumpHeader(file, key)).toEqual(header);
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from('欧阳明远'))).toBe(false);
    expect(bytes.includes(Buffer.from('某农商行'))).toBe(false);
  });

  it('an empty archive is a valid file too', async () => {
    const empty = seal('empty.bin', key, Buffer.alloc(0));
    expect((await open(empty, key)).length).toBe(0);
  });

  it('another key is told apart from damage', async () => {
    expect(await refusal(file, randomBytes(32))).toBe('wrong-key');
    expect(() => readDumpHeader(file, randomBytes(32))).toThrow(DumpFileError);
  });

  it('a flipped byte anywhere, a cut-off file, bytes appended or segments swapped are refused', async () => {
    const bytes = readFileSync(file);
    for (const at of [50, 300, 1_000_000, bytes.length - 5]) {
      const bad = Buffer.from(bytes);
      bad[at] ^= 0x01;
      writeFileSync(join(dir, 'bad.bin'), bad);
      expect(await refusal(join(dir, 'bad.bin'), key)).toBe('damaged');
    }
    // In the clear prefix: the magic names the file as not ours; the key check no longer matches the key.
    for (const [at, kind] of [
      [2, 'not-branch-backup'],
      [20, 'wrong-key'],
      [33, 'damaged'],
    ] as const) {
      const bad = Buffer.from(bytes);
      bad[at] ^= 0x01;
      writeFileSync(join(dir, 'bad.bin'), bad);
      expect(await refusal(join(dir, 'bad.bin'), key)).toBe(kind);
    }
    // Cut at a segment's end: the last segment left is not marked last.
    const lastSegment = 4 + (data.length - 2 * DUMP_SEGMENT) + 16;
    const cut = bytes.length - lastSegment;
    writeFileSync(join(dir, 'cut.bin'), bytes.subarray(0, cut));
    expect(await refusal(join(dir, 'cut.bin'), key)).toBe('damaged');
    // The two full segments swapped: each is sealed with its own index.
    const whole = 4 + DUMP_SEGMENT + 16;
    const first = cut - 2 * whole;
    const swapped = Buffer.concat([bytes.subarray(0, first), bytes.subarray(first + whole, cut), bytes.subarray(first, first + whole), bytes.subarray(cut)]);
    expect(swapped.length).toBe(bytes.length);
    writeFileSync(join(dir, 'swapped.bin'), swapped);
    expect(await refusal(join(dir, 'swapped.bin'), key)).toBe('damaged');
    writeFileSync(join(dir, 'long.bin'), Buffer.concat([bytes, Buffer.from([0])]));
    expect(await refusal(join(dir, 'long.bin'), key)).toBe('damaged');
  });

  it('a file that is not one is named so', async () => {
    writeFileSync(join(dir, 'plain.bin'), 'SQLite format 3\0 and more bytes of something else entirely');
    expect(await refusal(join(dir, 'plain.bin'), key)).toBe('not-branch-backup');
    expect(await refusal(join(dir, 'nothing-here.bin'), key)).toBe('missing');
  });
});
