import { useEffect, useState } from 'react';
import { invoke } from '../../lib/ipc';

let cached: Promise<Map<string, string>> | null = null;

/**
 * Display names of the branch's officers and supervisors (loans.officers), read once per window; anyone else
 * (risk, archive) shows by username. A failed read is forgotten, so the next screen asks again.
 */
export function useStaffNames(): (username: string | null | undefined) => string {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let stale = false;
    cached ??= invoke('loans.officers')
      .then((list) => new Map(list.map((o) => [o.username, o.displayName])))
      .catch(() => {
        cached = null;
        return new Map<string, string>();
      });
    void cached.then((m) => !stale && setNames(m));
    return () => {
      stale = true;
    };
  }, []);
  return (username) => (username ? (names.get(username) ?? username) : '—');
}
