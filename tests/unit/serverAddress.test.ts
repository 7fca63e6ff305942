import { describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/ipc/contract';
import { isHostName, serverUrl } from '../../src/shared/serverAddress';

describe('the branch server address the wizard builds', () => {
  it('asks for verify-full for any server not on this PC, and never carries a password', () => {
    expect(serverUrl({ host: 'localhost', port: 5432, database: 'loankeeper', user: 'lk' })).toBe('postgresql://lk@localhost:5432/loankeeper');
    expect(serverUrl({ host: '127.0.0.1', port: 6543, database: 'lk', user: 'lk' })).toBe('postgresql://lk@127.0.0.1:6543/lk');
    expect(serverUrl({ host: 'db.branch.local', port: 5432, database: 'loankeeper', user: 'loan keeper' })).toBe('postgresql://loan%20keeper@db.branch.local:5432/loankeeper?sslmode=verify-full');
    expect(serverUrl({ host: 'fe80::1', port: 5432, database: 'lk', user: 'lk' })).toBe('postgresql://lk@[fe80::1]:5432/lk?sslmode=verify-full');
    expect(serverUrl({ host: '::1', port: 5432, database: 'lk', user: 'lk' })).toBe('postgresql://lk@[::1]:5432/lk');
  });

  it('builds addresses the channels accept, from host names only', () => {
    const url = serverUrl({ host: '10.1.2.3', port: 5432, database: 'loankeeper', user: 'lk' });
    expect(contract['setup.joinServer'].safeParse({ url, dbPassword: 'x', ca: null, locale: 'zh-CN' }).success).toBe(true);
    for (const h of ['db.branch.local', '10.1.2.3', 'fe80::1', '[::1]', 'pg_1']) expect(isHostName(h)).toBe(true);
    for (const h of ['', 'postgresql://db', 'db:5432', 'db/x', 'a b', 'user@db']) expect(isHostName(h)).toBe(false);
  });

  it('takes a CA certificate only as PEM', () => {
    const base = { url: 'postgresql://lk@db:5432/lk?sslmode=verify-full', dbPassword: 'x', locale: 'zh-CN' };
    expect(contract['setup.joinServer'].safeParse({ ...base, ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }).success).toBe(true);
    expect(contract['setup.joinServer'].safeParse({ ...base, ca: 'not a certificate' }).success).toBe(false);
  });
});
