import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The body of the "printing failed" notification: main's reason and the way out through a PDF reader. */
export function PrintFailedNotice({ message, onOpen }: { message: string; onOpen: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  return (
    <Stack gap={6} align="flex-start" data-testid="print-failed">
      <Text size="sm">{message}</Text>
      <Button
        size="xs"
        variant="light"
        loading={busy}
        onClick={async () => {
          setBusy(true);
          await onOpen();
          setBusy(false);
        }}
      >
        {t('print.openInReader')}
      </Button>
    </Stack>
  );
}
