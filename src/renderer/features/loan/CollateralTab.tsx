import { ActionIcon, Alert, Badge, Button, Group, Modal, Paper, Radio, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { CollateralView, LoanDetail } from '../../../shared/ipc/loans';
import { AmountField, DateField, Fact } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
import { parseYuan, yuan } from '../../lib/money';
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

function FormModal({ title, busy, onClose, onSubmit, children, size }: { title: string; busy: boolean; onClose: () => void; onSubmit: () => void; children: React.ReactNode; size?: string }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={title} centered size={size}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="sm">
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('portfolio.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AddCollateralModal({ loanId, onClose, onSaved }: { loanId: number; onClose: () => void; onSaved: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState(
    { kind: 'mortgage' as 'mortgage' | 'pledge', type: '', description: '', owner: '', registrationAuthority: '', registrationNo: '', value: '', valuedOn: todayIn() },
    (path) => (path === 'valueFen' ? 'value' : path.split('.')[0]),
  );
  const [certs, setCerts] = useState<{ certNo: string; certType: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const v = form.values;

  async function submit() {
    const value = parseYuan(v.value, t, locale);
    const valuedOn = dateError(v.valuedOn, t);
    const req = (k: 'type' | 'description' | 'owner') => (v[k].trim() ? {} : { [k]: t('validation.required') });
    const errors = { ...req('type'), ...req('description'), ...req('owner'), ...(value.error ? { value: value.error } : {}), ...(valuedOn ? { valuedOn } : {}) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      onSaved(
        await invoke('collateral.add', {
          loanId,
          kind: v.kind,
          type: v.type.trim(),
          description: v.description.trim(),
          owner: v.owner.trim(),
          registrationAuthority: v.registrationAuthority.trim(),
          registrationNo: v.registrationNo.trim(),
          valueFen: value.fen!,
          valuedOn: v.valuedOn.trim(),
          certificates: certs.filter((c) => c.certNo.trim()).map((c) => ({ certNo: c.certNo.trim(), certType: c.certType.trim() || v.type.trim() })),
        }),
      );
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }

  return (
    <FormModal title={t('loan.collateral.add')} busy={busy} onClose={onClose} onSubmit={() => void submit()} size="lg">
      <Radio.Group label={t('loan.collateral.kind')} value={v.kind} onChange={(k) => form.set('kind', k as 'mortgage' | 'pledge')}>
        <Group mt={6}>
          <Radio value="mortgage" label={t('portfolio.guaranteeMode.mortgage')} />
          <Radio value="pledge" label={t('portfolio.guaranteeMode.pledge')} />
        </Group>
      </Radio.Group>
      <SimpleGrid cols={2}>
        <TextInput label={t('loan.collateral.type')} placeholder={t('loan.collateral.typeHint')} required maxLength={30} data-autofocus {...form.text('type')} />
        <TextInput label={t('loan.collateral.owner')} required maxLength={100} {...form.text('owner')} />
      </SimpleGrid>
      <Textarea label={t('loan.collateral.description')} required autosize minRows={2} maxLength={300} {...form.text('description')} />
      <SimpleGrid cols={2}>
        <TextInput label={t('loan.collateral.registrationAuthority')} maxLength={100} {...form.text('registrationAuthority')} />
        <TextInput label={t('loan.collateral.registrationNo')} maxLength={60} {...form.text('registrationNo')} />
        <AmountField label={t('loan.collateral.value')} required words {...form.text('value')} />
        <DateField label={t('loan.collateral.valuedOn')} required {...form.text('valuedOn')} />
      </SimpleGrid>
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {t('loan.collateral.certificates')}
        </Text>
        {certs.map((c, i) => (
          <Group key={i} gap="xs" wrap="nowrap">
            <TextInput
              aria-label={t('loan.collateral.certNo')}
              placeholder={t('loan.collateral.certNo')}
              size="xs"
              maxLength={60}
              style={{ flex: 1 }}
              value={c.certNo}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setCerts((cs) => cs.map((x, j) => (j === i ? { ...x, certNo: value } : x)));
              }}
            />
            <TextInput
              aria-label={t('loan.collateral.certType')}
              placeholder={t('loan.collateral.certType')}
              size="xs"
              maxLength={30}
              style={{ flex: 1 }}
              value={c.certType}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setCerts((cs) => cs.map((x, j) => (j === i ? { ...x, certType: value } : x)));
              }}
            />
            <ActionIcon variant="subtle" color="red" aria-label={t('portfolio.remove')} title={t('portfolio.remove')} onClick={() => setCerts((cs) => cs.filter((_, j) => j !== i))}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button size="compact-xs" variant="light" disabled={certs.length >= 20} onClick={() => setCerts((cs) => [...cs, { certNo: '', certType: '' }])}>
            {t('loan.collateral.addCert')}
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}

function RevalueModal({ item, onClose, onSaved }: { item: CollateralView; onClose: () => void; onSaved: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState({ value: '', valuedOn: todayIn(), note: '' }, (path) => (path === 'valueFen' ? 'value' : path));
  const [busy, setBusy] = useState(false);
  async function submit() {
    const value = parseYuan(form.values.value, t, locale);
    const valuedOn = dateError(form.values.valuedOn, t);
    const errors = { ...(value.error ? { value: value.error } : {}), ...(valuedOn ? { valuedOn } : {}) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      onSaved(await invoke('collateral.revalue', { collateralId: item.id, valueFen: value.fen!, valuedOn: form.values.valuedOn.trim(), note: form.values.note.trim() }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <FormModal title={t('loan.collateral.revalueTitle', { description: item.description })} busy={busy} onClose={onClose} onSubmit={() => void submit()}>
      <AmountField label={t('loan.collateral.value')} required words data-autofocus {...form.text('value')} />
      <DateField label={t('loan.collateral.valuedOn')} required {...form.text('valuedOn')} />
      <Textarea label={t('loan.collateral.note')} autosize minRows={2} maxLength={300} {...form.text('note')} />
    </FormModal>
  );
}

function CustodyModal({ cert, onClose, onSaved }: { cert: CollateralView['certificates'][number]; onClose: () => void; onSaved: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const form = useFormState({ custody: (cert.custody === 'vault' ? 'lent' : 'vault') as Custody, reason: '' });
  const [busy, setBusy] = useState(false);
  async function submit() {
    if (!form.values.reason.trim()) return form.setErrors({ reason: t('validation.required') });
    setBusy(true);
    try {
      onSaved(await invoke('collateral.setCustody', { certificateId: cert.id, custody: form.values.custody, reason: form.values.reason.trim() }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <FormModal title={t('loan.collateral.custodyTitle', { certNo: cert.certNo })} busy={busy} onClose={onClose} onSubmit={() => void submit()}>
      <Select
        label={t('loan.collateral.custody')}
        required
        data={(['vault', 'lent', 'returned'] as const).map((c) => ({ value: c, label: t(`loan.collateral.custodyState.${c}`) }))}
        value={form.values.custody}
        allowDeselect={false}
        error={form.errors.custody}
        onChange={(x) => x && form.set('custody', x as Custody)}
      />
      <Textarea label={t('loan.collateral.reason')} required autosize minRows={2} maxLength={300} data-autofocus {...form.text('reason')} />
    </FormModal>
  );
}
