import { useForm, type UseFormInput } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { MessageKey } from '../../../shared/i18n';
import { zodResolver } from './zodResolver';

type Values = Record<string, unknown>;

/**
 * A @mantine/form form checked by a zod schema from the contract (or one built from it, e.g. with yuanField),
 * before anything is sent. `fixed` is what the call adds that the user does not type (a record's id); it is
 * checked with the values, and `toInput` gives the channel's input. Messages as main words them.
 */
export function useContractForm<V extends Values, S extends z.ZodType>(
  schema: S,
  opts: Omit<UseFormInput<V>, 'validate'> & {
    fixed?: Record<string, unknown>;
    mapPath?: (path: string) => string;
    /** The part of the values the call takes, when the form holds more than one call's fields. */
    pick?: (values: V) => Record<string, unknown>;
  },
) {
  const { t } = useTranslation();
  const { fixed = {}, mapPath, pick = (v: V) => v, ...rest } = opts;
  const resolve = zodResolver(schema, (key, params) => t(key as MessageKey, params ?? {}), mapPath);
  const form = useForm<V>({ ...rest, validate: (values) => resolve({ ...fixed, ...pick(values) }) });
  /** The channel's input from the values, as the schema outputs it (trimmed, yuan → fen); null when invalid. */
  const toInput = (): z.output<S> | null => {
    const r = schema.safeParse({ ...fixed, ...pick(form.getValues()) });
    return r.success ? r.data : null;
  };
  return Object.assign(form, { toInput });
}
export type ContractForm<V extends Values, S extends z.ZodType> = ReturnType<typeof useContractForm<V, S>>;
