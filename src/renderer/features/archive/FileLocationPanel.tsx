import { Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileLocationView, LendingView } from '../../../shared/ipc/archive';
import { contract } from '../../../shared/ipc/contract';
import { ModalForm } from '../../components/ModalForm';
import { Fact } from '../../components/Fields';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDateTime, formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { notifyPrinted, printPdf } from '../collections/printPdf';
import { useUserNames } from '../../lib/userNames';

/** Where the loan's paper file is kept, who has borrowed it, and its box label and cover. */
export function FileLocationPanel({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const canManage = useCan('archive.manage');
  // A location saved refetches it (the archive feature's reads).
  const location = useIpcQuery('archive.location', { loanId }).data;
  const lendings = useIpcQuery('archive.lendings', { status: 'all' }, { select: (all: LendingView[]) => all.filter((l) => l.loanId === loanId) }).data ?? null;
  const [editing, setEditing] = useState(false);
  const printing = useMutation({
    mutationFn: async () => {
      const pdf = await invoke('archive.labelsPdf', { loanIds: [loanId] });
      return printPdf({ title: pdf.fileName.replace(/\.pdf$/i, ''), fileName: pdf.fileName, parts: [pdf.base64] });
    },
    onSuccess: notifyPrinted,
    onError: notifyError,
  });

  const out = lendings?.find((l) => !l.returnedOn);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {t('documentsUi.location')}
        </Title>
        <Group gap="xs">
          <Button size="xs" variant="default" loading={printing.isPending} onClick={() => printing.mutate()}>
            {t('documentsUi.printCover')}
          </Button>
          {canManage && (
            <Button size="xs" variant="light" onClick={() => setEditing(true)}>
              {t('documentsUi.setLocation')}
            </Button>
          )}
        </Group>
      </Group>
      <Paper withBorder p="sm" data-testid="file-location">
        {location === undefined ? null : location === null ? (
          <Text size="sm" c="dimmed">
            {t('documentsUi.noLocation')}
          </Text>
        ) : (
          <>
            <SimpleGrid cols={4} spacing="sm">
              <Fact label={t('documentsUi.room')}>{location.room}</Fact>
              <Fact label={t('documentsUi.cabinet')}>{location.cabinet}</Fact>
              <Fact label={t('documentsUi.shelf')}>{location.shelf}</Fact>
              <Fact label={t('documentsUi.box')}>{location.box}</Fact>
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt={6}>
              {t('documentsUi.updated', { by: who(location.updatedBy), at: formatDateTime(location.updatedAt, locale) })}
            </Text>
          </>
        )}
        {out && (
          <Badge color={out.overdue ? 'red' : 'orange'} variant="light" mt="xs" style={NO_SHRINK}>
            {t('documentsUi.outNow', { user: who(out.borrowerUser), due: formatDay(out.dueBack, locale) })}
          </Badge>
        )}
      </Paper>
      <Text size="sm" fw={600} mt="xs">
        {t('documentsUi.lendings')}
      </Text>
      {lendings && lendings.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('documentsUi.lendingsEmpty')}
        </Text>
      ) : (
        <LendingTable rows={lendings ?? []} compact />
      )}
      {editing && (
        <LocationModal
          loanId={loanId}
          initial={location ?? null}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            notifySuccess(t('documentsUi.locationSaved'));
          }}
        />
      )}
    </Stack>
  );
}

export function lendingState(l: LendingView): 'returned' | 'overdue' | 'out' {
  return l.returnedOn ? 'returned' : l.overdue ? 'overdue' : 'out';
}
const STATE_COLORS = { returned: 'gray', overdue: 'red', out: 'orange' } as const;

export function LendingBadge({ l }: { l: LendingView }) {
  const { t } = useTranslation();
  const s = lendingState(l);
  return (
    <Badge size="sm" color={STATE_COLORS[s]} variant={s === 'overdue' ? 'filled' : 'light'} style={NO_SHRINK}>
      {t(`archiveUi.lendingState.${s}`)}
    </Badge>
  );
}

/** The lending register's rows; `compact` leaves out the loan (one loan's history). */
export function LendingTable({ rows, compact = false, onReturn, onOpen }: { rows: LendingView[]; compact?: boolean; onReturn?: (l: LendingView) => void; onOpen?: (l: LendingView) => void }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  return (
    <Table.ScrollContainer minWidth={compact ? 420 : 1000}>
      <Table fz="sm" verticalSpacing={4} striped data-testid={compact ? 'loan-lendings' : 'lendings'}>
        <Table.Thead>
          <Table.Tr>
            {!compact && <Table.Th>{t('archiveUi.contractNo')}</Table.Th>}
            {!compact && <Table.Th>{t('archiveUi.borrower')}</Table.Th>}
            <Table.Th>{t('archiveUi.borrowerUser')}</Table.Th>
            <Table.Th>{t('archiveUi.purpose')}</Table.Th>
            <Table.Th>{t('archiveUi.lentOn')}</Table.Th>
            <Table.Th>{t('archiveUi.dueBack')}</Table.Th>
            <Table.Th>{t('archiveUi.returnedOn')}</Table.Th>
            <Table.Th>{t('archiveUi.state')}</Table.Th>
            {onReturn && <Table.Th>{t('portfolio.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((l) => (
            <Table.Tr key={l.id} data-contract={l.contractNo}>
              {!compact && (
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {onOpen ? (
                    <Button variant="subtle" size="compact-sm" ff="monospace" px={0} onClick={() => onOpen(l)}>
                      {l.contractNo}
                    </Button>
                  ) : (
                    l.contractNo
                  )}
                </Table.Td>
              )}
              {!compact && <Table.Td>{l.borrowerName}</Table.Td>}
              <Table.Td>{who(l.borrowerUser)}</Table.Td>
              <Table.Td>{l.purpose}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(l.lentOn, locale)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(l.dueBack, locale)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{l.returnedOn ? formatDay(l.returnedOn, locale) : '—'}</Table.Td>
              <Table.Td>
                <LendingBadge l={l} />
              </Table.Td>
              {onReturn && (
                <Table.Td>
                  {!l.returnedOn && (
                    <Button size="compact-xs" variant="light" onClick={() => onReturn(l)}>
                      {t('archiveUi.returnFile')}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function LocationModal({ loanId, initial, onClose, onSaved }: { loanId: number; initial: FileLocationView | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ room: string; cabinet: string; shelf: string; box: string }, (typeof contract)['archive.setLocation']>(contract['archive.setLocation'], {
    initialValues: { room: initial?.room ?? '', cabinet: initial?.cabinet ?? '', shelf: initial?.shelf ?? '', box: initial?.box ?? '' },
    fixed: { loanId },
  });
  const save = useIpcMutation('archive.setLocation');
  return (
    <ModalForm
      title={t('documentsUi.setLocation')}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        onSaved();
      }}
    >
      <SimpleGrid cols={2}>
        <TextInput label={t('documentsUi.room')} required maxLength={40} data-autofocus {...form.getInputProps('room')} />
        <TextInput label={t('documentsUi.cabinet')} required maxLength={40} {...form.getInputProps('cabinet')} />
        <TextInput label={t('documentsUi.shelf')} required maxLength={40} {...form.getInputProps('shelf')} />
        <TextInput label={t('documentsUi.box')} required maxLength={40} {...form.getInputProps('box')} />
      </SimpleGrid>
    </ModalForm>
  );
}
