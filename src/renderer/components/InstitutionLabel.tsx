import { Text, type TextProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../lib/appInfo';

/** "Institution · Branch" from AppInfo, and the branch server when this PC works on one; nothing before setup. */
export function InstitutionLabel(props: TextProps) {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  if (!info.institution) return null;
  return (
    <Text {...props}>
      {info.institution}
      {info.branch ? ` · ${info.branch}` : ''}
      {info.server && (
        <Text span inherit ff="monospace" data-testid="server-label">
          {` · ${t('app.onServer', { server: info.server })}`}
        </Text>
      )}
    </Text>
  );
}
