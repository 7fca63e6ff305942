import type { Handlers } from '../../kernel/dispatch';
import { commitImport, importTemplate, previewImport } from './imports';

export const importsHandlers: Handlers<'import.template' | 'import.preview' | 'import.commit'> = {
  'import.template': (ctx) => importTemplate(ctx),
  'import.preview': (ctx, input) => previewImport(ctx, input),
  'import.commit': (ctx, input) => commitImport(ctx, input),
};
