import { ActionIcon, Alert, Badge, Button, Group, Paper, Radio, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import type { CollateralView, LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField, Fact } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation } from '../../lib/data/useIpc';
import { DraftNotice } from '../../lib/forms/DraftNotice';
import { useDraft } from '../../lib/forms/drafts';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { formatDay } from '../../lib/format';
import { yuan } from '../../lib/money';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';

type Custody = 'vault' | 'lent' | 'returned';

const paren = (text: string, locale: string) => (locale === 'en' ? ` (${text})` : `（${text}）`);
const CUSTODY_COLORS: Record<Custody, string> = { vault: 'green', lent: 'orange', returned: 'gray' };

interface Props {
  detail: LoanDetail;
  onChange: (detail: LoanDetail) => void;
}

type Dialog = { kind: 'add' } | { kind: 'revalue'; item: CollateralView } | { kind: 'custody'; cert: CollateralView['certificates'][number] };

export function CollateralTab({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const canWrite = useCan('portfolio.write');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const done = (d: LoanDetail) => {
    setDialog(null);
    onChange(d);
    notifySuccess(t('loan.collateral.saved'));
  };
  return (
    <Stack gap="sm">
      {canWrite && (
        <Group justify="flex-end">
          <Button size="xs" onClick={() => setDialog({ kind: 'add' })}>
            {t('loan.collateral.add')}
          </Button>
        </Group>
      )}
      {detail.collateral.length === 0 && (
        <Text c="dimmed" size="sm" ta="center" py="md">
          {t('loan.collateral.empty')}
        </Text>
      )}
      {detail.collateral.map((c) => (
        <CollateralCard
          key={c.id}
          item={c}
          onRevalue={canWrite ? () => setDialog({ kind: 'revalue', item: c }) : null}
          onCustody={canWrite ? (cert) => setDialog({ kind: 'custody', cert }) : null}
        />
      ))}
      {dialog?.kind === 'add' && <AddCollateralModal loanId={detail.loan.id} onClose={() => setDialog(null)} onSaved={done} />}
      {dialog?.kind === 'revalue' && <RevalueModal item={dialog.item} onClose={() => setDialog(null)} onSaved={done} />}
      {dialog?.kind === 'custody' && <CustodyModal cert={dialog.cert} onClose={() => setDialog(null)} onSaved={done} />}
    </Stack>
  );
}

function CollateralCard({ item, onRevalue, onCustody }: { item: CollateralView; onRevalue: (() => void) | null; onCustody: ((cert: CollateralView['certificates'][number]) => void) | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const latest = item.valuations.at(-1);
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Badge variant="light" radius="sm">
              {t(`portfolio.guaranteeMode.${item.kind}`)}
            </Badge>
            <Text fw={600} size="sm">
              {item.type}
            </Text>
            <Text size="sm">{item.description}</Text>
          </Group>
          {onRevalue && (
            <Button size="compact-xs" variant="light" onClick={onRevalue}>
              {t('loan.collateral.revalue')}
            </Button>
          )}
        </Group>
        {item.ltvOverLimit && (
          <Alert color="red" variant="filled" py={6} data-testid="ltv-over">
            {t('loan.collateral.ltvOver', { ltv: item.ltvPercent ?? '' })}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="sm">
          <Fact label={t('loan.collateral.owner')}>{item.owner}</Fact>
          <Fact label={t('loan.collateral.registrationAuthority')}>{item.registrationAuthority || '—'}</Fact>
          <Fact label={t('loan.collateral.registrationNo')}>{item.registrationNo || '—'}</Fact>
          <Fact label={t('loan.collateral.latestValue')}>{latest ? `${yuan(latest.valueFen)}${paren(formatDay(latest.valuedOn, locale), locale)}` : t('loan.collateral.noValue')}</Fact>
          <Fact label={t('loan.collateral.ltv')}>
            <Text size="sm" fw={600} c={item.ltvOverLimit ? 'red.7' : undefined}>
              {item.ltvPercent === null ? '—' : t('portfolio.percent', { value: item.ltvPercent })}
            </Text>
          </Fact>
        </SimpleGrid>
        {item.valuations.length > 1 && (
          <Text size="xs" c="dimmed">
            {t('loan.collateral.valuations')}
            {locale === 'en' ? ': ' : '：'}
            {item.valuations.map((v) => `${formatDay(v.valuedOn, locale)} ${yuan(v.valueFen)}${v.note ? paren(v.note, locale) : ''}`).join(locale === 'en' ? '; ' : '；')}
          </Text>
        )}
        {item.certificates.length > 0 && (
          <Table fz="sm" verticalSpacing={3}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('loan.collateral.certNo')}</Table.Th>
                <Table.Th>{t('loan.collateral.certType')}</Table.Th>
                <Table.Th>{t('loan.collateral.custody')}</Table.Th>
                {onCustody && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {item.certificates.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td ff="monospace">{c.certNo}</Table.Td>
                  <Table.Td>{c.certType}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="dot" color={CUSTODY_COLORS[c.custody]}>
                      {t(`loan.collateral.custodyState.${c.custody}`)}
                    </Badge>
                  </Table.Td>
                  {onCustody && (
                    <Table.Td>
                      <Button size="compact-xs" variant="subtle" onClick={() => onCustody(c)}>
                        {t('loan.collateral.setCustody')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

type Cert = { certNo: string; certType: string };
type AddValues = {
  kind: 'mortgage' | 'pledge';
  type: string;
  description: string;
  owner: string;
  registrationAuthority: string;
  registrationNo: string;
  valueFen: string;
  valuedOn: string;
  certificates: Cert[];
};

const addSchema = contract['collateral.add'];
/** Rows left without a number are not certificates; a certificate's type defaults to the collateral's. */
const pickAdd = (v: AddValues) => ({ ...v, certificates: v.certificates.filter((c) => c.certNo.trim()).map((c) => ({ certNo: c.certNo, certType: c.certType.trim() || v.type })) });

function AddCollateralModal({ loanId, onClose, onSaved }: { loanId: number; onClose: () => void; onSaved: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => addSchema.extend({ valueFen: yuanField(addSchema.shape.valueFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<AddValues, typeof schema>(schema, {
    initialValues: { kind: 'mortgage', type: '', description: '', owner: '', registrationAuthority: '', registrationNo: '', valueFen: '', valuedOn: todayIn(), certificates: [] },
    fixed: { loanId },
    pick: pickAdd,
  });
  // A long form: what is typed is kept as a draft until it is saved.
  const draft = useDraft(`collateral:loan:${loanId}`, form);
  const save = useIpcMutation('collateral.add');
  const v = form.values;
  if (!draft.ready) return null;

  return (
    <ModalForm
      title={t('loan.collateral.add')}
      size="lg"
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        const d = await save.mutateAsync(form.toInput()!);
        await draft.clear();
        onSaved(d);
      }}
    >
      <DraftNotice draft={draft} />
      <Radio.Group label={t('loan.collateral.kind')} {...form.getInputProps('kind')}>
        <Group mt={6}>
          <Radio value="mortgage" label={t('portfolio.guaranteeMode.mortgage')} />
          <Radio value="pledge" label={t('portfolio.guaranteeMode.pledge')} />
        </Group>
      </Radio.Group>
      <SimpleGrid cols={2}>
        <TextInput label={t('loan.collateral.type')} placeholder={t('loan.collateral.typeHint')} required maxLength={30} data-autofocus {...form.getInputProps('type')} />
        <TextInput label={t('loan.collateral.owner')} required maxLength={100} {...form.getInputProps('owner')} />
      </SimpleGrid>
      <Textarea label={t('loan.collateral.description')} required autosize minRows={2} maxLength={300} {...form.getInputProps('description')} />
      <SimpleGrid cols={2}>
        <TextInput label={t('loan.collateral.registrationAuthority')} maxLength={100} {...form.getInputProps('registrationAuthority')} />
        <TextInput label={t('loan.collateral.registrationNo')} maxLength={60} {...form.getInputProps('registrationNo')} />
        <AmountField label={t('loan.collateral.value')} required words {...form.getInputProps('valueFen')} value={v.valueFen} />
        <BusinessDateInput label={t('loan.collateral.valuedOn')} required {...form.getInputProps('valuedOn')} value={v.valuedOn} />
      </SimpleGrid>
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {t('loan.collateral.certificates')}
        </Text>
        {v.certificates.map((_, i) => (
          <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
            <TextInput
              aria-label={t('loan.collateral.certNo')}
              placeholder={t('loan.collateral.certNo')}
              size="xs"
              maxLength={60}
              style={{ flex: 1 }}
              {...form.getInputProps(`certificates.${i}.certNo`)}
            />
            <TextInput
              aria-label={t('loan.collateral.certType')}
              placeholder={t('loan.collateral.certType')}
              size="xs"
              maxLength={30}
              style={{ flex: 1 }}
              {...form.getInputProps(`certificates.${i}.certType`)}
            />
            <ActionIcon variant="subtle" color="red" aria-label={t('portfolio.remove')} title={t('portfolio.remove')} onClick={() => form.removeListItem('certificates', i)}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button size="compact-xs" variant="light" disabled={v.certificates.length >= 20} onClick={() => form.insertListItem('certificates', { certNo: '', certType: '' })}>
            {t('loan.collateral.addCert')}
          </Button>
        </Group>
      </Stack>
    </ModalForm>
  );
}

const revalueSchema = contract['collateral.revalue'];

function RevalueModal({ item, onClose, onSaved }: { item: CollateralView; onClose: () => void; onSaved: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => revalueSchema.extend({ valueFen: yuanField(revalueSchema.shape.valueFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<{ valueFen: string; valuedOn: string; note: string }, typeof schema>(schema, {
    initialValues: { valueFen: '', valuedOn: todayIn(), note: '' },
    fixed: { collateralId: item.id },
  });
  const save = useIpcMutation('collateral.revalue');
  return (
    <ModalForm
      title={t('loan.collateral.revalueTitle', { description: item.description })}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onSaved(await save.mutateAsync(form.toInput()!))}
    >
      <AmountField label={t('loan.collateral.value')} required words data-autofocus {...form.getInputProps('valueFen')} value={form.values.valueFen} />
      <BusinessDateInput label={t('loan.collateral.valuedOn')} required {...form.getInputProps('valuedOn')} value={form.values.valuedOn} />
      <Textarea label={t('loan.collateral.note')} autosize minRows={2} maxLength={300} {...form.getInputProps('note')} />
    </ModalForm>
  );
}

const custodySchema = contract['collateral.setCustody'];

function CustodyModal({ cert, onClose, onSaved }: { cert: CollateralView['certificates'][number]; onClose: () => void; onSaved: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ custody: Custody; reason: string }, typeof custodySchema>(custodySchema, {
    initialValues: { custody: cert.custody === 'vault' ? 'lent' : 'vault', reason: '' },
    fixed: { certificateId: cert.id },
  });
  const save = useIpcMutation('collateral.setCustody');
  return (
    <ModalForm
      title={t('loan.collateral.custodyTitle', { certNo: cert.certNo })}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onSaved(await save.mutateAsync(form.toInput()!))}
    >
      <Select
        label={t('loan.collateral.custody')}
        required
        data={(['vault', 'lent', 'returned'] as const).map((c) => ({ value: c, label: t(`loan.collateral.custodyState.${c}`) }))}
        allowDeselect={false}
        {...form.getInputProps('custody')}
      />
      <Textarea label={t('loan.collateral.reason')} required autosize minRows={2} maxLength={300} data-autofocus {...form.getInputProps('reason')} />
    </ModalForm>
  );
}
