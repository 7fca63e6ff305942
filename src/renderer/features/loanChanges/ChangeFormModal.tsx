import { Checkbox, Select, SimpleGrid, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ACCELERATION_GROUNDS, REPAYMENT_METHODS, type AccelerationGround, type RepaymentMethod } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import type { LoanChangeView } from '../../../shared/ipc/loanChanges';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { ModalForm } from '../../components/ModalForm';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDay } from '../../lib/format';
import { methodLabel } from '../../lib/labels';

export type ChangeKind = LoanChangeView['kind'];

const TITLE_KEYS = { extension: 'changesUi.applyExtension', restructuring: 'changesUi.applyRestructuring', 'write-off': 'changesUi.proposeWriteOff', acceleration: 'changesUi.accelerationTitle' } as const;
const CHANNEL = { extension: 'changes.applyExtension', restructuring: 'changes.applyRestructuring', 'write-off': 'changes.proposeWriteOff', acceleration: 'changes.applyAcceleration' } as const;

type Values = { newMaturity: string; newRate: string; newMethod: RepaymentMethod; reason: string; evidence: string; grounds: AccelerationGround[] };

/** The fields each application takes. */
const PICK: Record<ChangeKind, (v: Values) => Partial<Values>> = {
  extension: ({ newMaturity, reason }) => ({ newMaturity, reason }),
  restructuring: ({ newMaturity, newRate, newMethod, reason }) => ({ newMaturity, newRate, newMethod, reason }),
  'write-off': ({ reason, evidence }) => ({ reason, evidence }),
  acceleration: ({ grounds, reason }) => ({ grounds, reason }),
};

/**
 * 展期 / 重组 / 核销 / 宣布提前到期 applications, checked by their channel's schema. Main's rules (lead time, maximum term,
 * non-performing only…) come back as messages: on the field they name, or otherwise above the fields.
 */
export function ChangeFormModal({ kind, detail, onClose, onSaved }: { kind: ChangeKind; detail: LoanDetail; onClose: () => void; onSaved: (c: LoanChangeView) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { loan } = detail;
  const channel = CHANNEL[kind];
  const form = useContractForm<Values, (typeof contract)[typeof channel]>(contract[channel], {
    initialValues: { newMaturity: '', newRate: loan.annualRate, newMethod: loan.method as RepaymentMethod, reason: '', evidence: '', grounds: [] },
    fixed: { loanId: loan.id },
    pick: PICK[kind],
  });
  const apply = useIpcMutation(channel);

  return (
    <ModalForm
      title={t(TITLE_KEYS[kind])}
      size="lg"
      onClose={onClose}
      form={form}
      busy={apply.isPending}
      submitLabel={t('changesUi.submit')}
      cancelLabel={t('portfolio.cancel')}
      errorTestId="change-rule-error"
      onSubmit={async () => onSaved(await apply.mutateAsync(form.toInput() as never))}
    >
      {kind !== 'write-off' && (
        <Text size="sm" c="dimmed">
          {t('changesUi.currentMaturity', { date: formatDay(loan.maturityDate, locale) })}
        </Text>
      )}
      {kind === 'acceleration' && (
        <>
          <Text size="sm">{t('changesUi.accelerationHint')}</Text>
          <Checkbox.Group label={t('changesUi.grounds')} required {...form.getInputProps('grounds')} data-testid="acceleration-grounds">
            <SimpleGrid cols={2} spacing={6} mt={6}>
              {ACCELERATION_GROUNDS.map((g) => (
                <Checkbox key={g} value={g} label={t(`changesUi.ground.${g}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
        </>
      )}
      {(kind === 'extension' || kind === 'restructuring') && (
        <SimpleGrid cols={kind === 'restructuring' ? 3 : 2}>
          <BusinessDateInput label={t('changesUi.newMaturity')} required data-autofocus {...form.getInputProps('newMaturity')} value={form.values.newMaturity} />
          {kind === 'restructuring' && <TextInput label={t('changesUi.newRate')} required maxLength={8} inputMode="decimal" {...form.getInputProps('newRate')} />}
          {kind === 'restructuring' && (
            <Select
              label={t('changesUi.newMethod')}
              required
              allowDeselect={false}
              data={REPAYMENT_METHODS.map((m) => ({ value: m, label: methodLabel(m, locale) }))}
              {...form.getInputProps('newMethod')}
            />
          )}
        </SimpleGrid>
      )}
      <Textarea label={t('changesUi.reason')} required maxLength={1000} autosize minRows={2} data-autofocus={kind === 'write-off' || undefined} {...form.getInputProps('reason')} />
      {kind === 'write-off' && <Textarea label={t('changesUi.evidence')} required maxLength={2000} autosize minRows={3} placeholder={t('changesUi.evidenceHint')} {...form.getInputProps('evidence')} />}
    </ModalForm>
  );
}
