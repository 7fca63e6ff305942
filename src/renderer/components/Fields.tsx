import { Text, TextInput, type TextInputProps } from '@mantine/core';
import type { ChangeEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { normaliseDateText } from '../lib/dates';
import { groupedOf, parsedOf, wordsOf } from '../lib/money';

/** Yuan typed as text (never a float); once it is a valid amount its 大写 shows under the field. */
export function AmountField({ words = true, ...props }: TextInputProps & { value: string; words?: boolean }) {
  const { t } = useTranslation();
  const inWords = words ? wordsOf(props.value) : null;
  // Read-only (a submitted report): shown as every other amount is, grouped with two decimals.
  const grouped = props.readOnly ? groupedOf(props.value) : null;
  const parsed = props.readOnly ? null : parsedOf(props.value);
  const shown =
    parsed || inWords ? (
      <>
        {parsed && <span data-testid="amount-parsed">{t('portfolio.parsedAs', { amount: parsed })}</span>}
        {parsed && inWords && ' '}
        {inWords && <span data-testid="amount-in-words">{t('portfolio.inWords', { words: inWords })}</span>}
      </>
    ) : null;
  return (
    <TextInput
      inputMode="decimal"
      autoComplete="off"
      maxLength={24}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      {...props}
      value={grouped ?? props.value}
      description={shown ?? props.description}
    />
  );
}

/**
 * A business date typed as YYYY-MM-DD, for forms not yet on @mantine/form (those use BusinessDateInput).
 * `2026/12/05` and `20261205` are put into that form when the field is left.
 */
export function DateField(props: TextInputProps) {
  const { t } = useTranslation();
  const { onChange, onBlur } = props;
  return (
    <TextInput
      placeholder={t('portfolio.datePlaceholder')}
      maxLength={11}
      autoComplete="off"
      classNames={{ input: 'lk-mono-input' }}
      {...props}
      onBlur={(e) => {
        const typed = e.currentTarget.value;
        const canonical = normaliseDateText(typed);
        if (canonical !== typed && onChange) {
          e.currentTarget.value = canonical;
          onChange(e as unknown as ChangeEvent<HTMLInputElement>);
        }
        onBlur?.(e);
      }}
    />
  );
}

/** A label over a value, for read-only facts. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" lh={1.4}>
        {label}
      </Text>
      <Text size="sm" component="div" lh={1.5}>
        {children}
      </Text>
    </div>
  );
}
