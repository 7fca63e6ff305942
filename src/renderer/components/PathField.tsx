import { Button, Group, Text, TextInput, type TextInputProps } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../lib/ipc';
import { notifyError } from '../lib/notify';

// Once main says there is no system dialog (test bridge), every picker button stays off.
let dialogsAvailable = true;

interface PathFieldProps extends TextInputProps {
  kind: 'folder' | 'file';
  pickTitle: string;
  filters?: { name: string; extensions: string[] }[];
  onPick: (path: string) => void;
}

/** A path typed by hand, with a button for the system's folder or file picker where the shell has one. */
export function PathField({ kind, pickTitle, filters = [], onPick, ...input }: PathFieldProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  const [available, setAvailable] = useState(dialogsAvailable);
  const [picking, setPicking] = useState(false);
  const [note, setNote] = useState(false);

  async function pick() {
    setPicking(true);
    try {
      const current = typeof input.value === 'string' && input.value.trim() ? input.value.trim() : undefined;
      const r = kind === 'folder' ? await invoke('shell.pickFolder', { title: pickTitle, defaultPath: current }) : await invoke('shell.pickFile', { title: pickTitle, defaultPath: current, filters });
      if (!r.available) {
        dialogsAvailable = false;
        setAvailable(false);
        setNote(true);
        ref.current?.focus();
      } else if (r.path) onPick(r.path);
    } catch (e) {
      notifyError(e);
    } finally {
      setPicking(false);
    }
  }

  return (
    <TextInput
      ref={ref}
      autoComplete="off"
      classNames={{ input: 'lk-mono-input' }}
      {...input}
      description={
        note ? (
          <>
            {input.description}
            {input.description ? ' ' : null}
            <Text span inherit c="orange.8">
              {t('pathField.unavailable')}
            </Text>
          </>
        ) : (
          input.description
        )
      }
      inputContainer={(children) => (
        <Group gap="xs" wrap="nowrap" align="center">
          <div style={{ flex: 1 }}>{children}</div>
          <Button variant="default" onClick={() => void pick()} loading={picking} disabled={!available || input.disabled}>
            {kind === 'folder' ? t('pathField.pickFolder') : t('pathField.pickFile')}
          </Button>
        </Group>
      )}
    />
  );
}
