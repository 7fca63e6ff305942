import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../shared/ipc/app';
import { useAppInfo } from '../lib/appInfo';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const { info, changeLocale } = useAppInfo();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('app.language')}
      value={info.locale}
      onChange={(v) => void changeLocale(v as Locale)}
      data={[
        { value: 'zh-CN', label: t('app.langZh') },
        { value: 'en', label: t('app.langEn') },
      ]}
    />
  );
}
