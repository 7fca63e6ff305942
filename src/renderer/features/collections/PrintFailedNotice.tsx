import { Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

/** The body of the "printing failed" notification: main's reason and the way out through a PDF reader. */
export function PrintFailedNotice({ message, onOpen }: { message: string; onOpen: () => Promise<unknown> }) {
  const { t } = useTranslation();
  // The reader is opened by the caller's call (a channel already chosen); its busy state is the mutation's.
  const open = useMutation({ mutationFn: onOpen });
  return (
    <Stack gap={6} align="flex-start" data-testid="print-failed">
      <Text size="sm">{message}</Text>
      <Button
        size="xs"
        variant="light"
        loading={open.isPending}
        onClick={() => open.mutate()}
      >
        {t('print.openInReader')}
      </Button>
    </Stack>
  );
}
