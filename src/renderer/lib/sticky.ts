import { useState } from 'react';
import { useAppInfo } from './appInfo';

// Per user and key, for the lifetime of the window: a list keeps its filters while a record is open.
const memory = new Map<string, unknown>();

/** Like useState, but the value survives the component being unmounted (e.g. list filters). */
export function useSticky<T>(key: string, initial: T): [T, (value: T) => void] {
  const user = useAppInfo().info.session?.username ?? '';
  const full = `${user}\u0000${key}`;
  const [value, setValue] = useState<T>(() => (memory.has(full) ? (memory.get(full) as T) : initial));
  return [
    value,
    (next: T) => {
      memory.set(full, next);
      setValue(next);
    },
  ];
}
