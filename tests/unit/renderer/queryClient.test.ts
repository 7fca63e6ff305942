import { describe, expect, it } from 'vitest';
import { queryClient, setSharedStore } from '../../../src/renderer/lib/data/queryClient';

describe('the window query client', () => {
  it('refetches on coming back to the window only when other PCs write too (the branch server)', () => {
    const onFocus = queryClient.getDefaultOptions().queries?.refetchOnWindowFocus as () => boolean;
    setSharedStore(false);
    expect(onFocus()).toBe(false);
    setSharedStore(true);
    expect(onFocus()).toBe(true);
    setSharedStore(false);
  });
});
