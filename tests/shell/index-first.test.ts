import { describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const calls = { quit: 0, on: [] as string[] };
  return {
    calls,
    module: {
      app: {
        requestSingleInstanceLock: () => true,
        quit: () => void calls.quit++,
        on: (ev: string) => void calls.on.push(ev),
        whenReady: () => new Promise(() => {}),
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

describe('main entry, first instance', () => {
  it('keeps the lock and focuses its window when a second copy starts', async () => {
    await import('../../src/main/index');
    expect(fake.calls.quit).toBe(0);
    expect(fake.calls.on).toContain('second-instance');
    expect(fake.calls.on).toContain('window-all-closed');
  });
});
