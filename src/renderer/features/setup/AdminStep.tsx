import { Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StepForm } from './setupValues';
import { PasswordField } from '../../components/PasswordField';

interface Props {
  form: StepForm;
  busy: boolean;
  onBack: () => void;
  onCreate: () => void;
}

export function AdminStep({ form, busy, onBack, onCreate }: Props) {
  const { t } = useTranslation();
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(() => onCreate())}
    >
      <Stack gap="sm" mt="md">
        <SimpleGrid cols={2}>
          <TextInput label={t('setup.adminUsername')} required autoComplete="off" autoFocus maxLength={32} {...form.getInputProps('adminUsername')} />
          <TextInput label={t('setup.adminName')} required maxLength={50} {...form.getInputProps('adminName')} />
          <PasswordField label={t('setup.password')} description={t('setup.passwordHint')} required autoComplete="new-password" {...form.getInputProps('password')} />
          <PasswordField label={t('setup.passwordConfirm')} description=" " required autoComplete="new-password" {...form.getInputProps('passwordConfirm')} />
        </SimpleGrid>
        <Group justify="space-between" mt="sm">
          <Button variant="default" onClick={onBack} disabled={busy}>
            {t('setup.back')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('setup.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
