import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShellHost } from '../../src/main/kernel/context';
import { logout } from '../../src/main/features/session/session';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { createStaff, loginAs } from '../helpers/portfolio';

let env: TestEnv;
beforeEach(async () => {
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
});
afterEach(() => env.cleanup());

describe('shell.pickFolder / shell.pickFile', () => {
  it('report "not available" without the Electron shell (test bridge, CLI), so the UI keeps its text field', async () => {
    await loginAs(env.ctx, 'archivist1');
    const d = dispatcherFor(env.ctx);
    expect(await d('shell.pickFolder', { title: '选择目标文件夹' })).toEqual({ ok: true, value: { available: false } });
    expect(await d('shell.pickFile', { title: '选择导出包', filters: [{ name: '导出包', extensions: ['zip'] }] })).toEqual({ ok: true, value: { available: false } });
  });

  it('pass title and filters to the shell and return its answer; cancelled is a null path', async () => {
    const asked: unknown[] = [];
    let answer: string | null = 'E:\\';
    const host: ShellHost = {
      pickFolder: async (o) => (asked.push(['folder', o]), answer),
      pickFile: async (o) => (asked.push(['file', o]), answer),
      printPdf: async () => ({ outcome: 'printed', message: null }),
      openPdf: async () => '/tmp/x.pdf',
      protectSecret: () => null,
      revealSecret: () => null,
    };
    env.ctx.shell = host;
    await loginAs(env.ctx, 'archivist1');
    const d = dispatcherFor(env.ctx);
    expect(await d('shell.pickFolder', { title: '选择目标文件夹' })).toEqual({ ok: true, value: { available: true, path: 'E:\\' } });
    answer = null;
    expect(await d('shell.pickFile', { title: '选择导出包', filters: [{ name: '导出包', extensions: ['zip'] }] })).toEqual({ ok: true, value: { available: true, path: null } });
    expect(asked).toEqual([
      ['folder', { title: '选择目标文件夹' }],
      ['file', { title: '选择导出包', filters: [{ name: '导出包', extensions: ['zip'] }] }],
    ]);
  });

  it('need a session (but the pickers: the wizard, the data-folder page and the signed-out restore come before sign-in) and refuse malformed input before reaching the shell', async () => {
    let calls = 0;
    env.ctx.shell = { pickFolder: async () => (calls++, '/x'), pickFile: async () => (calls++, '/x'), printPdf: async () => (calls++, { outcome: 'printed', message: null }), openPdf: async () => (calls++, '/x'), protectSecret: () => null, revealSecret: () => null };
    const d = dispatcherFor(env.ctx);
    logout(env.ctx);
    expect(await d('shell.pickFile', { title: '选择', filters: [] })).toMatchObject({ ok: true, value: { available: true, path: '/x' } });
    expect(await d('shell.printPdf', { title: '通知书', parts: ['JVBERi0xLjQK'] })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await d('shell.pickFolder', { title: '选择' })).toMatchObject({ ok: true, value: { available: true, path: '/x' } });
    expect(calls).toBe(2);
    calls = 0;
    await loginAs(env.ctx, 'officer1');
    expect(await d('shell.printPdf', { title: '通知书', parts: ['not base64!'] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await d('shell.printPdf', { title: '通知书', parts: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await d('shell.pickFile', { title: '选择', filters: [{ name: 'x', extensions: ['../etc'] }] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await d('shell.pickFolder', { title: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(calls).toBe(0);
  });
});
