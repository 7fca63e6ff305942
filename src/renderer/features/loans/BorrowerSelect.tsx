import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BorrowerListRow, PartyKind } from '../../../shared/ipc/borrowers';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';

export interface PickedBorrower {
  id: number;
  name: string;
  idNumber: string;
  kind: PartyKind;
}

interface Props {
  label: string;
  description?: string;
  value: PickedBorrower | null;
  onChange: (b: PickedBorrower | null) => void;
  /** Only borrowers of this kind are offered (enterprise sellers for factoring). */
  kind?: PartyKind;
  error?: string;
  required?: boolean;
}

const optionLabel = (b: PickedBorrower) => `${b.name}（${b.idNumber}）`;

/** Chooses a borrower by name, ID number or phone, searched in main as the user types. */
export function BorrowerSelect({ label, description, value, onChange, kind, error, required }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value ? optionLabel(value) : '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [found, setFound] = useState<BorrowerListRow[]>([]);

  // A prefilled borrower arrives after the first render.
  useEffect(() => {
    if (value) setSearch(optionLabel(value));
  }, [value?.id]);

  useEffect(() => {
    // Once a borrower is chosen the box shows its label; that is not a new search.
    if (value && debounced === optionLabel(value)) return;
    let stale = false;
    invoke('borrowers.search', { query: debounced, kind: kind ?? null, tier: null, limit: 20, offset: 0 })
      .then((d) => !stale && setFound(d.rows))
      .catch(notifyError);
    return () => {
      stale = true;
    };
  }, [debounced, kind]);

  const options = found.map((b) => ({ value: String(b.id), label: optionLabel(b) }));
  if (value && !options.some((o) => o.value === String(value.id))) options.unshift({ value: String(value.id), label: optionLabel(value) });
  return (
    <Select
      label={label}
      description={description}
      placeholder={t('loans.borrowerSearch')}
      required={required}
      searchable
      clearable
      data={options}
      filter={({ options: o }) => o}
      value={value ? String(value.id) : null}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={t('loans.borrowerNone')}
      error={error}
      onChange={(v) => {
        const b = found.find((x) => String(x.id) === v);
        if (b) onChange({ id: b.id, name: b.name, idNumber: b.idNumber, kind: b.kind });
        else if (!v) onChange(null);
      }}
    />
  );
}
