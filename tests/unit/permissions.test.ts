import { describe, expect, it } from 'vitest';
import { allows, reads, writes } from '../../src/shared/ipc/access';
import { can, PERMISSION_MATRIX, PERMISSIONS, permissionsOf, ROLES } from '../../src/shared/permissions';

describe('permission matrix', () => {
  it('the administrator manages users and settings but sees no loan data', () => {
    expect(can(['admin'], 'users.manage')).toBe(true);
    expect(can(['admin'], 'settings.manage')).toBe(true);
    expect(can(['admin'], 'portfolio.read')).toBe(false);
  });

  it('several roles add up', () => {
    const p = permissionsOf(['admin', 'officer']);
    expect(p.has('users.manage') && p.has('portfolio.write')).toBe(true);
  });

  it('covers every role, and only the administrator manages users', () => {
    expect(Object.keys(PERMISSION_MATRIX).sort()).toEqual([...ROLES].sort());
    for (const r of ROLES) expect(can([r], 'users.manage'), r).toBe(r === 'admin');
  });
});

describe('channel declarations', () => {
  it('every permission of the matrix opens some channel, and every channel names only known permissions', async () => {
    const { access } = await import('../../src/shared/ipc/contract');
    const used = new Set(Object.values(access).flatMap((a) => (typeof a.who === 'string' ? [] : [...a.who])));
    expect([...used].filter((p) => !(PERMISSIONS as readonly string[]).includes(p))).toEqual([]);
    expect(PERMISSIONS.filter((p) => !used.has(p))).toEqual([]);
  });

  it('a declaration allows public and signed-in callers, or holders of any one listed permission', () => {
    expect(allows(reads('public'), () => false)).toBe(true);
    expect(allows(reads('signed-in'), () => false)).toBe(true);
    expect(allows(writes(['loanchanges.approve', 'writeoff.final']), (p) => p === 'writeoff.final')).toBe(true);
    expect(allows(writes('portfolio.write', 'loan'), (p) => can(['risk'], p))).toBe(false);
    expect(writes('portfolio.write', 'loan')).toEqual({ who: ['portfolio.write'], write: true, scope: 'loan' });
    expect(reads('portfolio.read')).toEqual({ who: ['portfolio.read'], write: false });
  });
});
