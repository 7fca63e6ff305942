import { beforeEach, describe, expect, it, vi } from 'vitest';

// A fake `electron` dialog: records the options the shell passes and answers as the user would.
const fake = vi.hoisted(() => {
  const state = { calls: [] as { parent: unknown; options: any }[], answer: { canceled: false, filePaths: [] as string[] } };
  return {
    state,
    module: {
      dialog: {
        showOpenDialog: async (...args: unknown[]) => {
          const [parent, options] = args.length === 2 ? args : [null, args[0]];
          state.calls.push({ parent, options });
          return state.answer;
        },
      },
    },
  };
});
vi.mock('electron', () => fake.module);

import { electronShell } from '../../src/main/shell/dialogs';
import { PrintSpool } from '../../src/main/shell/protocol';

const win = { id: 1 };

beforeEach(() => {
  fake.state.calls.length = 0;
  fake.state.answer = { canceled: false, filePaths: [] };
});

describe('system open dialogs', () => {
  it('picks a folder with a dialog modal to our window', async () => {
    fake.state.answer = { canceled: false, filePaths: ['E:\\'] };
    const d = electronShell(() => win as never, new PrintSpool(), () => ({ printFailed: '', openFailed: (r) => new Error(r) }));
    expect(await d.pickFolder({ title: '选择导出目标文件夹' })).toBe('E:\\');
    expect(fake.state.calls).toHaveLength(1);
    expect(fake.state.calls[0].parent).toBe(win);
    expect(fake.state.calls[0].options).toMatchObject({ title: '选择导出目标文件夹', properties: ['openDirectory', 'createDirectory'] });
  });

  it('picks a file with the given filters; a cancelled dialog gives null', async () => {
    fake.state.answer = { canceled: true, filePaths: [] };
    const d = electronShell(() => null, new PrintSpool(), () => ({ printFailed: '', openFailed: (r) => new Error(r) }));
    const filters = [{ name: '导出包', extensions: ['zip'] }];
    expect(await d.pickFile({ title: '选择导出包', defaultPath: 'F:\\', filters })).toBeNull();
    expect(fake.state.calls[0].parent).toBeNull();
    expect(fake.state.calls[0].options).toMatchObject({ title: '选择导出包', defaultPath: 'F:\\', filters, properties: ['openFile'] });
  });
});
