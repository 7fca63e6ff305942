import { Alert, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RoleBadges } from '../../components/RoleBadges';
import { useAppInfo } from '../../lib/appInfo';
import { BackupStatusCard } from '../backups/BackupStatusCard';
import { CalendarNotice } from '../inspections/CalendarNotice';
import { TodayPage } from '../today/TodayPage';

export function HomePage() {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  const session = info.session!;
  const adminOnly = session.roles.length === 1 && session.roles[0] === 'admin';
  const admin = session.permissions.includes('settings.manage');
  // Business roles start the day on 我的工作台; the administrator keeps the system facts.
  if (session.permissions.includes('portfolio.read')) {
    return admin ? (
      <Stack gap="md">
        <Stack gap="sm" maw={960}>
          <CalendarNotice />
          <BackupStatusCard />
        </Stack>
        <TodayPage />
      </Stack>
    ) : (
      <TodayPage />
    );
  }
  return (
    <Stack gap="md" maw={960}>
      <Title order={2} size="h3">
        {t('home.welcome', { name: session.displayName })}
      </Title>
      {adminOnly && (
        <Alert color="blue" variant="light">
          {t('home.adminOnly')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <Fact label={t('home.institution')}>
          <Text fw={600}>{info.institution}</Text>
          {info.branch && <Text size="sm">{info.branch}</Text>}
        </Fact>
        <Fact label={t('home.roles')}>
          <RoleBadges roles={session.roles} />
        </Fact>
        <Fact label={info.server ? t('home.server') : t('home.dataDir')}>
          <Text ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
            {info.server ?? info.dataDir}
          </Text>
        </Fact>
      </SimpleGrid>
      {admin && <CalendarNotice />}
      {admin && <BackupStatusCard />}
      <Text size="xs" c="dimmed">
        {t('app.version', { version: info.version })}
      </Text>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" mb={6}>
        {label}
      </Text>
      {children}
    </Paper>
  );
}
