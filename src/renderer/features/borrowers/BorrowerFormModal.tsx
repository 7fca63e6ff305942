import { Alert, Button, Group, Radio, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { isValidCreditCode, isValidResidentId } from '../../../shared/domain';
import { borrowerFields, checkId, TIERS, type Borrower, type PartyKind, type Tier } from '../../../shared/ipc/borrowers';
import type { ErrorRef } from '../../../shared/ipc/errors';
import { AmountField } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation } from '../../lib/data/useIpc';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { IpcError } from '../../lib/ipc';
import { fenToInput } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { to } from '../../routes/links';

interface Props {
  /** Absent: a new borrower. */
  borrower?: Borrower;
  onClose: () => void;
  onSaved: (borrower: Borrower) => void;
}

/** The instant check of an ID number, once all 18 characters are typed. */
export function idNumberError(kind: PartyKind, idNumber: string, t: (k: 'validation.residentId' | 'validation.creditCode') => string, complete = false): string | undefined {
  const v = idNumber.trim().toUpperCase();
  if (v.length < 18 && !complete) return undefined;
  if (kind === 'person') return isValidResidentId(v) ? undefined : t('validation.residentId');
  return isValidCreditCode(v) ? undefined : t('validation.creditCode');
}

type Values = {
  kind: PartyKind;
  name: string;
  idNumber: string;
  phone: string;
  address: string;
  employer: string;
  legalRep: string;
  industry: string;
  /** Yuan as typed. */
  registeredCapitalFen: string;
  tier: Tier;
};

/** A person has an employer; an enterprise a legal representative, an industry and a registered capital. */
const forKind = (v: Values) =>
  v.kind === 'person' ? { ...v, legalRep: '', industry: '', registeredCapitalFen: '' } : { ...v, employer: '' };

export function BorrowerFormModal({ borrower, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  // The contract's own fields and ID check; only the capital is typed in yuan.
  const schema = useMemo(
    () => z.object({ ...(borrower ? { id: z.number() } : {}), ...borrowerFields, registeredCapitalFen: yuanField(borrowerFields.registeredCapitalFen, { t, locale, emptyAs: null }) }).strict().superRefine(checkId),
    [borrower, t, locale],
  );
  const form = useContractForm<Values, typeof schema>(schema, {
    initialValues: {
      kind: borrower?.kind ?? 'person',
      name: borrower?.name ?? '',
      idNumber: borrower?.idNumber ?? '',
      phone: borrower?.phone ?? '',
      address: borrower?.address ?? '',
      employer: borrower?.employer ?? '',
      legalRep: borrower?.legalRep ?? '',
      industry: borrower?.industry ?? '',
      registeredCapitalFen: fenToInput(borrower?.registeredCapitalFen ?? null),
      tier: borrower?.tier ?? 'normal',
    },
    fixed: borrower ? { id: borrower.id } : {},
    pick: forKind,
  });
  const create = useIpcMutation('borrowers.create');
  const update = useIpcMutation('borrowers.update');
  const [existing, setExisting] = useState<{ ref: ErrorRef; message: string } | null>(null);
  const v = form.values;
  const person = v.kind === 'person';
  const liveIdError = idNumberError(v.kind, v.idNumber, t);

  async function save() {
    setExisting(null);
    const input = form.toInput()!;
    try {
      onSaved(borrower ? await update.mutateAsync({ ...input, id: borrower.id }) : await create.mutateAsync(input));
    } catch (e) {
      // Already registered: say so with a way to the existing record, and keep the dialog.
      if (!(e instanceof IpcError && e.ref?.entity === 'borrower')) throw e;
      setExisting({ ref: e.ref, message: e.message });
      form.setErrors(serverIssues(e, Object.keys(v)).errors);
    }
  }

  return (
    <ModalForm
      title={borrower ? t('borrowers.editTitle', { name: borrower.name }) : t('borrowers.add')}
      size="lg"
      onClose={onClose}
      form={form}
      busy={create.isPending || update.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={save}
    >
      <Radio.Group label={t('borrowers.kind')} {...form.getInputProps('kind')}>
        <Group mt={6}>
          <Radio value="person" label={t('portfolio.kind.person')} />
          <Radio value="enterprise" label={t('portfolio.kind.enterprise')} />
        </Group>
      </Radio.Group>
      <SimpleGrid cols={2}>
        <TextInput label={person ? t('borrowers.personName') : t('borrowers.enterpriseName')} required maxLength={100} data-autofocus {...form.getInputProps('name')} />
        <TextInput
          label={person ? t('borrowers.residentId') : t('borrowers.creditCode')}
          required
          maxLength={18}
          autoComplete="off"
          classNames={{ input: 'lk-mono-input' }}
          {...form.getInputProps('idNumber')}
          error={form.errors.idNumber ?? liveIdError}
        />
        <TextInput label={t('borrowers.phone')} maxLength={30} {...form.getInputProps('phone')} />
        <Select
          label={t('borrowers.tier')}
          data={TIERS.map((x) => ({ value: x, label: t(`portfolio.tier.${x}`) }))}
          allowDeselect={false}
          {...form.getInputProps('tier')}
          onChange={(x) => x && form.setFieldValue('tier', x as Tier)}
        />
      </SimpleGrid>
      <TextInput label={t('borrowers.address')} maxLength={200} {...form.getInputProps('address')} />
      {person ? (
        <TextInput label={t('borrowers.employer')} maxLength={100} {...form.getInputProps('employer')} />
      ) : (
        <SimpleGrid cols={3}>
          <TextInput label={t('borrowers.legalRep')} maxLength={50} {...form.getInputProps('legalRep')} />
          <TextInput label={t('borrowers.industry')} maxLength={50} {...form.getInputProps('industry')} />
          <AmountField label={t('borrowers.registeredCapital')} {...form.getInputProps('registeredCapitalFen')} value={v.registeredCapitalFen} />
        </SimpleGrid>
      )}
      {existing && (
        <Alert color="orange" variant="light">
          <Stack gap="xs" align="flex-start">
            {existing.message}
            <Button
              size="compact-sm"
              variant="light"
              onClick={() => {
                onClose();
                nav.navigate(to.borrower(existing.ref.id));
              }}
            >
              {t('borrowers.openExisting')}
            </Button>
          </Stack>
        </Alert>
      )}
    </ModalForm>
  );
}
