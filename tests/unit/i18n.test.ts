import { describe, expect, it } from 'vitest';
import { catalogues, translate } from '../../src/shared/i18n';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}
function placeholders(s: string): string[] {
  return [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
}

describe('message catalogues', () => {
  const zh = catalogues['zh-CN'];
  const en = catalogues.en;

  it('English has exactly the keys of Chinese, with the same placeholders', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const k of keys(zh)) expect(placeholders(translate('en', k as never)), k).toEqual(placeholders(translate('zh-CN', k as never)));
  });

  it('no English string is left in Chinese and no Chinese string is empty', () => {
    // A language's own name is written in that language in both menus.
    const selfNamed = new Set(['app.langZh']);
    for (const k of keys(en).filter((k) => !selfNamed.has(k))) expect(translate('en', k as never), k).not.toMatch(/[\u4e00-\u9fff]/);
    for (const k of keys(zh)) expect(translate('zh-CN', k as never).trim(), k).not.toBe('');
  });

  it('fills placeholders', () => {
    expect(translate('zh-CN', 'errors.badCredentials', { left: 3 })).toBe('用户名或密码错误（还可尝试 3 次）。');
    expect(translate('en', 'errors.badCredentials', { left: 3 })).toBe('Wrong user name or password (3 attempts left).');
  });
});
