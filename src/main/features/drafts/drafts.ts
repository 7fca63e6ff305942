import type { DraftView } from '../../../shared/ipc/drafts';
import type { AppContext } from '../../kernel/context';
import { requireSession } from '../../kernel/authz';
import { requireStore } from '../../kernel/store';

/** The signed-in user's draft of a form, or null. Another user's drafts are never reachable: the key is paired with the session's user. */
export async function getDraft(ctx: AppContext, input: { formKey: string }): Promise<DraftView | null> {
  const { username } = requireSession(ctx);
  const row = await requireStore(ctx)
    .db.selectFrom('drafts')
    .select(['form_key', 'draft_values', 'saved_at'])
    .where('username', '=', username)
    .where('form_key', '=', input.formKey)
    .executeTakeFirst();
  return row ? { formKey: row.form_key, values: row.draft_values, savedAt: row.saved_at } : null;
}

/** Replaces the user's draft of a form. */
export async function saveDraft(ctx: AppContext, input: { formKey: string; values: string }): Promise<{ savedAt: string }> {
  const { username } = requireSession(ctx);
  const savedAt = ctx.clock.now().toISOString();
  const draft_values = input.values;
  await requireStore(ctx)
    .db.insertInto('drafts')
    .values({ username, form_key: input.formKey, draft_values, saved_at: savedAt })
    .onConflict((oc) => oc.columns(['username', 'form_key']).doUpdateSet({ draft_values, saved_at: savedAt }))
    .execute();
  return { savedAt };
}

export async function clearDraft(ctx: AppContext, input: { formKey: string }): Promise<{ cleared: boolean }> {
  const { username } = requireSession(ctx);
  const r = await requireStore(ctx).db.deleteFrom('drafts').where('username', '=', username).where('form_key', '=', input.formKey).executeTakeFirst();
  return { cleared: Number(r.numDeletedRows) > 0 };
}
