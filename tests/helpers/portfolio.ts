import { creditCodeCheckChar, residentIdCheckChar } from '../../src/shared/domain/ids';
import type { Role } from '../../src/shared/permissions';
import { createBorrower } from '../../src/main/features/borrowers/borrowers';
import type { AppContext } from '../../src/main/kernel/context';
import { createLoan } from '../../src/main/features/loans/loans';
import { createUser } from '../../src/main/features/users/users';
import { login, logout } from '../../src/main/features/session/session';
import { ADMIN_PASSWORD } from './context';

export const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
export const creditCode = (first17: string) => first17 + creditCodeCheckChar(first17);

export const PASSWORDS: Record<string, string> = {
  admin: ADMIN_PASSWORD,
  officer1: 'Officer1-pass',
  officer2: 'Officer2-pass',
  collector1: 'Collector1-pass',
  supervisor1: 'Supervisor1-pass',
  supervisor2: 'Supervisor2-pass',
  risk1: 'Risk1-pass-001',
  archivist1: 'Archivist1-pass',
};

/** Creates the branch's staff as the administrator; leaves the admin logged in. */
export async function createStaff(ctx: AppContext): Promise<void> {
  const roles = { officer1: ['officer'], officer2: ['officer'], collector1: ['collector'], supervisor1: ['supervisor'], supervisor2: ['supervisor'], risk1: ['risk'], archivist1: ['archivist'] } as const;
  for (const [u, r] of Object.entries(roles)) await createUser(ctx, { username: u, displayName: u, roles: [...r], password: PASSWORDS[u] });
}

export async function loginAs(ctx: AppContext, username: string): Promise<void> {
  logout(ctx);
  await login(ctx, { username, password: PASSWORDS[username] });
}

/**
 * Switches the signed-in user on the open store without a password (no key derivation, no audit record):
 * for tests that change user often. The store must be open, e.g. after `loginAs`.
 */
export async function actAs(ctx: AppContext, username: string): Promise<void> {
  const u = await ctx.store!.db.selectFrom('users').select(['display_name', 'roles']).where('username', '=', username).executeTakeFirstOrThrow();
  ctx.session = { username, displayName: u.display_name, roles: JSON.parse(u.roles) as Role[], mustChangePassword: false, locked: false, lastActivity: ctx.clock.now().getTime(), idleMinutes: 240 };
}

export async function borrower(ctx: AppContext, name = '张三', first17 = '11010519800101123') {
  return createBorrower(ctx, {
    kind: 'person',
    name,
    idNumber: residentId(first17),
    phone: '13800000000',
    address: '北京市朝阳区建国路1号',
    employer: '某某科技有限公司',
    legalRep: '',
    industry: '',
    registeredCapitalFen: null,
    tier: 'normal',
  });
}

export async function loan(ctx: AppContext, borrowerId: number, over: Partial<Parameters<typeof createLoan>[1]> = {}) {
  return createLoan(ctx, {
    contractNo: 'HT-2026-0001',
    borrowerId,
    product: '个人经营贷',
    principalFen: 12_000_000,
    annualRate: '12',
    months: 12,
    method: 'equal-principal',
    startDate: '2026-01-15',
    penaltyUplift: '0.5',
    purpose: '购买原材料',
    guaranteeModes: ['guarantee'],
    officer: 'officer1',
    ...over,
  });
}
