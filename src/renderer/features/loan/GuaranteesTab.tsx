import { Button, Group, Modal, Radio, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartyKind } from '../../../shared/ipc/borrowers';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { AmountField, DateField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
import { parseYuan, yuan } from '../../lib/money';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { idNumberError } from '../borrowers/BorrowerFormModal';

interface Props {
  detail: LoanDetail;
  onChange: (detail: LoanDetail) => void;
}

export function GuaranteesTab({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('portfolio.write');
  const [adding, setAdding] = useState(false);
  const list = detail.guarantees;
  return (
    <Stack gap="sm">
      {canWrite && (
        <Group justify="flex-end">
          <Button size="xs" onClick={() => setAdding(true)}>
            {t('loan.guarantees.add')}
          </Button>
        </Group>
      )}
      {list.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="md">
          {t('loan.guarantees.empty')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={5} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('loan.guarantees.name')}</Table.Th>
              <Table.Th>{t('loan.guarantees.kind')}</Table.Th>
              <Table.Th>{t('loan.guarantees.idNumber')}</Table.Th>
              <Table.Th>{t('loan.guarantees.phone')}</Table.Th>
              <Table.Th>{t('loan.guarantees.type')}</Table.Th>
              <Table.Th ta="right">{t('loan.guarantees.amount')}</Table.Th>
              <Table.Th>{t('loan.guarantees.periodEnd')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>{g.name}</Table.Td>
                <Table.Td>{t(`portfolio.kind.${g.kind}`)}</Table.Td>
                <Table.Td ff="monospace">{g.idNumber}</Table.Td>
                <Table.Td>{g.phone}</Table.Td>
                <Table.Td>{t(`loan.guarantees.${g.guaranteeType}`)}</Table.Td>
                <Table.Td ta="right">{yuan(g.amountFen)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(g.periodEnd, locale)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {adding && (
        <GuarantorModal
          detail={detail}
          onClose={() => setAdding(false)}
          onSaved={(d) => {
            setAdding(false);
            onChange(d);
            notifySuccess(t('loan.guarantees.saved'));
          }}
        />
      )}
    </Stack>
  );
}

function GuarantorModal({ detail, onClose, onSaved }: { detail: LoanDetail; onClose: () => void; onSaved: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState(
    { kind: 'person' as PartyKind, name: '', idNumber: '', phone: '', address: '', guaranteeType: 'joint' as 'general' | 'joint', amount: '', periodEnd: '' },
    (path) => {
      const key = path.replace(/^guarantor\./, '').split('.')[0];
      return key === 'amountFen' ? 'amount' : key;
    },
  );
  const [busy, setBusy] = useState(false);
  const v = form.values;

  async function submit() {
    const amount = parseYuan(v.amount, t, locale);
    const end = dateError(v.periodEnd, t);
    const idError = v.idNumber.trim() ? idNumberError(v.kind, v.idNumber, t, true) : t('validation.required');
    const errors = {
      ...(v.name.trim() ? {} : { name: t('validation.required') }),
      ...(idError ? { idNumber: idError } : {}),
      ...(amount.error ? { amount: amount.error } : {}),
      ...(end ? { periodEnd: end } : {}),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      onSaved(
        await invoke('guarantees.add', {
          loanId: detail.loan.id,
          guarantor: { kind: v.kind, name: v.name.trim(), idNumber: v.idNumber.trim().toUpperCase(), phone: v.phone.trim(), address: v.address.trim() },
          guaranteeType: v.guaranteeType,
          amountFen: amount.fen!,
          periodEnd: v.periodEnd.trim(),
        }),
      );
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title={t('loan.guarantees.add')} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Radio.Group label={t('loan.guarantees.kind')} value={v.kind} onChange={(k) => form.set('kind', k as PartyKind)}>
            <Group mt={6}>
              <Radio value="person" label={t('portfolio.kind.person')} />
              <Radio value="enterprise" label={t('portfolio.kind.enterprise')} />
            </Group>
          </Radio.Group>
          <SimpleGrid cols={2}>
            <TextInput label={t('loan.guarantees.name')} required maxLength={100} data-autofocus {...form.text('name')} />
            <TextInput
              label={t('loan.guarantees.idNumber')}
              required
              maxLength={18}
              classNames={{ input: 'lk-mono-input' }}
              {...form.text('idNumber')}
              error={form.errors.idNumber ?? idNumberError(v.kind, v.idNumber, t)}
            />
            <TextInput label={t('loan.guarantees.phone')} maxLength={30} {...form.text('phone')} />
            <TextInput label={t('loan.guarantees.address')} maxLength={200} {...form.text('address')} />
            <Select
              label={t('loan.guarantees.type')}
              required
              data={[
                { value: 'general', label: t('loan.guarantees.general') },
                { value: 'joint', label: t('loan.guarantees.joint') },
              ]}
              value={v.guaranteeType}
              allowDeselect={false}
              onChange={(x) => x && form.set('guaranteeType', x as 'general' | 'joint')}
            />
            <AmountField label={t('loan.guarantees.amount')} required words {...form.text('amount')} />
            <DateField label={t('loan.guarantees.periodEnd')} required {...form.text('periodEnd')} />
          </SimpleGrid>
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
