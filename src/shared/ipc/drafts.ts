import { z } from 'zod';
import { reads, writes, type AccessOf } from './access';

/**
 * A form's working copy, kept by main for the signed-in user under the form's key (e.g.
 * `report:inspection:12`), in the encrypted database: drafts hold personal data, so they never go to the
 * browser's storage. It survives leaving the page, the lock screen and a restart; the form clears it once
 * what it holds is saved for real.
 */
export interface DraftView {
  formKey: string;
  /** The form's values as the form keeps them (text as typed), as JSON text: main keeps it, never reads it. */
  values: string;
  savedAt: string;
}

/** `feature:what[:id…]`, lower-case words, digits and `.:_-`. */
export const formKey = z
  .string()
  .regex(/^[a-z][A-Za-z0-9._:-]{0,119}$/);

/** 256 Ki characters of JSON: far above any form's text, far below a document (attachments are never drafted). */
export const DRAFT_MAX_CHARS = 262_144;

export const draftsChannels = {
  'drafts.get': z.object({ formKey }).strict(),
  'drafts.save': z.object({ formKey, values: z.string().min(2).max(DRAFT_MAX_CHARS) }).strict(),
  'drafts.clear': z.object({ formKey }).strict(),
};

/** Any signed-in user, for their own drafts only: the key is always paired with the session's user by main. */
export const draftsAccess = {
  'drafts.get': reads('signed-in'),
  'drafts.save': writes('signed-in'),
  'drafts.clear': writes('signed-in'),
} satisfies AccessOf<typeof draftsChannels>;

export interface DraftsOutputs {
  'drafts.get': DraftView | null;
  'drafts.save': { savedAt: string };
  'drafts.clear': { cleared: boolean };
}
