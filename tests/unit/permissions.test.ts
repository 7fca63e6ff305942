import { describe, expect, it } from 'vitest';
import { can, PERMISSION_MATRIX, permissionsOf, ROLES } from '../../src/shared/permissions';

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
