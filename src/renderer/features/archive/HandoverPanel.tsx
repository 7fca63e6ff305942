import { Alert, Button, Checkbox, Group, Paper, ScrollArea, Select, SimpleGrid, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { contract } from '../../../shared/ipc/contract';
import { LoanStatusBadge } from '../../components/PortfolioBadges';
import { downloadBase64 } from '../../lib/download';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuan } from '../../lib/money';
import { notifyError } from '../../lib/notify';
import { notifyPrinted, printPdf } from '../collections/printPdf';
import { useOfficers } from '../loans/loanTerms';

interface Done {
  count: number;
  from: string;
  to: string;
  pdf: { fileName: string; base64: string };
}

type Values = { from: string; picked: number[]; to: string; reason: string };

/** The reassignment's own rules, with the page's: the officer handing over is chosen and is not the receiver. */
function handoverSchema(t: TFunction) {
  return contract['loans.reassign']
    .extend({ from: z.string().min(1) })
    .superRefine((v, ctx) => {
      if (v.from && v.toOfficer === v.from) ctx.addIssue({ code: 'custom', path: ['toOfficer'], message: t('handoverUi.sameOfficer'), params: { worded: true } });
    })
    .transform(({ from: _from, ...input }) => input);
}
const pick = ({ from, picked, to, reason }: Values) => ({ from, loanIds: picked, toOfficer: to, reason });
const mapPath = (path: string) => (path.startsWith('loanIds') ? 'picked' : path === 'toOfficer' ? 'to' : path.split('.')[0]);

/** 贷款移交: a supervisor moves loans from one officer to another and prints the handover list (移交清单). */
export function HandoverPanel() {
  const { t } = useTranslation();
  const officers = useOfficers();
  const schema = useMemo(() => handoverSchema(t), [t]);
  const form = useContractForm<Values, typeof schema>(schema, { initialValues: { from: '', picked: [], to: '', reason: '' }, pick, mapPath });
  const [done, setDone] = useState<Done | null>(null);
  const v = form.values;
  const name = (u: string) => officers.find((o) => o.username === u)?.displayName ?? u;
  // The officer's loans; a handover refetches them (loans.reassign writes the loans' feature).
  const list = useIpcQuery(
    'loans.list',
    { query: '', officer: v.from, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc', limit: 1000, offset: 0 },
    { enabled: !!v.from },
  );
  const loans = v.from ? (list.data?.rows ?? null) : null;
  const reassign = useIpcMutation('loans.reassign');
  const printing = useMutation({
    mutationFn: (pdf: Done['pdf']) => printPdf({ title: pdf.fileName.replace(/\.pdf$/i, ''), fileName: pdf.fileName, parts: [pdf.base64] }),
    onSuccess: notifyPrinted,
    onError: notifyError,
  });

  function toggle(id: number, on: boolean) {
    form.setFieldValue('picked', on ? [...v.picked, id] : v.picked.filter((x) => x !== id));
  }

  async function submit() {
    const input = form.toInput()!;
    try {
      const pdf = await reassign.mutateAsync(input);
      setDone({ count: input.loanIds.length, from: name(v.from), to: name(v.to), pdf });
      form.setValues({ picked: [], reason: '' });
    } catch (e) {
      if (applyRefusal(form, e)) notifyError(e);
    }
  }

  const all = loans !== null && loans.length > 0 && v.picked.length === loans.length;
  return (
    <Stack gap="md" maw={1100}>
      <Text size="sm" c="dimmed">
        {t('handoverUi.hint')}
      </Text>
      {done && (
        <Alert color="green" title={t('handoverUi.done')} data-testid="handover-done" withCloseButton onClose={() => setDone(null)}>
          <Stack gap="xs">
            <Text size="sm">{t('handoverUi.doneText', { count: done.count, from: done.from, to: done.to })}</Text>
            <Group gap="xs">
              <Button size="xs" loading={printing.isPending} onClick={() => printing.mutate(done.pdf)}>
                {t('handoverUi.print')}
              </Button>
              <Button size="xs" variant="default" onClick={() => downloadBase64(done.pdf.base64, done.pdf.fileName, 'application/pdf')}>
                {t('handoverUi.download')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <Paper withBorder p="md">
        <form noValidate onSubmit={form.onSubmit(() => void submit())}>
          <Stack gap="sm">
            <SimpleGrid cols={2}>
              <Select
                label={t('handoverUi.from')}
                required
                searchable
                data={officers.map((o) => ({ value: o.username, label: o.displayName }))}
                value={v.from || null}
                error={form.errors.from}
                onChange={(x) => {
                  form.setValues({ from: x ?? '', picked: [] });
                  form.clearFieldError('from');
                }}
              />
              <Select
                label={t('handoverUi.to')}
                required
                searchable
                data={officers.filter((o) => o.username !== v.from).map((o) => ({ value: o.username, label: o.displayName }))}
                value={v.to || null}
                error={form.errors.to}
                onChange={(x) => form.setFieldValue('to', x ?? '')}
              />
            </SimpleGrid>
            <Stack gap={4}>
              <Group justify="space-between">
                <Text size="sm" fw={500}>
                  {t('handoverUi.loans')}
                </Text>
                {loans && loans.length > 0 && (
                  <Group gap="md">
                    <Text size="sm" c="dimmed" data-testid="handover-count">
                      {t('handoverUi.selected', { count: v.picked.length })}
                    </Text>
                    <Checkbox label={t('handoverUi.selectAll')} checked={all} indeterminate={v.picked.length > 0 && !all} onChange={(e) => form.setFieldValue('picked', e.currentTarget.checked ? loans.map((l) => l.id) : [])} />
                  </Group>
                )}
              </Group>
              <Paper withBorder>
                {!loans ? (
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    {t('handoverUi.chooseFrom')}
                  </Text>
                ) : loans.length === 0 ? (
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    {t('handoverUi.noLoans')}
                  </Text>
                ) : (
                  <ScrollArea.Autosize mah={320}>
                    <Table fz="sm" verticalSpacing={4} striped highlightOnHover data-testid="handover-loans">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th w={36} />
                          <Table.Th>{t('archiveUi.contractNo')}</Table.Th>
                          <Table.Th>{t('archiveUi.borrower')}</Table.Th>
                          <Table.Th ta="right">{t('handoverUi.balance')}</Table.Th>
                          <Table.Th>{t('handoverUi.status')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {loans.map((l) => (
                          <Table.Tr key={l.id} data-contract={l.contractNo}>
                            <Table.Td>
                              <Checkbox aria-label={l.contractNo} checked={v.picked.includes(l.id)} onChange={(e) => toggle(l.id, e.currentTarget.checked)} />
                            </Table.Td>
                            <Table.Td ff="monospace">{l.contractNo}</Table.Td>
                            <Table.Td>{l.borrowerName}</Table.Td>
                            <Table.Td ta="right" ff="monospace">
                              {yuan(l.balanceFen)}
                            </Table.Td>
                            <Table.Td>
                              <LoanStatusBadge status={l.status} />
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollArea.Autosize>
                )}
              </Paper>
              {form.errors.picked && (
                <Text size="xs" c="red">
                  {form.errors.picked}
                </Text>
              )}
            </Stack>
            <Textarea label={t('handoverUi.reason')} required maxLength={500} autosize minRows={2} {...form.getInputProps('reason')} />
            <Group justify="flex-end">
              <Button type="submit" loading={reassign.isPending}>
                {t('handoverUi.submit', { count: v.picked.length })}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
