import { useTranslation } from 'react-i18next';

/** The words mantine-datatable shows, in the user's language. */
export function useTableText() {
  const { t } = useTranslation();
  return {
    noRecordsText: t('portfolio.empty'),
    loadingText: t('portfolio.loading'),
    paginationText: ({ from, to, totalRecords }: { from: number; to: number; totalRecords: number }) => t('portfolio.range', { from, to, total: totalRecords }),
    getPaginationControlProps: (control: 'first' | 'last' | 'previous' | 'next') => ({ 'aria-label': t(`app.${control}Page`) }),
  };
}
