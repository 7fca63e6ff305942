import { Alert, Badge, Button, FileButton, Group, NumberInput, Paper, Radio, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isLoopback } from '../../../shared/serverAddress';
import { PasswordField } from '../../components/PasswordField';
import type { ServerForm } from './setupValues';

export type SetupMode = 'local' | 'server';
export type ServerAction = 'create' | 'join';

/** A CA certificate file is a few KB; the channel takes 20,000 characters at most. */
const CA_MAX_BYTES = 20_000;

/** This PC only, or the branch server: the first question of the wizard. */
export function ModeChoice({ mode, onMode, disabled }: { mode: SetupMode; onMode: (m: SetupMode) => void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Radio.Group label={t('setup.modeIntro')} value={mode} onChange={(v) => onMode(v as SetupMode)} mt="md">
      <SimpleGrid cols={2} mt="xs">
        <Radio value="local" label={t('setup.modeLocal')} description={t('setup.modeLocalHint')} disabled={disabled} />
        <Radio value="server" label={t('setup.modeServer')} description={t('setup.modeServerHint')} disabled={disabled} />
      </SimpleGrid>
    </Radio.Group>
  );
}

interface Props {
  action: ServerAction;
  onAction: (a: ServerAction) => void;
  form: ServerForm;
  /** What main said that names no field (server unreachable, already has a branch…). */
  alert: string | null;
  busy: boolean;
  onNext: () => void;
}

/**
 * The branch server: its address, the database password, the branch's CA certificate (required for a server on
 * another PC, always reached over TLS with verify-full), and whether a new branch is set up there or the one
 * already there is joined.
 */
export function ServerStep({ action, onAction, form, alert, busy, onNext }: Props) {
  const { t } = useTranslation();
  const host = form.values.host.trim();
  const local = host === '' || isLoopback(host);

  async function readCa(file: File | null) {
    if (!file) return;
    if (file.size > CA_MAX_BYTES) {
      form.setFieldError('ca', t('setup.server.caFileTooLarge'));
      return;
    }
    form.setFieldValue('ca', await file.text());
    form.validateField('ca');
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onNext();
      }}
    >
      <Stack gap="md" mt="md">
          <Paper withBorder p="md" data-testid="server-fields">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput label={t('setup.server.host')} description={t('setup.server.hostHint')} required maxLength={253} autoComplete="off" spellCheck={false} autoFocus {...form.getInputProps('host')} style={{ gridColumn: 'span 2' }} />
                <NumberInput label={t('setup.server.port')} description=" " required min={1} max={65535} allowDecimal={false} allowNegative={false} thousandSeparator="" {...form.getInputProps('port')} />
                <TextInput label={t('setup.server.database')} required maxLength={63} autoComplete="off" spellCheck={false} {...form.getInputProps('database')} />
                <TextInput label={t('setup.server.user')} required maxLength={63} autoComplete="off" spellCheck={false} {...form.getInputProps('user')} />
                <PasswordField label={t('setup.server.dbPassword')} required maxLength={200} autoComplete="new-password" {...form.getInputProps('dbPassword')} />
              </SimpleGrid>
              <Text size="xs" c="dimmed" mt={-6}>
                {t('setup.server.dbPasswordHint')}
              </Text>
              <Stack gap={4}>
                <Group justify="space-between" align="flex-end">
                  <Group gap="xs">
                    <Text size="sm" fw={500}>
                      {t('setup.server.ca')}
                      {!local && (
                        <Text span c="red" inherit>
                          {' *'}
                        </Text>
                      )}
                    </Text>
                    <Badge size="sm" variant="light" color={local ? 'gray' : 'green'} data-testid="server-tls">
                      {local ? t('setup.server.tlsLocal') : t('setup.server.tlsOn')}
                    </Badge>
                  </Group>
                  <FileButton onChange={(f) => void readCa(f)} accept=".pem,.crt,.cer,application/x-pem-file">
                    {(props) => (
                      <Button size="compact-sm" variant="default" {...props}>
                        {t('setup.server.caPick')}
                      </Button>
                    )}
                  </FileButton>
                </Group>
                <Textarea
                  aria-label={t('setup.server.ca')}
                  description={local ? t('setup.server.caHintLocal') : t('setup.server.caHintRemote')}
                  inputWrapperOrder={['input', 'description', 'error']}
                  placeholder="-----BEGIN CERTIFICATE-----"
                  autosize
                  minRows={3}
                  maxRows={6}
                  maxLength={CA_MAX_BYTES}
                  spellCheck={false}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
                  {...form.getInputProps('ca')}
                />
              </Stack>
              <Radio.Group label={t('setup.server.action')} value={action} onChange={(v) => onAction(v as ServerAction)}>
                <SimpleGrid cols={2} mt="xs">
                  <Radio value="create" label={t('setup.server.create')} description={t('setup.server.createHint')} disabled={busy} />
                  <Radio value="join" label={t('setup.server.join')} description={t('setup.server.joinHint')} disabled={busy} />
                </SimpleGrid>
              </Radio.Group>
            </Stack>
          </Paper>
        {alert && (
          <Alert color="red" variant="light" role="alert" data-testid="setup-alert">
            {alert}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {action === 'join' ? t('setup.server.joinSubmit') : t('setup.next')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
