import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../appInfo';
import { formatDateTime } from '../format';
import type { Draft } from './drafts';

/** Says that the form opened with a draft kept from before, with a way to drop it. Nothing when there is none. */
export function DraftNotice({ draft }: { draft: Draft }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!draft.restoredAt) return null;
  return (
    <Alert color="yellow" variant="light" data-testid="draft-restored">
      <Group justify="space-between" gap="sm">
        <Text size="sm">{t('forms.draftRestored', { time: formatDateTime(draft.restoredAt, locale) })}</Text>
        <Button size="compact-xs" variant="subtle" color="gray" onClick={draft.discard}>
          {t('forms.discardDraft')}
        </Button>
      </Group>
    </Alert>
  );
}
