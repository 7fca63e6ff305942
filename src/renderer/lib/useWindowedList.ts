import { useCallback, useEffect, useRef, useState } from 'react';
import { notifyError } from './notify';

export const BLOCK = 100;

export interface WindowedList<T, M> {
  /** Rows matching the filters, as main counted them; null before the first answer. */
  total: number | null;
  /** The row at an index, or undefined while its block is still on its way. */
  rowAt: (index: number) => T | undefined;
  /** Asks for the blocks covering [start, end). */
  ensure: (start: number, end: number) => void;
  /** What came with the first block besides the rows (e.g. the as-of date). */
  meta: M | null;
  loading: boolean;
}

/**
 * Rows fetched from main in blocks of BLOCK as they come into view. `key` names the query (filters and sort):
 * a new key drops every block and starts again from the top. Main keeps the sorting and filtering.
 */
export function useWindowedList<T, M extends { total: number; rows: T[] }>(key: string, fetch: (offset: number, limit: number) => Promise<M>): WindowedList<T, M> {
  const blocks = useRef(new Map<number, T[]>());
  const asked = useRef(new Set<number>());
  const generation = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const [total, setTotal] = useState<number | null>(null);
  const [meta, setMeta] = useState<M | null>(null);
  const [pending, setPending] = useState(0);
  const [, setVersion] = useState(0);

  const load = useCallback((block: number) => {
    if (asked.current.has(block)) return;
    asked.current.add(block);
    const gen = generation.current;
    setPending((n) => n + 1);
    fetchRef
      .current(block * BLOCK, BLOCK)
      .then((r) => {
        if (gen !== generation.current) return;
        blocks.current.set(block, r.rows);
        setTotal(r.total);
        if (block === 0) setMeta(r);
        setVersion((v) => v + 1);
      })
      .catch((e: unknown) => {
        if (gen !== generation.current) return;
        asked.current.delete(block);
        notifyError(e);
      })
      .finally(() => gen === generation.current && setPending((n) => n - 1));
  }, []);

  useEffect(() => {
    generation.current++;
    blocks.current = new Map();
    asked.current = new Set();
    setPending(0);
    setVersion((v) => v + 1);
    load(0);
  }, [key, load]);

  const ensure = useCallback(
    (start: number, end: number) => {
      for (let b = Math.floor(start / BLOCK); b <= Math.floor(Math.max(start, end - 1) / BLOCK); b++) load(b);
    },
    [load],
  );
  const rowAt = (index: number) => blocks.current.get(Math.floor(index / BLOCK))?.[index % BLOCK];
  return { total, rowAt, ensure, meta, loading: pending > 0 };
}
