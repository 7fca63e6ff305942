import { Stepper, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { notifyError } from '../../lib/notify';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { IpcError } from '../../lib/ipc';
import { AdminStep } from './AdminStep';
import { InstitutionStep } from './InstitutionStep';
import { RecoveryKeyStep } from './RecoveryKeyStep';
import { INSTITUTION_FIELDS, setupSchema, type SetupValues } from './setupValues';

/** First run: institution → administrator → recovery key. `resume` starts at the recovery key (setup created, not confirmed). */
export function SetupWizard({ resume }: { resume: boolean }) {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  const [active, setActive] = useState(resume ? 2 : 0);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [dataDir, setDataDir] = useState(info.dataDir ?? '');
  const schema = useMemo(() => setupSchema(t), [t]);
  const form = useContractForm<SetupValues, typeof schema>(schema, {
    initialValues: { institution: '', branch: '', dataDir: '', adminUsername: '', adminName: '', password: '', passwordConfirm: '' },
    fixed: { locale: info.locale },
  });
  const creating = useIpcMutation('setup.create');

  // The proposed data folder fills the field once it is known (not when resuming at the recovery key).
  const proposed = useIpcQuery('setup.defaults', {}, { enabled: !resume }).data?.dataDir;
  useEffect(() => {
    if (proposed && !form.getValues().dataDir) form.setFieldValue('dataDir', proposed);
    // The form object is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [proposed]);

  function next() {
    // Every field of the step is checked (by the same schema), so each shows its message at once.
    const failed = INSTITUTION_FIELDS.map((f) => form.validateField(f).hasError);
    if (!failed.includes(true)) setActive(1);
  }

  async function create() {
    try {
      const out = await creating.mutateAsync(form.toInput()!);
      setRecoveryKey(out.recoveryKey);
      setDataDir(out.dataDir);
      setActive(2);
    } catch (e) {
      const rest = applyRefusal(form, e);
      if (rest) notifyError(e);
      if (e instanceof IpcError && e.issues.some((i) => (INSTITUTION_FIELDS as readonly string[]).includes(i.path))) setActive(0);
    }
  }

  return (
    <AuthLayout title={t('setup.title')} width={760}>
      {active < 2 && (
        <Text c="dimmed" size="sm" mb="lg">
          {t('setup.intro')}
        </Text>
      )}
      <Stepper active={active} onStepClick={(i) => active < 2 && i < active && setActive(i)} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t('setup.stepInstitution')}>
          <InstitutionStep form={form} onNext={next} />
        </Stepper.Step>
        <Stepper.Step label={t('setup.stepAdmin')}>
          <AdminStep form={form} busy={creating.isPending} onBack={() => setActive(0)} onCreate={() => void create()} />
        </Stepper.Step>
        <Stepper.Step label={t('setup.stepRecovery')}>
          <RecoveryKeyStep
            recoveryKey={recoveryKey}
            institution={info.institution ?? form.values.institution}
            dataDir={dataDir}
            adminPassword={recoveryKey ? form.values.password : null}
          />
        </Stepper.Step>
      </Stepper>
    </AuthLayout>
  );
}
