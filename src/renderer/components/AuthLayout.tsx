import { Box, Container, Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { InstitutionLabel } from './InstitutionLabel';
import { LanguageSwitch } from './LanguageSwitch';

/** Full-page frame for the screens before the workspace: setup, sign-in, lock, forced password change. */
export function AuthLayout({ title, width = 440, children }: { title: string; width?: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="space-between" px="lg" h={52} bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group gap="md">
          <Text fw={700} size="lg" c="blue.8">
            {t('app.name')}
          </Text>
          <InstitutionLabel c="dimmed" size="sm" />
        </Group>
        <LanguageSwitch />
      </Group>
      <Container size={width} py={40} px="md">
        <Paper withBorder shadow="xs" p="xl" radius="md">
          <Title order={2} size="h3" mb="lg">
            {title}
          </Title>
          {children}
        </Paper>
      </Container>
    </Box>
  );
}
