import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { up as borrowerPinyin } from '../../src/main/db/migrations/0025_borrower_pinyin';
import { pinyinColumns, pinyinQuery } from '../../src/main/db/pinyin';
import { searchBorrowers, updateBorrower } from '../../src/main/features/borrowers/borrowers';
import { newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const search = (query: string, sort: 'name' | undefined = 'name') => searchBorrowers(env.ctx, { query, kind: null, tier: null, sort, direction: 'asc', limit: 50, offset: 0 });

describe('borrowers by pinyin', () => {
  it('reads surnames as surnames and keeps Latin letters', () => {
    expect(pinyinColumns('上官明')).toEqual({ name_pinyin: 'shangguanming', name_initials: 'sgm' });
    expect(pinyinColumns('单雄信').name_pinyin).toBe('shanxiongxin');
    expect(pinyinColumns('吕布').name_pinyin).toBe('lvbu');
    expect(pinyinColumns('ABC科技（上海）有限公司')).toEqual({ name_pinyin: 'abckejishanghaiyouxiangongsi', name_initials: 'akjshyxgs' });
    expect(pinyinQuery('Shang Guan')).toBe('shangguan');
    expect(pinyinQuery('张三')).toBeNull();
    expect(pinyinQuery('s')).toBeNull();
    expect(pinyinQuery('1380')).toBeNull();
  });

  it('sorts names by pinyin and finds them by pinyin or initials; an officer finds others’ borrowers by name only, masked', async () => {
    env = newEnv();
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer2');
    const theirs = await borrower(env.ctx, '上官明', '11010519800101124');
    await loan(env.ctx, theirs.id, { contractNo: 'HT-OTHER', officer: 'officer2' });
    await loginAs(env.ctx, 'officer1');
    for (const [name, id] of [['张三', '11010519800101125'], ['安娜', '11010519800101126'], ['白云', '11010519800101127']] as const) {
      const b = await borrower(env.ctx, name, id);
      await loan(env.ctx, b.id, { contractNo: `HT-${id.slice(-3)}`, officer: 'officer1' });
    }
    await loginAs(env.ctx, 'supervisor1');
    // By character code 上 (U+4E0A) would come first and 白 (U+767D) after 张 (U+5F20).
    expect((await search('')).rows.map((r) => r.name)).toEqual(['安娜', '白云', '上官明', '张三']);
    expect((await search('shangguan')).rows.map((r) => r.name)).toEqual(['上官明']);
    expect((await search('sgm')).rows.map((r) => r.name)).toEqual(['上官明']);
    expect((await search('guanming')).rows.map((r) => r.name)).toEqual(['上官明']);
    expect((await search('zs')).rows.map((r) => r.name)).toEqual(['张三']);

    await loginAs(env.ctx, 'officer1');
    const found = (await search('sgm')).rows;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: '上官明', managed: false, loanCount: null });
    expect(found[0].idNumber).toContain('*');
  });

  it('a renamed borrower is found by the new name’s pinyin; migration 0025 fills borrowers stored before it', async () => {
    env = newEnv();
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'supervisor1');
    const b = await borrower(env.ctx, '张三');
    await updateBorrower(env.ctx, { ...b, name: '欧阳娜娜' });
    expect((await search('oyn')).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await search('zs')).rows).toEqual([]);

    // As a store from before 0025: drop the columns and the row that says it ran, then migrate again.
    const db = env.ctx.store!.db;
    await sql`DROP INDEX borrowers_pinyin`.execute(db);
    await sql`ALTER TABLE borrowers DROP COLUMN name_pinyin`.execute(db);
    await sql`ALTER TABLE borrowers DROP COLUMN name_initials`.execute(db);
    await borrowerPinyin(db);
    expect(await db.selectFrom('borrowers').select(['name_pinyin', 'name_initials']).where('id', '=', b.id).executeTakeFirstOrThrow()).toEqual({ name_pinyin: 'ouyangnana', name_initials: 'oynn' });
  });
});
