import { Button, Group, Stack, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PathField } from '../../components/PathField';
import type { StepForm } from './setupValues';

interface Props {
  form: StepForm;
  withDataDir: boolean;
  /** None on the first step. */
  onBack?: () => void;
  onNext: () => void;
  /** Shown above the fields (the first step's question: this PC only or the branch server). */
  children?: ReactNode;
}

/** The institution, its branch, and (on this PC only) the data folder. */
export function InstitutionStep({ form, withDataDir, onBack, onNext, children }: Props) {
  const { t } = useTranslation();
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onNext();
      }}
    >
      {children}
      <Stack gap="sm" mt="md">
        <TextInput label={t('setup.institution')} required maxLength={100} data-autofocus autoFocus {...form.getInputProps('institution')} />
        <TextInput label={t('setup.branch')} maxLength={100} {...form.getInputProps('branch')} />
        {withDataDir && (
          <PathField kind="folder" pickTitle={t('setup.dataDir')} onPick={(dir) => form.setFieldValue('dataDir', dir)} label={t('setup.dataDir')} description={t('setup.dataDirHint')} required {...form.getInputProps('dataDir')} />
        )}
        <Group justify={onBack ? 'space-between' : 'flex-end'} mt="sm">
          {onBack && (
            <Button variant="default" onClick={onBack}>
              {t('setup.back')}
            </Button>
          )}
          <Button type="submit">{t('setup.next')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
