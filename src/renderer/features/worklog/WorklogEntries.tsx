import { Badge, Button, Group, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { wordWorklogEntry } from '../../../shared/i18n/worklogWords';
import type { WorklogView } from '../../../shared/ipc/worklog';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { contract } from '../../../shared/ipc/contract';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDateTime, formatDay } from '../../lib/format';
import { useNav } from '../../lib/nav';
import { notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { useStaffNames } from '../inspections/names';
import { to } from '../../routes/links';

interface Props {
  entries: WorklogView[];
  /** Show the borrower column (lists across borrowers). */
  withBorrower?: boolean;
  onChange: (entry: WorklogView) => void;
  testId: string;
}

/** Work-log entries, newest first, with the supervisor's comment or the button to write it. */
export function WorklogEntries({ entries, withBorrower = false, onChange, testId }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const me = useSession().username;
  const name = useStaffNames();
  const canComment = useCan('worklog.comment');
  const [commenting, setCommenting] = useState<WorklogView | null>(null);
  if (entries.length === 0) {
    return (
      <Text c="dimmed" size="sm" ta="center" py="md" data-testid={testId}>
        {t('worklogUi.empty')}
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={withBorrower ? 1100 : 900}>
        <Table fz="sm" verticalSpacing={6} striped data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={130}>{t('worklogUi.entryDate')}</Table.Th>
              {withBorrower && <Table.Th>{t('worklogUi.borrower')}</Table.Th>}
              <Table.Th w={110}>{t('worklogUi.kind')}</Table.Th>
              <Table.Th>{t('worklogUi.content')}</Table.Th>
              <Table.Th>{t('worklogUi.loan')}</Table.Th>
              <Table.Th>{t('worklogUi.author')}</Table.Th>
              <Table.Th w={300}>{t('worklogUi.comment')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={`${e.source}-${e.id}`} data-entry-id={e.id} data-source={e.source}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(e.entryDate, locale)}</Table.Td>
                {withBorrower && (
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" px={0} onClick={() => nav.navigate(to.worklog(e.borrowerId))}>
                      {e.borrowerName}
                    </Button>
                  </Table.Td>
                )}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {e.source === 'worklog' ? (
                    t(`worklog.kind.${e.kind}`)
                  ) : (
                    <Badge size="sm" variant="light" color={e.source === 'promise' ? 'grape' : 'orange'} style={NO_SHRINK}>
                      {t(`worklog.kind.${e.kind}`)}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td miw={240} maw={420} style={{ whiteSpace: 'pre-wrap' }}>
                  {wordWorklogEntry((key, params) => t(key, params ?? {}), e)}
                </Table.Td>
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {e.contractNo ?? '—'}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{name(e.author)}</Table.Td>
                <Table.Td>
                  {e.source !== 'worklog' ? (
                    <Group gap={6} wrap="nowrap">
                      <Text size="xs" c="dimmed">
                        {t('worklogUi.noComment')}
                      </Text>
                      {e.loanId !== null && (
                        <Button size="compact-xs" variant="light" onClick={() => nav.navigate(to.loan(e.loanId!, 'collections'))}>
                          {t('worklogUi.openCollections')}
                        </Button>
                      )}
                    </Group>
                  ) : e.supervisorComment ? (
                    <Stack gap={0}>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                        {e.supervisorComment}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {name(e.commentedBy)} · {e.commentedAt ? formatDateTime(e.commentedAt, locale) : ''}
                      </Text>
                    </Stack>
                  ) : (
                    // The state and the button on one line, the deadline under them: the button never runs off the table.
                    <Stack gap={2}>
                      <Group gap={6} wrap="nowrap">
                        <Badge size="sm" variant={e.commentOverdue ? 'filled' : 'light'} color={e.commentOverdue ? 'red' : 'gray'} style={NO_SHRINK}>
                          {e.commentOverdue ? t('worklog.commentOverdue') : t('worklogUi.awaitingComment')}
                        </Badge>
                        {canComment && e.author !== me && (
                          <Button size="compact-xs" style={NO_SHRINK} onClick={() => setCommenting(e)}>
                            {t('worklogUi.commentAction')}
                          </Button>
                        )}
                      </Group>
                      {e.commentDue && (
                        <Text size="xs" c={e.commentOverdue ? 'red.7' : 'dimmed'}>
                          {t('worklogUi.commentDue', { date: formatDay(e.commentDue, locale) })}
                        </Text>
                      )}
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {commenting && (
        <CommentModal
          entry={commenting}
          onClose={() => setCommenting(null)}
          onDone={(e) => {
            setCommenting(null);
            notifySuccess(t('worklogUi.commentSaved'));
            onChange(e);
          }}
        />
      )}
    </>
  );
}

function CommentModal({ entry, onClose, onDone }: { entry: WorklogView; onClose: () => void; onDone: (e: WorklogView) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ comment: string }, (typeof contract)['worklog.comment']>(contract['worklog.comment'], { initialValues: { comment: '' }, fixed: { entryId: entry.id } });
  const save = useIpcMutation('worklog.comment');
  return (
    <ModalForm
      title={t('worklogUi.commentTitle')}
      size="lg"
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('worklogUi.commentSave')}
      cancelLabel={t('worklogUi.cancel')}
      onSubmit={async () => onDone(await save.mutateAsync(form.toInput()!))}
    >
      <Text size="sm" c="dimmed">
        {entry.borrowerName} · {t(`worklog.kind.${entry.kind}`) as string}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {entry.content}
      </Text>
      <Textarea label={t('worklogUi.comment')} required autosize minRows={2} maxLength={1000} data-autofocus {...form.getInputProps('comment')} />
    </ModalForm>
  );
}
