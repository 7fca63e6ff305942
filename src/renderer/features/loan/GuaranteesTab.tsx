import { Button, Group, Radio, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkId, type PartyKind } from '../../../shared/ipc/borrowers';
import { contract } from '../../../shared/ipc/contract';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { formatDay } from '../../lib/format';
import { yuan } from '../../lib/money';
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

type Values = { kind: PartyKind; name: string; idNumber: string; phone: string; address: string; guaranteeType: 'general' | 'joint'; amountFen: string; periodEnd: string };

const add = contract['guarantees.add'];
/** The guarantor's fields sit at the top of the form; the call takes them as one object. */
const pick = ({ kind, name, idNumber, phone, address, ...rest }: Values) => ({ guarantor: { kind, name, idNumber, phone, address }, ...rest });
const mapPath = (path: string) => path.replace(/^guarantor\./, '');

function GuarantorModal({ detail, onClose, onSaved }: { detail: LoanDetail; onClose: () => void; onSaved: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  // The contract's own schema, the guarantor's ID checked against its kind; the amount typed in yuan.
  const schema = useMemo(() => add.extend({ guarantor: add.shape.guarantor.superRefine(checkId), amountFen: yuanField(add.shape.amountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<Values, typeof schema>(schema, {
    initialValues: { kind: 'person', name: '', idNumber: '', phone: '', address: '', guaranteeType: 'joint', amountFen: '', periodEnd: '' },
    fixed: { loanId: detail.loan.id },
    pick,
    mapPath,
  });
  const save = useIpcMutation('guarantees.add');
  const v = form.values;

  return (
    <ModalForm
      title={t('loan.guarantees.add')}
      size="lg"
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      mapPath={mapPath}
      onSubmit={async () => onSaved(await save.mutateAsync(form.toInput()!))}
    >
      <Radio.Group label={t('loan.guarantees.kind')} {...form.getInputProps('kind')}>
        <Group mt={6}>
          <Radio value="person" label={t('portfolio.kind.person')} />
          <Radio value="enterprise" label={t('portfolio.kind.enterprise')} />
        </Group>
      </Radio.Group>
      <SimpleGrid cols={2}>
        <TextInput label={t('loan.guarantees.name')} required maxLength={100} data-autofocus {...form.getInputProps('name')} />
        <TextInput
          label={t('loan.guarantees.idNumber')}
          required
          maxLength={18}
          classNames={{ input: 'lk-mono-input' }}
          {...form.getInputProps('idNumber')}
          error={form.errors.idNumber ?? idNumberError(v.kind, v.idNumber, t)}
        />
        <TextInput label={t('loan.guarantees.phone')} maxLength={30} {...form.getInputProps('phone')} />
        <TextInput label={t('loan.guarantees.address')} maxLength={200} {...form.getInputProps('address')} />
        <Select
          label={t('loan.guarantees.type')}
          required
          data={[
            { value: 'general', label: t('loan.guarantees.general') },
            { value: 'joint', label: t('loan.guarantees.joint') },
          ]}
          allowDeselect={false}
          {...form.getInputProps('guaranteeType')}
        />
        <AmountField label={t('loan.guarantees.amount')} required words {...form.getInputProps('amountFen')} value={v.amountFen} />
        <BusinessDateInput label={t('loan.guarantees.periodEnd')} required {...form.getInputProps('periodEnd')} value={v.periodEnd} />
      </SimpleGrid>
    </ModalForm>
  );
}
