import { clearDraft, getDraft, saveDraft } from './drafts';
import type { Handlers } from '../../kernel/dispatch';

export const draftsHandlers: Handlers<'drafts.get' | 'drafts.save' | 'drafts.clear'> = {
  'drafts.get': (ctx, input) => getDraft(ctx, input),
  'drafts.save': (ctx, input) => saveDraft(ctx, input),
  'drafts.clear': (ctx, input) => clearDraft(ctx, input),
};
