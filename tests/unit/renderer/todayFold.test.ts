import { describe, expect, it } from 'vitest';
import { translate } from '../../../src/shared/i18n';
import { foldLabel } from '../../../src/renderer/features/today/fold';

const zh = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('zh-CN', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('en', key, params);

describe('a 我的工作台 section’s fold button', () => {
  it('says “all” only when every item is listed', () => {
    expect(foldLabel(zh, { unfolded: false, listed: 12, total: 12 })).toBe('显示全部 12 项');
    expect(foldLabel(en, { unfolded: false, listed: 12, total: 12 })).toBe('Show all 12');
  });

  it('unfolds “the ones listed” when main left some out, so it does not contradict the note under the list', () => {
    expect(foldLabel(zh, { unfolded: false, listed: 100, total: 154 })).toBe('展开列出的 100 项');
    expect(foldLabel(en, { unfolded: false, listed: 100, total: 154 })).toBe('Show the 100 listed');
    expect(zh('todayUi.moreHidden', { count: 54 })).not.toContain('全部');
  });

  it('folds again', () => {
    expect(foldLabel(zh, { unfolded: true, listed: 100, total: 154 })).toBe('收起');
  });
});
