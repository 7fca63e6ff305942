import { Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoanListRow } from '../../../shared/ipc/loans';
import { Fact } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { formatDate } from '../../lib/format';
import { useIpcQuery } from '../../lib/data/useIpc';
import { yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useLoanColumns } from '../loans/loanColumns';
import { BorrowerFormModal } from './BorrowerFormModal';
import { RelatedPartiesSection } from './RelatedPartiesSection';
import { TIER_COLORS } from './BorrowersPage';
import { to } from '../../routes/links';

export function BorrowerDetailPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const canWrite = useCan('portfolio.write');
  const [editing, setEditing] = useState(false);
  const columns = useLoanColumns(null, false, false);
  const borrower = useIpcQuery('borrowers.get', { id }).data ?? null;
  const loans = useIpcQuery('loans.list', { query: '', borrowerId: id, officer: null, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc', limit: 200, offset: 0 }).data?.rows ?? null;

  if (!borrower) return <Loader aria-label={t('app.loading')} />;
  const person = borrower.kind === 'person';
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Button variant="subtle" size="compact-sm" onClick={nav.back}>
            {t('portfolio.back')}
          </Button>
          <Title order={2} size="h3">
            {borrower.name}
          </Title>
          <Badge variant="light" radius="sm">
            {t(`portfolio.kind.${borrower.kind}`)}
          </Badge>
          <Badge variant="light" radius="sm" color={TIER_COLORS[borrower.tier]}>
            {t(`portfolio.tier.${borrower.tier}`)}
          </Badge>
        </Group>
        {canWrite && (
          <Group gap="sm" wrap="nowrap">
            <Button variant="default" onClick={() => setEditing(true)}>
              {t('borrowers.edit')}
            </Button>
            <Button onClick={() => nav.navigate(to.newLoan('loan', borrower.id))}>{t('borrowers.newLoan')}</Button>
            {!person && (
              <Button variant="light" onClick={() => nav.navigate(to.newLoan('factoring', borrower.id))}>
                {t('borrowers.newFactoring')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" verticalSpacing="sm">
          <Fact label={person ? t('borrowers.residentId') : t('borrowers.creditCode')}>
            <Text ff="monospace" size="sm">
              {borrower.idNumber}
            </Text>
          </Fact>
          <Fact label={t('borrowers.phone')}>{borrower.phone || '—'}</Fact>
          <Fact label={t('borrowers.address')}>{borrower.address || '—'}</Fact>
          {person ? (
            <Fact label={t('borrowers.employer')}>{borrower.employer || '—'}</Fact>
          ) : (
            <>
              <Fact label={t('borrowers.legalRep')}>{borrower.legalRep || '—'}</Fact>
              <Fact label={t('borrowers.industry')}>{borrower.industry || '—'}</Fact>
              <Fact label={t('borrowers.registeredCapital')}>{borrower.registeredCapitalFen === null ? '—' : yuan(borrower.registeredCapitalFen)}</Fact>
            </>
          )}
          <Fact label={t('borrowers.createdAt')}>{formatDate(borrower.createdAt, locale)}</Fact>
        </SimpleGrid>
      </Paper>
      <RelatedPartiesSection borrowerId={borrower.id} />
      <Title order={3} size="h4">
        {t('borrowers.detailLoans')}
      </Title>
      <Paper withBorder>
        <DataTable<LoanListRow>
          minHeight={loans?.length ? undefined : 150}
          striped
          highlightOnHover
          fz="sm"
          verticalSpacing={6}
          records={loans ?? []}
          fetching={loans === null}
          noRecordsText={t('borrowers.noLoans')}
          onRowClick={({ record }) => nav.navigate(to.loan(record.id))}
          columns={columns}
        />
      </Paper>
      {editing && (
        <BorrowerFormModal
          borrower={borrower}
          onClose={() => setEditing(false)}
          onSaved={() => {
            // The write refetches this borrower and its loans (useIpcMutation).
            setEditing(false);
            notifySuccess(t('borrowers.saved'));
          }}
        />
      )}
    </Stack>
  );
}
