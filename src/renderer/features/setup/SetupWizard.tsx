import { Stepper, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useContractForm } from '../../lib/forms/useContractForm';
import { errorMessage, notifyError } from '../../lib/notify';
import { IpcError } from '../../lib/ipc';
import { AdminStep } from './AdminStep';
import { InstitutionStep } from './InstitutionStep';
import { ModeChoice, ServerStep, type ServerAction, type SetupMode } from './ModeStep';
import { RecoveryKeyStep } from './RecoveryKeyStep';
import { INSTITUTION_FIELDS, SERVER_FIELDS, serverSchema, serverSetupSchema, setupSchema, type ServerValues, type SetupValues } from './setupValues';

/** Main's name of a server field → the wizard's field it lands on (the address is built from host, port…). */
const serverPath = (p: string) => (p === 'url' ? 'host' : p);

/**
 * First run: this PC only or the branch server → institution → administrator → recovery key. Joining the
 * branch already on a server ends at the first step (the sign-in page follows). `resume` starts at the
 * recovery key (setup created, not confirmed).
 */
export function SetupWizard({ resume }: { resume: boolean }) {
  const { t, i18n } = useTranslation();
  const { info, setInfo } = useAppInfo();
  const [mode, setMode] = useState<SetupMode>(info.server ? 'server' : 'local');
  // On the server's path its own step comes first; the institution's fields then have a step of their own.
  const first = mode === 'server' ? 1 : 0;
  const [active, setActive] = useState(resume ? first + 2 : 0);
  const [action, setAction] = useState<ServerAction>('create');
  const [alert, setAlert] = useState<string | null>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [dataDir, setDataDir] = useState(info.dataDir);
  const [server, setServer] = useState(info.server);
  const schema = useMemo(() => setupSchema(t), [t]);
  const onServerSchema = useMemo(() => serverSetupSchema(t), [t]);
  const addressSchema = useMemo(() => serverSchema(t), [t]);
  const initialValues: SetupValues = { institution: '', branch: '', dataDir: '', adminUsername: '', adminName: '', password: '', passwordConfirm: '' };
  const form = useContractForm<SetupValues, typeof schema>(schema, { initialValues, fixed: { locale: info.locale } });
  // The same fields on the server's path, less the data folder.
  const onServerForm = useContractForm<SetupValues, typeof onServerSchema>(onServerSchema, {
    initialValues,
    fixed: { locale: info.locale },
    pick: ({ dataDir: _dataDir, ...rest }) => rest,
  });
  const serverForm = useContractForm<ServerValues, typeof addressSchema>(addressSchema, {
    initialValues: { host: '', port: 5432, database: 'loankeeper', user: 'loankeeper', dbPassword: '', ca: '' },
  });
  const creating = useIpcMutation('setup.create');
  const creatingOnServer = useIpcMutation('setup.createOnServer');
  const joining = useIpcMutation('setup.joinServer');
  const steps = mode === 'server' ? onServerForm : form;

  // A message shown on a field is worded again in the language just chosen (what main said is checked anew).
  useEffect(() => {
    for (const f of [serverForm, steps]) for (const path of Object.keys(f.errors)) f.validateField(path);
    // The forms are stable; the language is what changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [i18n.language]);

  // The proposed data folder fills the field once it is known (not when resuming at the recovery key).
  const proposed = useIpcQuery('setup.defaults', {}, { enabled: !resume }).data?.dataDir;
  useEffect(() => {
    if (proposed && !form.getValues().dataDir) form.setFieldValue('dataDir', proposed);
    // The form object is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [proposed]);

  async function onServerNext() {
    setAlert(null);
    if (serverForm.validate().hasErrors) return;
    if (action === 'create') return setActive(1);
    try {
      setInfo(await joining.mutateAsync({ ...serverForm.toInput()!, locale: info.locale }));
    } catch (e) {
      setAlert(applyRefusal(serverForm, e, serverPath));
    }
  }

  function next() {
    // Every field of the step is checked (by the same schema), so each shows its message at once.
    const failed = INSTITUTION_FIELDS.filter((f) => mode === 'local' || f !== 'dataDir').map((f) => steps.validateField(f).hasError);
    if (!failed.includes(true)) setActive(first + 1);
  }

  async function create() {
    setAlert(null);
    try {
      if (mode === 'server') {
        const out = await creatingOnServer.mutateAsync({ ...serverForm.toInput()!, ...onServerForm.toInput()! });
        setRecoveryKey(out.recoveryKey);
        setServer(out.server);
      } else {
        const out = await creating.mutateAsync(form.toInput()!);
        setRecoveryKey(out.recoveryKey);
        setDataDir(out.dataDir);
      }
      setActive(first + 2);
    } catch (e) {
      refused(e);
    }
  }

  /** Main's refusal on the fields of whichever step holds them; the rest said where it can be fixed. */
  function refused(e: unknown) {
    const onInstitution = e instanceof IpcError && e.issues.some((i) => (INSTITUTION_FIELDS as readonly string[]).includes(i.path));
    if (mode === 'local') {
      if (applyRefusal(form, e)) notifyError(e);
      if (onInstitution) setActive(0);
      return;
    }
    const onAddress = serverIssues(e, SERVER_FIELDS, serverPath).errors;
    const onSteps = serverIssues(e, Object.keys(onServerForm.getValues())).errors;
    serverForm.setErrors(onAddress);
    onServerForm.setErrors(onSteps);
    if (Object.keys(onAddress).length > 0) setActive(0);
    else if (onInstitution) setActive(1);
    else if (Object.keys(onSteps).length === 0) {
      // The server unreachable, a branch already there: said on the first step, where it is put right.
      setAlert(errorMessage(e));
      setActive(0);
    }
  }

  const choice = (
    <ModeChoice
      mode={mode}
      onMode={(m) => {
        setMode(m);
        setAlert(null);
      }}
      disabled={joining.isPending}
    />
  );
  const institution = (
    <InstitutionStep form={steps} withDataDir={mode === 'local'} onBack={mode === 'server' ? () => setActive(0) : undefined} onNext={next}>
      {mode === 'local' && choice}
    </InstitutionStep>
  );
  const done = first + 2;

  return (
    <AuthLayout title={t('setup.title')} width={760}>
      {active < done && (
        <Text c="dimmed" size="sm" mb="lg">
          {t('setup.intro')}
        </Text>
      )}
      <Stepper active={active} onStepClick={(i) => active < done && i < active && setActive(i)} size="sm" allowNextStepsSelect={false}>
        {mode === 'server' && (
          <Stepper.Step label={t('setup.stepServer')}>
            {choice}
            <ServerStep
              action={action}
              onAction={(a) => {
                setAction(a);
                setAlert(null);
              }}
              form={serverForm}
              alert={alert}
              busy={joining.isPending}
              onNext={() => void onServerNext()}
            />
          </Stepper.Step>
        )}
        <Stepper.Step label={t('setup.stepInstitution')}>{institution}</Stepper.Step>
        <Stepper.Step label={t('setup.stepAdmin')}>
          <AdminStep form={steps} busy={creating.isPending || creatingOnServer.isPending} onBack={() => setActive(first)} onCreate={() => void create()} />
        </Stepper.Step>
        <Stepper.Step label={t('setup.stepRecovery')}>
          <RecoveryKeyStep
            recoveryKey={recoveryKey}
            institution={info.institution ?? steps.values.institution}
            dataDir={server ? null : dataDir}
            server={server}
            adminPassword={recoveryKey ? steps.values.password : null}
          />
        </Stepper.Step>
      </Stepper>
    </AuthLayout>
  );
}
