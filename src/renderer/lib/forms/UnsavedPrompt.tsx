import { Button, Group, Modal, Text } from '@mantine/core';
import { useBlocker } from '@tanstack/react-router';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Asks before leaving a page whose form has changes not yet saved (the navbar, a link, back). The draft is
 * kept either way (useDraft), so leaving loses nothing; the question is whether the user meant to go.
 * `release()` lets the next navigation through, e.g. to the record a save just created.
 */
export function useUnsavedPrompt(dirty: boolean) {
  const { t } = useTranslation();
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const released = useRef(false);
  const blocker = useBlocker({
    shouldBlockFn: ({ current, next }) => {
      if (released.current) {
        released.current = false;
        return false;
      }
      return dirtyRef.current && (current.pathname !== next.pathname || JSON.stringify(current.search) !== JSON.stringify(next.search));
    },
    enableBeforeUnload: false,
    withResolver: true,
  });
  const prompt = (
    <Modal opened={blocker.status === 'blocked'} onClose={() => blocker.reset?.()} title={t('forms.unsaved.title')} centered>
      <Text size="sm" mb="md">
        {t('forms.unsaved.body')}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" data-autofocus onClick={() => blocker.reset?.()}>
          {t('forms.unsaved.stay')}
        </Button>
        <Button color="orange" onClick={() => blocker.proceed?.()}>
          {t('forms.unsaved.leave')}
        </Button>
      </Group>
    </Modal>
  );
  return {
    prompt,
    release: () => {
      released.current = true;
    },
  };
}
