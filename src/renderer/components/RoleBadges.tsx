import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../shared/permissions';

export function RoleBadges({ roles }: { roles: readonly Role[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {roles.map((r) => (
        <Badge key={r} variant="light" size="sm" radius="sm">
          {t(`roles.${r}`)}
        </Badge>
      ))}
    </Group>
  );
}
