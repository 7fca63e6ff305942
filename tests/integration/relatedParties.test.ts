import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/ipc/contract';
import { addBorrowerContact, addRelatedParty, borrowerContacts, removeBorrowerContact, removeRelatedParty } from '../../src/main/features/borrowers/relatedParties';
import { addAssetLead, assetLeads, otherContacts, updateAssetLead } from '../../src/main/features/collections/assetLeads';
import { assignCollector } from '../../src/main/features/collections/queue';
import { fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, creditCode, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
let b1: number;
let l1: number;
let b2: number;
let l2: number;

const party = (borrowerId: number, over: Record<string, unknown> = {}) => ({
  borrowerId,
  relation: 'spouse' as const,
  kind: 'person' as const,
  name: '李小梅',
  idNumber: '',
  phone: '13811112222',
  address: '',
  note: '',
  ...over,
});

const audit = (action: string) => env.ctx.store!.db.selectFrom('audit_log').select(['actor', 'entity_id', 'detail']).where('action', '=', action).orderBy('id').execute();

beforeAll(async () => {
  env = newEnv();
  env.clock.t = Date.parse('2026-06-20T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  b1 = (await borrower(env.ctx)).id;
  l1 = (await loan(env.ctx, b1, { contractNo: 'HT-RP-1', startDate: '2026-01-15' })).loan.id;
  await actAs(env.ctx, 'officer2');
  b2 = (await borrower(env.ctx, '李四', '11010519800202123')).id;
  l2 = (await loan(env.ctx, b2, { contractNo: 'HT-RP-2', startDate: '2026-01-15', officer: 'officer2' })).loan.id;
});
afterAll(() => env?.cleanup());

describe('related parties and contacts of a borrower', () => {
  it('the officer who manages the borrower adds phones, addresses and related parties; each is audited', async () => {
    await actAs(env.ctx, 'officer1');
    await addBorrowerContact(env.ctx, { borrowerId: b1, kind: 'phone', label: '单位电话', value: '010-66668888', note: '前台转' });
    await addBorrowerContact(env.ctx, { borrowerId: b1, kind: 'address', label: '经营地址', value: '北京市朝阳区建国路1号', note: '' });
    await addRelatedParty(env.ctx, party(b1, { idNumber: residentId('11010519820303123') }));
    const heir = await addRelatedParty(env.ctx, party(b1, { relation: 'heir', name: '张小明', phone: '' }));
    const firm = await addRelatedParty(env.ctx, party(b1, { relation: 'related-company', kind: 'enterprise', name: '张三商贸有限公司', idNumber: creditCode('91110105MA0000001'), phone: '' }));
    expect(heir.relatedParties).toHaveLength(2);
    expect(firm.relatedParties).toHaveLength(3);
    const all = await borrowerContacts(env.ctx, { borrowerId: b1 });
    expect(all.contacts.map((c) => [c.kind, c.label, c.value, c.note])).toEqual([
      ['address', '经营地址', '北京市朝阳区建国路1号', ''],
      ['phone', '单位电话', '010-66668888', '前台转'],
    ]);
    expect(all.relatedParties.map((p) => [p.relation, p.kind, p.name, p.idNumber, p.phone, p.createdBy])).toEqual([
      ['spouse', 'person', '李小梅', residentId('11010519820303123'), '13811112222', 'officer1'],
      ['heir', 'person', '张小明', '', '', 'officer1'],
      ['related-company', 'enterprise', '张三商贸有限公司', creditCode('91110105MA0000001'), '', 'officer1'],
    ]);
    expect((await audit('borrowers.addContact')).map((a) => [a.actor, a.entity_id, JSON.parse(a.detail).value])).toEqual([
      ['officer1', String(b1), '010-66668888'],
      ['officer1', String(b1), '北京市朝阳区建国路1号'],
    ]);
    expect((await audit('borrowers.addRelatedParty')).map((a) => JSON.parse(a.detail).name)).toEqual(['李小梅', '张小明', '张三商贸有限公司']);
  });

  it("another officer can neither read nor change them; a supervisor reads them; a collector does not, on the borrower", async () => {
    await actAs(env.ctx, 'officer2');
    const mine = await borrowerContacts(env.ctx, { borrowerId: b1 }).catch((e) => e);
    expect(mine.code).toBe('FORBIDDEN');
    expect(JSON.stringify(mine)).not.toContain('李小梅');
    expect((await fail(addRelatedParty(env.ctx, party(b1, { name: '不该有' })))).code).toBe('FORBIDDEN');
    expect((await fail(addBorrowerContact(env.ctx, { borrowerId: b1, kind: 'phone', label: '手机', value: '13900000000', note: '' }))).code).toBe('FORBIDDEN');
    await actAs(env.ctx, 'officer1');
    const { contacts, relatedParties } = await borrowerContacts(env.ctx, { borrowerId: b1 });
    await actAs(env.ctx, 'officer2');
    expect((await fail(removeBorrowerContact(env.ctx, { contactId: contacts[0].id, reason: '' }))).code).toBe('FORBIDDEN');
    expect((await fail(removeRelatedParty(env.ctx, { partyId: relatedParties[0].id, reason: '' }))).code).toBe('FORBIDDEN');
    // Nothing was written by the refused calls.
    expect(await env.ctx.store!.db.selectFrom('related_parties').select('name').where('name', '=', '不该有').execute()).toEqual([]);
    await actAs(env.ctx, 'supervisor1');
    expect((await borrowerContacts(env.ctx, { borrowerId: b1 })).relatedParties).toHaveLength(3);
    await actAs(env.ctx, 'collector1');
    expect((await fail(borrowerContacts(env.ctx, { borrowerId: b1 }))).code).toBe('FORBIDDEN');
  });

  it('a collector sees them only through a loan assigned to them (the 催收 data), never another loan', async () => {
    await actAs(env.ctx, 'collector1');
    expect((await fail(otherContacts(env.ctx, { loanId: l1 }))).code).toBe('FORBIDDEN');
    await actAs(env.ctx, 'supervisor1');
    await assignCollector(env.ctx, { loanIds: [l1], collector: 'collector1' });
    await actAs(env.ctx, 'collector1');
    const seen = await otherContacts(env.ctx, { loanId: l1 });
    expect(seen.relatedParties.map((p) => p.name)).toEqual(['李小梅', '张小明', '张三商贸有限公司']);
    expect(seen.contacts.map((c) => c.value)).toContain('010-66668888');
    expect((await fail(otherContacts(env.ctx, { loanId: l2 }))).code).toBe('FORBIDDEN');
    expect((await fail(borrowerContacts(env.ctx, { borrowerId: b1 }))).code).toBe('FORBIDDEN');
  });

  it('removal is soft: the record stays with who removed it, is no longer shown, and cannot be removed twice', async () => {
    await actAs(env.ctx, 'officer1');
    const before = await borrowerContacts(env.ctx, { borrowerId: b1 });
    const phone = before.contacts.find((c) => c.kind === 'phone')!;
    const heir = before.relatedParties.find((p) => p.relation === 'heir')!;
    const after = await removeBorrowerContact(env.ctx, { contactId: phone.id, reason: '空号' });
    expect(after.contacts.map((c) => c.kind)).toEqual(['address']);
    const left = await removeRelatedParty(env.ctx, { partyId: heir.id, reason: '录错' });
    expect(left.relatedParties.map((p) => p.name)).toEqual(['李小梅', '张三商贸有限公司']);
    const db = env.ctx.store!.db;
    expect(await db.selectFrom('borrower_contacts').select(['value', 'removed_by']).where('id', '=', phone.id).executeTakeFirst()).toEqual({ value: '010-66668888', removed_by: 'officer1' });
    expect(await db.selectFrom('related_parties').select(['name', 'removed_by']).where('id', '=', heir.id).executeTakeFirst()).toEqual({ name: '张小明', removed_by: 'officer1' });
    expect((await fail(removeRelatedParty(env.ctx, { partyId: heir.id, reason: '' }))).code).toBe('NOT_FOUND');
    expect((await fail(removeBorrowerContact(env.ctx, { contactId: phone.id, reason: '' }))).code).toBe('NOT_FOUND');
    expect((await audit('borrowers.removeContact')).map((a) => JSON.parse(a.detail).reason)).toEqual(['空号']);
    expect((await audit('borrowers.removeRelatedParty')).map((a) => [a.actor, JSON.parse(a.detail).name])).toEqual([['officer1', '张小明']]);
  });

  it('the contract checks ID numbers by kind, phones, lengths and enums', () => {
    const add = contract['borrowers.addRelatedParty'];
    expect(add.safeParse(party(1)).success).toBe(true);
    const issue = (v: unknown) => (add.safeParse(v) as { error?: { issues: { path: PropertyKey[]; message: string }[] } }).error?.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    expect(issue(party(1, { idNumber: '110105198203031230' }))).toEqual(['idNumber:validation.residentId']);
    expect(issue(party(1, { kind: 'enterprise', idNumber: residentId('11010519820303123') }))).toEqual(['idNumber:validation.creditCode']);
    expect(issue(party(1, { phone: '138-abc' }))).toEqual(['phone:validation.phone']);
    expect(add.safeParse(party(1, { relation: 'cousin' })).success).toBe(false);
    expect(add.safeParse(party(1, { name: '  ' })).success).toBe(false);
    expect(add.safeParse(party(1, { name: '名'.repeat(101) })).success).toBe(false);
    const contact = contract['borrowers.addContact'];
    expect(contact.safeParse({ borrowerId: 1, kind: 'phone', label: '手机', value: '139 0000 0000', note: '' }).success).toBe(true);
    expect(contact.safeParse({ borrowerId: 1, kind: 'phone', label: '手机', value: '北京市', note: '' }).success).toBe(false);
    expect(contact.safeParse({ borrowerId: 1, kind: 'address', label: '户籍地址', value: '北京市', note: '' }).success).toBe(true);
    expect(contact.safeParse({ borrowerId: 1, kind: 'email', label: '邮箱', value: 'a@b.c', note: '' }).success).toBe(false);
  });
});

describe('asset leads (财产线索) of a loan', () => {
  const lead = (loanId: number, over: Record<string, unknown> = {}) => ({
    loanId,
    kind: 'real-estate' as const,
    description: '住宅一套，建筑面积 89㎡',
    location: '北京市朝阳区某小区 3-2-501',
    holder: '张三',
    seizedByOthers: false,
    seizedNote: '',
    source: '不动产登记查询',
    foundOn: '2026-06-10',
    ...over,
  });

  it('are added and updated by who works the loan, with status dates and the seized-by-others flag, audited', async () => {
    await actAs(env.ctx, 'collector1');
    const [house] = await addAssetLead(env.ctx, lead(l1));
    expect(house).toMatchObject({ status: 'open', statusOn: '2026-06-10', seizedByOthers: false, createdBy: 'collector1' });
    const both = await addAssetLead(env.ctx, lead(l1, { kind: 'deposit', description: '工商银行账户', location: '', holder: '', seizedByOthers: true, seizedNote: '（2026）京0105执保123号 已冻结', foundOn: '2026-06-15' }));
    expect(both.map((l) => [l.kind, l.seizedByOthers, l.seizedNote])).toEqual([
      ['deposit', true, '（2026）京0105执保123号 已冻结'],
      ['real-estate', false, ''],
    ]);
    await actAs(env.ctx, 'officer1');
    const updated = await updateAssetLead(env.ctx, { leadId: house.id, status: 'preserved', statusOn: '2026-06-18', seizedByOthers: false, seizedNote: '' });
    expect(updated.find((l) => l.id === house.id)).toMatchObject({ status: 'preserved', statusOn: '2026-06-18', updatedBy: 'officer1', createdBy: 'collector1' });
    // A status date before the lead was found, or after today, is refused.
    expect((await fail(updateAssetLead(env.ctx, { leadId: house.id, status: 'realized', statusOn: '2026-06-01', seizedByOthers: false, seizedNote: '' }))).issues?.[0].path).toBe('statusOn');
    expect((await fail(addAssetLead(env.ctx, lead(l1, { foundOn: '2026-06-21' })))).issues?.[0].path).toBe('foundOn');
    const trail = await audit('collections.updateAssetLead');
    expect(trail.map((a) => [a.actor, JSON.parse(a.detail).before.status, JSON.parse(a.detail).after.status])).toEqual([['officer1', 'open', 'preserved']]);
    expect((await audit('collections.addAssetLead')).map((a) => a.actor)).toEqual(['collector1', 'collector1']);
  });

  it("another officer neither reads nor changes a loan's leads", async () => {
    await actAs(env.ctx, 'officer2');
    expect((await fail(assetLeads(env.ctx, { loanId: l1 }))).code).toBe('FORBIDDEN');
    expect((await fail(addAssetLead(env.ctx, lead(l1)))).code).toBe('FORBIDDEN');
    await actAs(env.ctx, 'officer1');
    const [first] = await assetLeads(env.ctx, { loanId: l1 });
    await actAs(env.ctx, 'officer2');
    expect((await fail(updateAssetLead(env.ctx, { leadId: first.id, status: 'dismissed', statusOn: '2026-06-20', seizedByOthers: false, seizedNote: '' }))).code).toBe('FORBIDDEN');
    expect(await assetLeads(env.ctx, { loanId: l2 })).toEqual([]);
  });

  it('the contract wants real dates, known kinds and statuses, and a note when seized by others', () => {
    const add = contract['collections.addAssetLead'];
    expect(add.safeParse(lead(1)).success).toBe(true);
    expect(add.safeParse(lead(1, { foundOn: '2026-02-30' })).success).toBe(false);
    expect(add.safeParse(lead(1, { kind: 'gold' })).success).toBe(false);
    expect(add.safeParse(lead(1, { description: '' })).success).toBe(false);
    expect((add.safeParse(lead(1, { seizedByOthers: true })) as { error?: { issues: { path: PropertyKey[] }[] } }).error?.issues.map((i) => i.path.join('.'))).toEqual(['seizedNote']);
    const upd = contract['collections.updateAssetLead'];
    expect(upd.safeParse({ leadId: 1, status: 'realized', statusOn: '2026-06-20', seizedByOthers: false, seizedNote: '' }).success).toBe(true);
    expect(upd.safeParse({ leadId: 1, status: 'sold', statusOn: '2026-06-20', seizedByOthers: false, seizedNote: '' }).success).toBe(false);
    expect(upd.safeParse({ leadId: 1, status: 'realized', statusOn: '20260620', seizedByOthers: false, seizedNote: '' }).success).toBe(false);
  });
});
