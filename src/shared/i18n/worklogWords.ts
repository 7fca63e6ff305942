import { formatFen } from '../domain/money';
import type { WorklogView } from '../ipc/worklog';
import type { MessageKey } from './index';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * An entry's text in the catalogue's language: a written entry as written; a collection contact as how, whom
 * and the outcome, then its note; a promise to pay as how much by when, then its note.
 */
export function wordWorklogEntry(t: Translate, e: Pick<WorklogView, 'content' | 'contact' | 'promise'>): string {
  const note = (head: string) => (e.content ? t('worklogWords.withNote', { head, note: e.content }) : head);
  if (e.contact) {
    return note(
      t('worklogWords.contact', {
        channel: t(`collectionsUi.channelLabel.${e.contact.channel}`),
        target: e.contact.target,
        outcome: t(`collectionsUi.outcomeLabel.${e.contact.outcome}`),
      }),
    );
  }
  if (e.promise) return note(t('worklogWords.promise', { amount: formatFen(e.promise.amountFen), date: e.promise.promiseDate }));
  return e.content;
}
