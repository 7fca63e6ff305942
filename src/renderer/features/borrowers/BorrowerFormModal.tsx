import { Alert, Button, Group, Modal, Radio, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isValidCreditCode, isValidResidentId } from '../../../shared/domain';
import { TIERS, type Borrower, type PartyKind, type Tier } from '../../../shared/ipc/borrowers';
import type { ErrorRef } from '../../../shared/ipc/errors';
import { AmountField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { invoke, IpcError } from '../../lib/ipc';
import { fenToInput, parseYuan } from '../../lib/money';
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

export function BorrowerFormModal({ borrower, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const form = useFormState({
    kind: (borrower?.kind ?? 'person') as PartyKind,
    name: borrower?.name ?? '',
    idNumber: borrower?.idNumber ?? '',
    phone: borrower?.phone ?? '',
    address: borrower?.address ?? '',
    employer: borrower?.employer ?? '',
    legalRep: borrower?.legalRep ?? '',
    industry: borrower?.industry ?? '',
    registeredCapital: fenToInput(borrower?.registeredCapitalFen ?? null),
    tier: (borrower?.tier ?? 'normal') as Tier,
  });
  const [busy, setBusy] = useState(false);
  const [existing, setExisting] = useState<{ ref: ErrorRef; message: string } | null>(null);
  const v = form.values;
  const person = v.kind === 'person';
  const liveIdError = idNumberError(v.kind, v.idNumber, t);

  async function submit() {
    const capital = person ? { fen: null, error: null } : parseYuan(v.registeredCapital, t, locale, { optional: true });
    const errors = {
      ...(v.name.trim() ? {} : { name: t('validation.required') }),
      ...(v.idNumber.trim() ? {} : { idNumber: t('validation.required') }),
      ...(v.idNumber.trim() && idNumberError(v.kind, v.idNumber, t, true) ? { idNumber: idNumberError(v.kind, v.idNumber, t, true) } : {}),
      ...(capital.error ? { registeredCapital: capital.error } : {}),
    };
    form.setErrors(errors);
    setExisting(null);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    const input = {
      kind: v.kind,
      name: v.name.trim(),
      idNumber: v.idNumber.trim().toUpperCase(),
      phone: v.phone.trim(),
      address: v.address.trim(),
      employer: person ? v.employer.trim() : '',
      legalRep: person ? '' : v.legalRep.trim(),
      industry: person ? '' : v.industry.trim(),
      registeredCapitalFen: capital.fen,
      tier: v.tier,
    };
    try {
      onSaved(borrower ? await invoke('borrowers.update', { id: borrower.id, ...input }) : await invoke('borrowers.create', input));
    } catch (e) {
      if (e instanceof IpcError && e.ref?.entity === 'borrower') setExisting({ ref: e.ref, message: e.message });
      form.handleError(e);
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title={borrower ? t('borrowers.editTitle', { name: borrower.name }) : t('borrowers.add')} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Radio.Group label={t('borrowers.kind')} value={v.kind} onChange={(k) => form.set('kind', k as PartyKind)}>
            <Group mt={6}>
              <Radio value="person" label={t('portfolio.kind.person')} />
              <Radio value="enterprise" label={t('portfolio.kind.enterprise')} />
            </Group>
          </Radio.Group>
          <SimpleGrid cols={2}>
            <TextInput label={person ? t('borrowers.personName') : t('borrowers.enterpriseName')} required maxLength={100} data-autofocus {...form.text('name')} />
            <TextInput
              label={person ? t('borrowers.residentId') : t('borrowers.creditCode')}
              required
              maxLength={18}
              autoComplete="off"
              classNames={{ input: 'lk-mono-input' }}
              {...form.text('idNumber')}
              error={form.errors.idNumber ?? liveIdError}
            />
            <TextInput label={t('borrowers.phone')} maxLength={30} {...form.text('phone')} />
            <Select
              label={t('borrowers.tier')}
              data={TIERS.map((x) => ({ value: x, label: t(`portfolio.tier.${x}`) }))}
              value={v.tier}
              allowDeselect={false}
              onChange={(x) => x && form.set('tier', x as Tier)}
            />
          </SimpleGrid>
          <TextInput label={t('borrowers.address')} maxLength={200} {...form.text('address')} />
          {person ? (
            <TextInput label={t('borrowers.employer')} maxLength={100} {...form.text('employer')} />
          ) : (
            <SimpleGrid cols={3}>
              <TextInput label={t('borrowers.legalRep')} maxLength={50} {...form.text('legalRep')} />
              <TextInput label={t('borrowers.industry')} maxLength={50} {...form.text('industry')} />
              <AmountField label={t('borrowers.registeredCapital')} {...form.text('registeredCapital')} />
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
          <Group justify="flex-end" mt="xs">
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
