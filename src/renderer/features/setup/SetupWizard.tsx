import { Stepper, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { notifyError } from '../../lib/notify';
import { useFormState } from '../../lib/form';
import { invoke, IpcError } from '../../lib/ipc';
import { AdminStep } from './AdminStep';
import { InstitutionStep } from './InstitutionStep';
import { RecoveryKeyStep } from './RecoveryKeyStep';
import { validateAdmin, validateInstitution, type SetupValues } from './setupValues';

const INSTITUTION_FIELDS = new Set(['institution', 'branch', 'dataDir']);

/** First run: institution → administrator → recovery key. `resume` starts at the recovery key (setup created, not confirmed). */
export function SetupWizard({ resume }: { resume: boolean }) {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  const [active, setActive] = useState(resume ? 2 : 0);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [dataDir, setDataDir] = useState(info.dataDir ?? '');
  const [busy, setBusy] = useState(false);
  const form = useFormState<SetupValues>({
    institution: '',
    branch: '',
    dataDir: '',
    adminUsername: '',
    adminName: '',
    password: '',
    passwordConfirm: '',
  });
  const { set } = form;

  useEffect(() => {
    if (resume) return;
    invoke('setup.defaults')
      .then((d) => set('dataDir', d.dataDir))
      .catch(notifyError);
  }, []);

  function next() {
    const errors = validateInstitution(form.values, t);
    form.setErrors(errors);
    if (Object.keys(errors).length === 0) setActive(1);
  }

  async function create() {
    const errors = validateAdmin(form.values, t);
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const { passwordConfirm: _confirm, ...values } = form.values;
    setBusy(true);
    try {
      const out = await invoke('setup.create', { ...values, locale: info.locale });
      setRecoveryKey(out.recoveryKey);
      setDataDir(out.dataDir);
      setActive(2);
    } catch (e) {
      form.handleError(e);
      if (e instanceof IpcError && e.issues.some((i) => INSTITUTION_FIELDS.has(i.path))) setActive(0);
    } finally {
      setBusy(false);
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
          <AdminStep form={form} busy={busy} onBack={() => setActive(0)} onCreate={() => void create()} />
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
