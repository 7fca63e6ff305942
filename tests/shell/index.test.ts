import { describe, expect, it, vi } from 'vitest';

// The entry file itself: the single-instance lock decides whether a second copy quits at once.
const fake = vi.hoisted(() => {
  const calls = { quit: 0, whenReady: 0, on: [] as string[] };
  return {
    calls,
    module: {
      app: {
        requestSingleInstanceLock: () => false,
        quit: () => void calls.quit++,
        on: (ev: string) => void calls.on.push(ev),
        whenReady: () => {
          calls.whenReady++;
          return new Promise(() => {});
        },
      },
      dialog: {},
      BrowserWindow: class {},
      ipcMain: { handle: () => {} },
      session: {},
      Menu: {},
    },
  };
});
vi.mock('electron', () => fake.module);

describe('main entry', () => {
  it('quits a second instance without opening a window', async () => {
    await import('../../src/main/index');
    expect(fake.calls.quit).toBe(1);
    expect(fake.calls.whenReady).toBe(0);
    expect(fake.calls.on).toEqual([]);
  });
});
