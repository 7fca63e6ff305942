import type { Handlers } from './register';

/** System open dialogs, when the Electron shell provides them; otherwise the UI falls back to typing a path. */
export const shellHandlers: Handlers<'shell.pickFolder' | 'shell.pickFile'> = {
  'shell.pickFolder': async (ctx, input) => (ctx.shell ? { available: true, path: await ctx.shell.pickFolder(input) } : { available: false }),
  'shell.pickFile': async (ctx, input) => (ctx.shell ? { available: true, path: await ctx.shell.pickFile(input) } : { available: false }),
};
