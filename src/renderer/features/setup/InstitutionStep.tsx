import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PathField } from '../../components/PathField';
import type { SetupForm } from './setupValues';

export function InstitutionStep({ form, onNext }: { form: SetupForm; onNext: () => void }) {
  const { t } = useTranslation();
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onNext();
      }}
    >
      <Stack gap="sm" mt="md">
        <TextInput label={t('setup.institution')} required maxLength={100} data-autofocus autoFocus {...form.getInputProps('institution')} />
        <TextInput label={t('setup.branch')} maxLength={100} {...form.getInputProps('branch')} />
        <PathField kind="folder" pickTitle={t('setup.dataDir')} onPick={(dir) => form.setFieldValue('dataDir', dir)} label={t('setup.dataDir')} description={t('setup.dataDirHint')} required {...form.getInputProps('dataDir')} />
        <Group justify="flex-end" mt="sm">
          <Button type="submit">{t('setup.next')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
