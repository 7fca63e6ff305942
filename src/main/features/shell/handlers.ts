import { joinPdfs } from '../../pdf/join';
import type { Handlers } from '../../kernel/dispatch';

/** System dialogs and printing, when the Electron shell provides them; otherwise the UI falls back (typed path, download). */
export const shellHandlers: Handlers<'shell.pickFolder' | 'shell.pickFile' | 'shell.printPdf' | 'shell.openPdf'> = {
  'shell.pickFolder': async (ctx, input) => (ctx.shell ? { available: true, path: await ctx.shell.pickFolder(input) } : { available: false }),
  'shell.pickFile': async (ctx, input) => (ctx.shell ? { available: true, path: await ctx.shell.pickFile(input) } : { available: false }),
  'shell.printPdf': async (ctx, { title, parts }) => {
    if (!ctx.shell) return { available: false };
    const r = await ctx.shell.printPdf({ title, pdf: await joinPdfs(ctx, parts) });
    return { available: true, ...r };
  },
  'shell.openPdf': async (ctx, { title, parts }) => (ctx.shell ? { available: true, path: await ctx.shell.openPdf({ title, pdf: await joinPdfs(ctx, parts) }) } : { available: false }),
};
