// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { useForm } from '@mantine/form';
import { createElement, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useIpcMutation, useIpcQuery } from '../../../src/renderer/lib/data/useIpc';
import { DRAFT_PAUSE_MS, flushDrafts, useDraft } from '../../../src/renderer/lib/forms/drafts';

/** main, as the preload exposes it: every call recorded, answered from `answers`. */
const calls: { channel: string; input: unknown }[] = [];
let answers: Record<string, (input: never) => unknown> = {};
beforeEach(() => {
  calls.length = 0;
  answers = {};
  (window as unknown as { api: unknown }).api = {
    invoke: async (channel: string, input: unknown) => {
      calls.push({ channel, input });
      const answer = answers[channel];
      return answer ? { ok: true, value: answer(input as never) } : { ok: false, error: { code: 'NOT_FOUND', message: 'none' } };
    },
  };
});
afterEach(() => vi.useRealTimers());

const count = (channel: string) => calls.filter((c) => c.channel === channel).length;

function wrapper() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client }, children);
}

describe('useIpcQuery / useIpcMutation', () => {
  it('a write refetches the reads of the features it touches, and only those', async () => {
    answers = { 'loans.officers': () => [], 'users.list': () => [], 'repayments.create': () => ({}) };
    const { result } = renderHook(
      () => ({ officers: useIpcQuery('loans.officers', {}), users: useIpcQuery('users.list', {}), pay: useIpcMutation('repayments.create') }),
      { wrapper: wrapper() },
    );
    await waitFor(() => expect(result.current.officers.isSuccess && result.current.users.isSuccess).toBe(true));
    expect(count('loans.officers')).toBe(1);
    expect(result.current.pay.isPending).toBe(false);
    await act(() => result.current.pay.mutateAsync({ loanId: 1, paidOn: '2026-12-01', amountFen: 100, note: '' }));
    // repayments touch loans; users are another matter.
    await waitFor(() => expect(count('loans.officers')).toBe(2));
    expect(count('users.list')).toBe(1);
  });

  it('the same channel and input is asked once, however many components read it', async () => {
    answers = { 'loans.officers': () => [] };
    const { result } = renderHook(() => [useIpcQuery('loans.officers', {}), useIpcQuery('loans.officers', {})], { wrapper: wrapper() });
    await waitFor(() => expect(result.current.every((q) => q.isSuccess)).toBe(true));
    expect(count('loans.officers')).toBe(1);
  });
});

describe('useDraft', () => {
  const saved: Record<string, string> = {};
  beforeEach(() => {
    for (const k of Object.keys(saved)) delete saved[k];
    answers = {
      'drafts.get': (i: { formKey: string }) => (saved[i.formKey] ? { formKey: i.formKey, values: saved[i.formKey], savedAt: '2026-12-06T08:00:00.000Z' } : null),
      'drafts.save': (i: { formKey: string; values: string }) => {
        saved[i.formKey] = i.values;
        return { savedAt: '2026-12-06T08:00:01.000Z' };
      },
      'drafts.clear': (i: { formKey: string }) => ({ cleared: delete saved[i.formKey] }),
    };
  });

  function useReport(key: string | null) {
    const form = useForm({ initialValues: { operations: '', amount: '' } });
    return { form, draft: useDraft(key, form) };
  }

  it('saves what is typed after a pause, and opens the form with it again', async () => {
    const first = renderHook(() => useReport('report:inspection:7'));
    await waitFor(() => expect(first.result.current.draft.ready).toBe(true));
    act(() => first.result.current.form.setFieldValue('operations', '门店经营正常'));
    expect(saved['report:inspection:7']).toBeUndefined();
    await waitFor(() => expect(JSON.parse(saved['report:inspection:7'])).toEqual({ operations: '门店经营正常', amount: '' }), { timeout: DRAFT_PAUSE_MS * 4 });
    first.unmount();

    const again = renderHook(() => useReport('report:inspection:7'));
    await waitFor(() => expect(again.result.current.form.values.operations).toBe('门店经营正常'));
    expect(again.result.current.draft.restoredAt).toBe('2026-12-06T08:00:00.000Z');
    expect(again.result.current.form.isDirty()).toBe(true);
  });

  it('writes a save still waiting at once when flushed (before a lock) or when the form goes away', async () => {
    const { result, unmount } = renderHook(() => useReport('worklog:borrower:3'));
    await waitFor(() => expect(result.current.draft.ready).toBe(true));
    act(() => result.current.form.setFieldValue('operations', '电话联系'));
    await act(() => flushDrafts());
    expect(JSON.parse(saved['worklog:borrower:3']).operations).toBe('电话联系');
    act(() => result.current.form.setFieldValue('operations', '电话联系，已备足资金'));
    unmount();
    await waitFor(() => expect(JSON.parse(saved['worklog:borrower:3']).operations).toBe('电话联系，已备足资金'));
  });

  it('forgets the draft once saved for real, or when the form is put back as it was', async () => {
    saved['report:9'] = JSON.stringify({ operations: '旧草稿', amount: '' });
    const { result } = renderHook(() => useReport('report:9'));
    await waitFor(() => expect(result.current.form.values.operations).toBe('旧草稿'));
    act(() => result.current.draft.discard());
    await waitFor(() => expect(saved['report:9']).toBeUndefined(), { timeout: DRAFT_PAUSE_MS * 4 });

    act(() => result.current.form.setFieldValue('operations', '新内容'));
    await act(() => flushDrafts());
    expect(saved['report:9']).toBeDefined();
    await act(() => result.current.draft.clear());
    expect(saved['report:9']).toBeUndefined();
  });

  it('keeps no draft for a form that is not the user\'s to edit', async () => {
    const { result } = renderHook(() => useReport(null));
    expect(result.current.draft.ready).toBe(true);
    act(() => result.current.form.setFieldValue('operations', 'x'));
    await act(() => flushDrafts());
    expect(calls.filter((c) => c.channel.startsWith('drafts.'))).toEqual([]);
  });
});
