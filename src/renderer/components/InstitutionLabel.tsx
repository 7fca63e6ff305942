import { Text, type TextProps } from '@mantine/core';
import { useAppInfo } from '../lib/appInfo';

/** "Institution · Branch" from AppInfo; nothing before setup. */
export function InstitutionLabel(props: TextProps) {
  const { info } = useAppInfo();
  if (!info.institution) return null;
  return (
    <Text {...props}>
      {info.institution}
      {info.branch ? ` · ${info.branch}` : ''}
    </Text>
  );
}
