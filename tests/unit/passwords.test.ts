import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '../../src/shared/passwords';

const who = { username: 'officer1', institution: '杭州测试小额贷款股份有限公司' };

describe('password rule', () => {
  it('length first: 12 to 128 characters, counted as characters (Chinese too)', () => {
    expect(PASSWORD_MIN).toBe(12);
    expect(PASSWORD_MAX).toBe(128);
    expect(passwordProblem('Short-pass1', who)).toBe('tooShort');
    expect(passwordProblem('x'.repeat(200), who)).toBe('tooLong');
    expect(passwordProblem('梅雨季节的茶馆里坐满了人', who)).toBeNull();
    expect(passwordProblem('梅雨季节的茶馆里坐满', who)).toBe('tooShort');
    expect(passwordProblem('😀'.repeat(11), who)).toBe('tooShort');
  });

  it('no composition rules: lower-case words, spaces and any symbols are fine', () => {
    for (const ok of ['correct horse battery staple', 'ganlanshu-zai-chuntian', 'admin-pass-2026', 'Admin-pass-2026', 'dddd eeee ffff']) expect(passwordProblem(ok, who), ok).toBeNull();
  });

  it('refuses the user name and the institution name, alone or padded with digits and symbols', () => {
    expect(passwordProblem('officer1officer1', { username: 'officer1officer1' })).toBe('username');
    expect(passwordProblem('administrator', { username: 'administrator' })).toBe('username');
    expect(passwordProblem('Supervisor01!!', { username: 'supervisor01' })).toBe('username');
    expect(passwordProblem('杭州测试小额贷款股份有限公司', who)).toBe('institution');
    expect(passwordProblem('测试小额贷款有限公司', who)).toBe('tooShort');
    expect(passwordProblem('杭州测试小额贷款股份有限公司2026', who)).toBe('institution');
  });

  it('refuses the most common passwords, without case, and one short unit repeated', () => {
    for (const bad of ['123456789012', 'Password1234', 'password2026!', 'Qwertyuiop123', '1qaz2wsx3edc', 'woaini1314520', 'aaaaaaaaaaaa', 'abcabcabcabc', '121212121212', 'P@ssw0rd!!2026']) {
      expect(passwordProblem(bad, who), bad).toBe('common');
    }
  });
});
